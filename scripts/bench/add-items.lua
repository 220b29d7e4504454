-- wrk: every request adds a new item, "<BENCH_PREFIX>-<n>" (run wrk with one thread per
-- process, each with its own BENCH_PREFIX, so that ids never collide).
local counter = 0
local prefix = os.getenv("BENCH_PREFIX") or "bench"

function request()
  counter = counter + 1
  local body = '{"id":"' .. prefix .. '-' .. counter ..
    '","name":"Watch","category":"Jewelry","price":1000,"state":"Good","ageInMonths":3}'
  return wrk.format("POST", "/item/add", { ["Content-Type"] = "application/json" }, body)
end
