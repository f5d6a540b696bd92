-- New-user top-10: POST /v1/recommendations with `ratings_per_body` ratings of random movies (20 here; heavy.lua
-- sets 500), one of `bodies_made` different bodies per request, made up front so wrk's own work per request stays small.
dofile(os.getenv("AUTOREC_LOAD_DIR") .. "/common.lua")

ratings_per_body = ratings_per_body or 20
bodies_made = bodies_made or 500

local bodies = {}
local headers = { ["Content-Type"] = "application/json" }

function init(args)
   seed()
   for i = 1, bodies_made do
      bodies[i] = ratings_body(ratings_per_body)
   end
end

function request()
   return wrk.format("POST", "/v1/recommendations", headers, bodies[math.random(#bodies)])
end
