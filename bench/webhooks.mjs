// The measuring half of bench/webhooks.sh (see there). Node 20, no dependencies.
import { createServer } from "node:http";
import { randomUUID } from "node:crypto";
import { Agent, request } from "node:http";

const { BASE, HOOKED_TOKEN, PLAIN_TOKEN, RECEIVER_PORT } = process.env;
const BURST = Number(process.env.BURST ?? 1000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 16);
const SAMPLES = Number(process.env.SAMPLES ?? 400);
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function call(method, path, token, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = request(BASE + path, {
      method, agent,
      headers: {
        authorization: `Bearer ${token}`,
        ...(data ? { "content-type": "application/json", "content-length": data.length } : {}),
        ...(method === "POST" ? { "idempotency-key": randomUUID() } : {}),
      },
    }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.on("error", reject);
    if (data) req.write(data);
    req.end();
  });
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const ms = (x) => `${x.toFixed(1)} ms`;

// The receiver: arrival time per event id, minus the client's createdAt (the change's timestamp).
const latencies = new Map();
let onArrival = () => {};
const receiver = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const arrived = Date.now() + (performance.now() % 1); // sub-ms share is noise; ms is the resolution
    const event = JSON.parse(Buffer.concat(chunks).toString());
    if (!latencies.has(event.id)) latencies.set(event.id, arrived - Date.parse(event.data.client.createdAt));
    res.writeHead(200).end("ok");
    onArrival();
  });
});
await new Promise((r) => receiver.listen(Number(RECEIVER_PORT), "127.0.0.1", r));

const endpoint = await call("POST", "/api/v1/webhook-endpoints", HOOKED_TOKEN,
  { url: `http://127.0.0.1:${RECEIVER_PORT}/hooks`, events: ["client.created"] });
if (endpoint.status !== 201) throw new Error(`endpoint: ${endpoint.status} ${endpoint.body}`);

// 2. Outbox cost first (no burst in flight): alternate the two workspaces on one connection.
const serial = new Agent({ keepAlive: true, maxSockets: 1 });
async function timedPost(token) {
  const start = performance.now();
  const res = await new Promise((resolve, reject) => {
    const data = Buffer.from(JSON.stringify({ name: "Bench client" }));
    const req = request(BASE + "/api/v1/clients", {
      method: "POST", agent: serial,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-length": data.length, "idempotency-key": randomUUID() },
    }, (r) => { r.resume(); r.on("end", () => resolve(r.statusCode)); });
    req.on("error", reject);
    req.end(data);
  });
  if (res !== 201) throw new Error(`POST /clients: ${res}`);
  return performance.now() - start;
}
for (let i = 0; i < 50; i++) { await timedPost(HOOKED_TOKEN); await timedPost(PLAIN_TOKEN); } // warm-up
await new Promise((resolve) => { const check = () => latencies.size >= 50 ? resolve() : setTimeout(check, 50); check(); });
const withEndpoint = [], without = [];
for (let i = 0; i < SAMPLES; i++) {
  if (i % 2 === 0) { withEndpoint.push(await timedPost(HOOKED_TOKEN)); without.push(await timedPost(PLAIN_TOKEN)); }
  else { without.push(await timedPost(PLAIN_TOKEN)); withEndpoint.push(await timedPost(HOOKED_TOKEN)); }
}
withEndpoint.sort((a, b) => a - b); without.sort((a, b) => a - b);
// Let the sampling phase's deliveries finish before the burst.
await new Promise((resolve) => { const check = () => latencies.size >= 50 + SAMPLES ? resolve() : setTimeout(check, 50); check(); });

// 1. The burst.
latencies.clear();
const burstStart = performance.now();
let next = 0;
await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
  while (next < BURST) {
    next++;
    const res = await call("POST", "/api/v1/clients", HOOKED_TOKEN, { name: `Burst ${next}` });
    if (res.status !== 201) throw new Error(`POST /clients: ${res.status} ${res.body}`);
  }
}));
const committed = performance.now() - burstStart;
await new Promise((resolve) => { onArrival = () => latencies.size >= BURST && resolve(); onArrival(); });
const drained = performance.now() - burstStart;
const sorted = [...latencies.values()].sort((a, b) => a - b);

console.log(`burst of ${BURST} events (${CONCURRENCY} concurrent POSTs): all committed in ${ms(committed)}, all delivered after ${ms(drained)}`);
console.log(`  commit -> receiver: p50 ${ms(pct(sorted, 50))}  p99 ${ms(pct(sorted, 99))}  max ${ms(sorted.at(-1))}`);
console.log(`POST /api/v1/clients on one connection, ${SAMPLES} each, alternating:`);
console.log(`  with a subscribed endpoint: p50 ${ms(pct(withEndpoint, 50))}  p99 ${ms(pct(withEndpoint, 99))}`);
console.log(`  without an endpoint:        p50 ${ms(pct(without, 50))}  p99 ${ms(pct(without, 99))}`);
console.log(`  outbox adds at p50: ${ms(pct(withEndpoint, 50) - pct(without, 50))}`);
receiver.close(); agent.destroy(); serial.destroy();
process.exit(0);
