-- A mix: 95 % valid requests (half known-user top-10, half new-user top-10 with 20 ratings) and 5 % bad ones of
-- five kinds, each of which must be a 4xx. Counts 4xx and 5xx answers per thread for the result line.
dofile(os.getenv("AUTOREC_LOAD_DIR") .. "/common.lua")

local bodies = {}
local bad = {}
local json = { ["Content-Type"] = "application/json" }
fourxx, fivexx = 0, 0

function init(args)
   seed()
   for i = 1, 500 do
      bodies[i] = ratings_body(20)
   end
   bad = {
      wrk.format("GET", "/v1/users/999999999/recommendations?n=10"),                         -- 404 unknown user
      wrk.format("GET", "/v1/users/" .. ids.users[1] .. "/recommendations?n=0"),            -- 400 n out of range
      wrk.format("POST", "/v1/recommendations", json, '{"ratings": {"1": 5'),               -- 400 malformed JSON
      wrk.format("POST", "/v1/recommendations", json, '{"ratings": {"' .. ids.movies[1] .. '": 9}}'), -- 400 off the scale
      wrk.format("POST", "/v1/recommendations", json, '{"ratings": {"-7": 4}}'),            -- 400 unknown movie
   }
end

function request()
   local r = math.random(100)
   if r <= 5 then
      return bad[r]
   elseif r % 2 == 0 then
      return wrk.format("GET", "/v1/users/" .. ids.users[math.random(#ids.users)] .. "/recommendations?n=10")
   else
      return wrk.format("POST", "/v1/recommendations", json, bodies[math.random(#bodies)])
   end
end

-- Globals of this thread's state: done() reads them with thread:get.
function response(status, headers, body)
   if status >= 500 then
      fivexx = fivexx + 1
   elseif status >= 400 then
      fourxx = fourxx + 1
   end
end
