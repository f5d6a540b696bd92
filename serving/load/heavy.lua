-- Heavy new-user top-10: new.lua with 500 ratings per body (the service's default Serving:MaxRatings), 200 bodies.
ratings_per_body = 500
bodies_made = 200
dofile(os.getenv("AUTOREC_LOAD_DIR") .. "/new.lua")
