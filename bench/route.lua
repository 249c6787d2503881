-- POST a route request (to /v1/route or the /v1/route/noop baseline); bodies vary like real traffic. With PACE_MS
-- each connection waits that long between requests (a steady rate below saturation), otherwise it sends at once.
-- BODY says what the request carries beside the plain output: "toolcall" (an agent's call in place of the output),
-- "trajectory" (50 steps, 32 KiB), "shadow" (one candidate's output), "signals" (three signals in place of the
-- confidence, to the use case bench-signals); plain when absent.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
local path = os.getenv("ROUTE_PATH")
local pace = tonumber(os.getenv("PACE_MS") or "0")
local kind = os.getenv("BODY") or "plain"
local n = 0

-- 50 steps of about 655 bytes each: 32 KiB of trajectory, built once.
local steps = {}
for i = 1, 50 do
  local kinds = {"message", "reasoning", "tool_call", "tool_result"}
  steps[i] = string.format('{"kind":"%s","name":"step-%d","content":{"text":"%s"}}', kinds[(i % 4) + 1], i,
    string.rep("The customer asked about section 4.2 of the policy. ", 12))
end
local trajectory = "[" .. table.concat(steps, ",") .. "]"

request = function()
  n = n + 1
  local confidence = 0.5 + (n % 50) / 100
  local output = '{"label":"approve","text":"The claim is covered under section 4.2."}'
  local body
  if kind == "toolcall" then
    body = string.format('{"useCase":"bench","modelVersion":"m1","toolCall":{"name":"refund","arguments":'
      .. '{"amount":%d,"currency":"EUR"}},"confidence":%.2f,"attributes":{"amount":%d}}', n % 500, confidence, n % 20000)
  elseif kind == "signals" then
    body = string.format('{"useCase":"bench-signals","modelVersion":"m1","output":%s,"signals":{"meanLogprob":%.3f,'
      .. '"agreement":%.2f,"judge":%.2f},"attributes":{"amount":%d}}', output, -(n % 50) / 25, confidence,
      confidence, n % 20000)
  else
    local extra = ""
    if kind == "trajectory" then
      extra = ',"trajectory":' .. trajectory
    elseif kind == "shadow" then
      extra = string.format(',"shadow":[{"modelVersion":"m2","output":%s,"confidence":%.2f}]', output, confidence)
    end
    body = string.format('{"useCase":"bench","modelVersion":"m1","output":%s,"confidence":%.2f,'
      .. '"attributes":{"amount":%d}%s}', output, confidence, n % 20000, extra)
  end
  return wrk.format(nil, path, nil, body)
end

if pace > 0 then
  delay = function()
    return pace
  end
end

dofile("bench/report.lua")
