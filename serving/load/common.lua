-- Shared by the wrk scenarios: the ids the service knows (written by run.sh into $AUTOREC_LOAD_IDS), one
-- random generator per thread, and a machine-readable result line that run.sh turns into the table.

ids = dofile(os.getenv("AUTOREC_LOAD_IDS"))

local threads = {}

function setup(thread)
   thread:set("id", #threads + 1)
   table.insert(threads, thread)
end

function seed()
   math.randomseed(os.time() * 1000 + (wrk.thread:get("id") or 0))
end

-- A new user's body: `count` distinct movies the model scores, whole-star ratings.
function ratings_body(count)
   local chosen, parts = {}, {}
   while #parts < count do
      local movie = ids.movies[math.random(#ids.movies)]
      if not chosen[movie] then
         chosen[movie] = true
         parts[#parts + 1] = string.format('"%d":%d', movie, math.random(1, 5))
      end
   end
   return '{"ratings":{' .. table.concat(parts, ",") .. '},"n":10}'
end

function done(summary, latency, requests)
   local fivexx, fourxx = 0, 0
   for _, thread in ipairs(threads) do
      fivexx = fivexx + (tonumber(thread:get("fivexx")) or 0)
      fourxx = fourxx + (tonumber(thread:get("fourxx")) or 0)
   end
   local errors = summary.errors
   io.write(string.format(
      "RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f non2xx=%d socket_errors=%d fourxx=%d fivexx=%d\n",
      summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors.status,
      errors.connect + errors.read + errors.write + errors.timeout, fourxx, fivexx))
end
