// A Hoursmith webhook receiver in Node.js (no dependencies): verifies Hoursmith-Signature,
// rejects stale or tampered deliveries, and handles each event id once.
//
//   WEBHOOK_SECRET=wsk_... PORT=8787 node receiver.mjs
import { createServer } from "node:http";
import { createHmac, timingSafeEqual } from "node:crypto";

const TOLERANCE_SECONDS = 300;

/** True when `header` ("t=…,v1=…") signs `rawBody` (a Buffer, exactly as received) with `secret`, and t is fresh. */
export function verifySignature(secret, header, rawBody, nowSeconds = Math.floor(Date.now() / 1000)) {
  if (typeof header !== "string") return false;
  let t = null;
  const signatures = [];
  for (const part of header.split(",")) {
    const [key, value] = part.split("=", 2).map((s) => (s ?? "").trim());
    if (key === "t" && /^\d+$/.test(value)) t = Number(value);
    else if (key === "v1") signatures.push(value);
  }
  if (t === null || Math.abs(nowSeconds - t) > TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(
    createHmac("sha256", secret).update(`${t}.`).update(rawBody).digest("hex"), "utf8");
  // Constant-time: a comparison that stops at the first difference tells an attacker how much matched.
  return signatures.some((s) => {
    const given = Buffer.from(s, "utf8");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

// Event ids already handled. Keep them in your database (a unique key) so restarts and several
// receiver instances agree; Hoursmith sends the same id on every retry and replay.
const seen = new Set();

const secret = process.env.WEBHOOK_SECRET;
if (!secret) {
  console.error("Set WEBHOOK_SECRET to the endpoint's signing secret (wsk_…).");
  process.exit(2);
}

createServer((req, res) => {
  if (req.method !== "POST") { res.writeHead(405).end(); return; }
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const raw = Buffer.concat(chunks); // verify the raw bytes, never re-serialized JSON
    if (!verifySignature(secret, req.headers["hoursmith-signature"], raw)) {
      res.writeHead(400, { "content-type": "text/plain" }).end("invalid signature");
      return;
    }
    const event = JSON.parse(raw.toString("utf8"));
    if (seen.has(event.id)) {
      res.writeHead(200, { "content-type": "text/plain" }).end("duplicate");
      return;
    }
    seen.add(event.id);
    // Handle the event here (quickly: answer within 10 s, queue slow work).
    console.log(JSON.stringify({ accepted: event.id, type: event.type, livemode: event.livemode }));
    res.writeHead(200, { "content-type": "text/plain" }).end("ok");
  });
}).listen(Number(process.env.PORT ?? 8787), "127.0.0.1", () => console.log("listening"));
