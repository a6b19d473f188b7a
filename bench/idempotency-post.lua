-- wrk script for bench/idempotency-overhead.sh: POST a small JSON body to the URL given to wrk
-- (/api/v1/clients) with an Idempotency-Key on every request. The Authorization header comes
-- from wrk -H.
--
-- Script arguments (after "--"): MODE TAG BODY [KEY]
--   fresh  TAG BODY      a new key per request, "TAG-<thread>-<n>": unique across threads, and
--                        across runs as long as each run has its own TAG
--   replay TAG BODY KEY  always KEY, which the caller already used once with the same BODY, so
--                        every request is answered from the stored response
--
-- Every response is checked: a fresh request must be a 201 without Idempotent-Replayed, a replay
-- a 201 with Idempotent-Replayed: true. done() prints one "RESULT k=v ..." line (latencies in
-- microseconds) that the shell script parses.

local threads = {}
local next_id = 1

function setup(thread)
   thread:set("id", next_id)
   next_id = next_id + 1
   table.insert(threads, thread)
end

function init(args)
   mode = args[1]
   tag = args[2]
   body = args[3]
   fixed_key = args[4]
   if (mode ~= "fresh" and mode ~= "replay") or not tag or not body or (mode == "replay" and not fixed_key) then
      error("usage: -- fresh TAG BODY | -- replay TAG BODY KEY")
   end
   prefix = tag .. "-" .. id .. "-"
   n = 0
   created, replayed, other, shown = 0, 0, 0, 0
   -- wrk.format uses only the headers it is given, so start from the -H ones.
   headers = {}
   for name, value in pairs(wrk.headers) do
      headers[name] = value
   end
   headers["Content-Type"] = "application/json"
   if mode == "replay" then
      headers["Idempotency-Key"] = fixed_key
   end
end

function request()
   if mode == "fresh" then
      n = n + 1
      headers["Idempotency-Key"] = prefix .. n
   end
   return wrk.format("POST", nil, headers, body)
end

function response(status, response_headers, response_body)
   if status == 201 then
      if response_headers["Idempotent-Replayed"] == "true" then
         replayed = replayed + 1
      else
         created = created + 1
      end
   else
      other = other + 1
      if shown < 3 then
         shown = shown + 1
         io.stderr:write(string.format("unexpected status %d: %s\n", status, string.sub(response_body or "", 1, 300)))
      end
   end
end

function done(summary, latency, requests)
   local c, r, o = 0, 0, 0
   for _, thread in ipairs(threads) do
      c = c + (thread:get("created") or 0)
      r = r + (thread:get("replayed") or 0)
      o = o + (thread:get("other") or 0)
   end
   local e = summary.errors
   io.write(string.format(
      "RESULT requests=%d rps=%.2f p50_us=%.0f p90_us=%.0f p99_us=%.0f mean_us=%.0f max_us=%.0f created=%d replayed=%d other=%d socket_errors=%d timeouts=%d\n",
      summary.requests, summary.requests / (summary.duration / 1e6),
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max,
      c, r, o, e.connect + e.read + e.write, e.timeout))
end
