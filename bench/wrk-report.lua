-- wrk reporter for bench/*.sh: one machine-readable line after the run
-- RESULT <requests> <bytes> <duration_us> <p50_us> <p99_us> <errors> <non_2xx_3xx>
-- (errors counts connect, read, write and timeout errors and the non-2xx/3xx answers, which are also
-- given on their own)
done = function(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format("RESULT %d %d %d %d %d %d %d\n", summary.requests, summary.bytes, summary.duration,
    latency:percentile(50), latency:percentile(99), errors, e.status))
end
