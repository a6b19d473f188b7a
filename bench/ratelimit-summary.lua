-- wrk script for bench/ratelimit-overhead.sh: only a done() hook. Without request() and response()
-- wrk keeps its fast path (one pre-built request, responses not handed to Lua), so the script costs
-- nothing while the run lasts. done() prints one "RESULT k=v ..." line with the exact figures
-- (latencies in microseconds; non2xx counts every response that was not 2xx or 3xx, a 429
-- included) that the shell script parses.

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "RESULT requests=%d rps=%.2f p50_us=%.0f p90_us=%.0f p99_us=%.0f mean_us=%.0f max_us=%.0f non2xx=%d socket_errors=%d timeouts=%d\n",
      summary.requests, summary.requests / (summary.duration / 1e6),
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max,
      e.status, e.connect + e.read + e.write, e.timeout))
end
