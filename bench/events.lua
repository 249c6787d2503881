-- POST batches of 100 audit events, every eventId unique (run, thread, counter), so each is appended.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
local run = tonumber(os.getenv("RUN"))
local threads = 0
local n = 0

setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

request = function()
  local parts = {}
  for i = 1, 100 do
    n = n + 1
    parts[i] = string.format('{"eventId":"%08x-%04x-7000-8000-%012x","type":"DECISION_MADE",'
      .. '"occurredAt":"2026-11-23T12:00:00Z","actor":"bench","subjectId":"s%d","useCase":"bench",'
      .. '"payload":{"route":"RELEASE","modelVersion":"m1","policyVersion":1,"confidence":0.93}}',
      run, tid, n, n)
  end
  return wrk.format(nil, "/v1/events", nil, "[" .. table.concat(parts, ",") .. "]")
end

dofile("bench/report.lua")
