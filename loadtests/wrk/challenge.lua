-- The challenge's request exactly as it is written there: the same body on every request.
-- wrk -t1 -c64 -d15s --latency -s wrk/challenge.lua http://127.0.0.1:8000/api
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"array":[0,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,1,0,0,1,0,0,1,0,0,1,0,0,0,0]}'
