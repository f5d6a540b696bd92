-- Known-user top-10: GET /v1/users/{id}/recommendations?n=10 for random users of the training data.
dofile(os.getenv("AUTOREC_LOAD_DIR") .. "/common.lua")

function init(args)
   seed()
end

function request()
   return wrk.format("GET", "/v1/users/" .. ids.users[math.random(#ids.users)] .. "/recommendations?n=10")
end
