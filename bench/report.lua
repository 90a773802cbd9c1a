-- Shared by the wrk scripts of bench/: numbers the threads (each one virtual person, `index`) and prints
-- the run's figures as one RESULT line of JSON for bench/run.py. Each script counts `wrong` and `responses`.
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local wrong_total, responses_total = 0, 0
  for _, thread in ipairs(threads) do
    wrong_total = wrong_total + thread:get("wrong")
    responses_total = responses_total + thread:get("responses")
  end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    "RESULT {\"requests\": %d, \"seconds\": %.3f, \"p50_ms\": %.2f, \"p95_ms\": %.2f, \"p99_ms\": %.2f, " ..
    "\"wrong\": %d, \"socket_errors\": %d, \"responses\": %d}\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, wrong_total, errors, responses_total))
end
