-- New-user top-10: POST /v1/recommendations with 20 ratings of random movies (bodies made up front, so wrk's
-- own work per request stays small).
dofile(os.getenv("AUTOREC_LOAD_DIR") .. "/common.lua")

local bodies = {}
local headers = { ["Content-Type"] = "application/json" }

function init(args)
   seed()
   for i = 1, 500 do
      bodies[i] = ratings_body(20)
   end
end

function request()
   return wrk.format("POST", "/v1/recommendations", headers, bodies[math.random(#bodies)])
end
