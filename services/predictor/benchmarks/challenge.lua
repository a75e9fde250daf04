-- The challenge's request, plus one optional header from the environment (BENCH_HEADER="Name: value").
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"array":[0,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,1,0,0,1,0,0,1,0,0,1,0,0,0,0]}'
local header = os.getenv("BENCH_HEADER")
if header and header ~= "" then
   local name, value = header:match("^([^:]+):%s*(.*)$")
   wrk.headers[name] = value
end
