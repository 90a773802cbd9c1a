-- wrk script: each thread is one virtual student with its own session cookie and its own URL.
-- The bench writes the list of (cookie, path, marker) lines to the file named by BENCH_PLAN.
local plan = {}
for line in io.lines(os.getenv("BENCH_PLAN")) do
  local cookie, path, marker = line:match("^(.-)\t(.-)\t(.*)$")
  table.insert(plan, {cookie = cookie, path = path, marker = marker})
end

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
  table.insert(threads, thread)
end

function init(args)
  local entry = plan[((index - 1) % #plan) + 1]
  wrk.headers["Cookie"] = entry.cookie
  wrk.path = entry.path
  marker = entry.marker
  wrong = 0
  responses = 0
end

function response(status, headers, body)
  responses = responses + 1
  -- A redirect to the login page, an error or a page without its marker is not the real page.
  if status ~= 200 or (marker ~= "" and not string.find(body, marker, 1, true)) then
    wrong = wrong + 1
  end
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
