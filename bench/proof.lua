-- GET inclusion proofs of random leaves in a tree of TREE_SIZE; each connection waits PACE_MS between requests, so
-- that latency is measured at a steady, modest rate instead of at saturation (where a closed loop measures queueing).
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
local size = tonumber(os.getenv("TREE_SIZE"))
local pace = tonumber(os.getenv("PACE_MS") or "0")

request = function()
  return wrk.format("GET", string.format("/v1/proofs/inclusion?index=%d&treeSize=%d", math.random(0, size - 1), size))
end

delay = function()
  return pace
end

dofile("bench/report.lua")
