-- wrk script: each thread is one teacher with their own session, typing points into their journal.
-- bench/cells.py writes (cookie, csrf token, cell URL, column, students) lines to the file named by BENCH_PLAN.
local plan = {}
for line in io.lines(os.getenv("BENCH_PLAN")) do
  local cookie, token, path, item, students = line:match("^(.-)\t(.-)\t(.-)\t(.-)\t(.*)$")
  local ids = {}
  for id in students:gmatch("%d+") do table.insert(ids, id) end
  table.insert(plan, {cookie = cookie, token = token, path = path, item = item, students = ids})
end

dofile(os.getenv("BENCH_LIB"))  -- setup() and done(): bench/report.lua

function init(args)
  entry = plan[((index - 1) % #plan) + 1]
  wrk.headers["Cookie"] = entry.cookie
  wrk.headers["X-CSRFToken"] = entry.token
  wrk.headers["HX-Request"] = "true"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  n = 0
  wrong = 0
  responses = 0
end

-- A teacher types a value and presses Enter: BENCH_PACE_MS between saves (0: as fast as the server answers).
local pace = tonumber(os.getenv("BENCH_PACE_MS") or "0")
function delay()
  return pace
end

function request()
  n = n + 1
  local student = entry.students[(n % #entry.students) + 1]
  local body = "item=" .. entry.item .. "&student=" .. student .. "&value=" .. tostring(50 + n % 50)
  return wrk.format("POST", entry.path, nil, body)
end

function response(status, headers, body)
  responses = responses + 1
  -- A refused value, an error or a redirect to the login page is not a saved cell.
  if status ~= 200 or not string.find(body, 'id="c', 1, true) or string.find(body, "is-invalid", 1, true) then
    wrong = wrong + 1
  end
end
