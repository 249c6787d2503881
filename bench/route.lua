-- POST a route request (to /v1/route or the /v1/route/noop baseline); bodies vary like real traffic. With PACE_MS
-- each connection waits that long between requests (a steady rate below saturation), otherwise it sends at once.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
local path = os.getenv("ROUTE_PATH")
local pace = tonumber(os.getenv("PACE_MS") or "0")
local n = 0

request = function()
  n = n + 1
  local body = string.format('{"useCase":"bench","modelVersion":"m1","output":{"label":"approve",'
    .. '"text":"The claim is covered under section 4.2."},"confidence":%.2f,"attributes":{"amount":%d}}',
    0.5 + (n % 50) / 100, n % 20000)
  return wrk.format(nil, path, nil, body)
end

if pace > 0 then
  delay = function()
    return pace
  end
end

dofile("bench/report.lua")
