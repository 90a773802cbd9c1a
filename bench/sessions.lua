-- wrk script: each thread is one virtual student with its own session cookie and its own URL.
-- The bench writes the list of (cookie, path, marker) lines to the file named by BENCH_PLAN.
local plan = {}
for line in io.lines(os.getenv("BENCH_PLAN")) do
  local cookie, path, marker = line:match("^(.-)\t(.-)\t(.*)$")
  table.insert(plan, {cookie = cookie, path = path, marker = marker})
end

dofile(os.getenv("BENCH_LIB"))  -- setup() and done(): bench/report.lua

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
