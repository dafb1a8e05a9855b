-- wrk reporter: one machine-readable line with requests/s, p50, p95 (ms), non-2xx/3xx answers and requests.
local failures = 0
response = function(status, headers, body)
  if status >= 400 then failures = failures + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("BENCH rps=%.1f p50=%.2f p95=%.2f errors=%d requests=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, failures + summary.errors.status, summary.requests))
end
