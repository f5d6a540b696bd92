-- Heavy new-user top-10: POST /v1/recommendations with 500 ratings (the service's default Serving:MaxRatings) of
-- random movies, a different body each request out of 200 made up front.
dofile(os.getenv("AUTOREC_LOAD_DIR") .. "/common.lua")

local bodies = {}
local headers = { ["Content-Type"] = "application/json" }

function init(args)
   seed()
   for i = 1, 200 do
      bodies[i] = ratings_body(500)
   end
end

function request()
   return wrk.format("POST", "/v1/recommendations", headers, bodies[math.random(#bodies)])
end
