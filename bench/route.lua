-- POST a route request (to /v1/route or the /v1/route/noop baseline); bodies vary like real traffic.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
local path = os.getenv("ROUTE_PATH")
local n = 0

request = function()
  n = n + 1
  local body = string.format('{"useCase":"bench","modelVersion":"m1","output":{"label":"approve",'
    .. '"text":"The claim is covered under section 4.2."},"confidence":%.2f,"attributes":{"amount":%d}}',
    0.5 + (n % 50) / 100, n % 20000)
  return wrk.format(nil, path, nil, body)
end

dofile("bench/report.lua")
