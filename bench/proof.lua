-- GET inclusion proofs of random leaves in a tree of TREE_SIZE.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
local size = tonumber(os.getenv("TREE_SIZE"))

request = function()
  return wrk.format("GET", string.format("/v1/proofs/inclusion?index=%d&treeSize=%d", math.random(0, size - 1), size))
end

dofile("bench/report.lua")
