-- POST /api with bodies rotated from a file (one JSON body per line), every answer checked.
-- wrk -t2 -c64 -d40s -s wrk/rotate.lua http://127.0.0.1:8000/api -- payloads.txt
-- A 200 counts as ok only if its body is {"predicciones":[0]} or [1] (whitespace ignored).
-- LOADTEST_BEARER_TOKEN (or else ID_TOKEN), when set, is sent as "Authorization: Bearer ...".
-- The last line of output is "wrk-summary {json}", which the harness parses.

local threads = {}

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

function init(args)
   local token = os.getenv("LOADTEST_BEARER_TOKEN")
   if not token or token == "" then
      token = os.getenv("ID_TOKEN")
   end
   local headers = { ["Content-Type"] = "application/json" }
   if token and token ~= "" then
      headers["Authorization"] = "Bearer " .. token
   end
   prepared = {}
   for body in io.lines(args[1]) do
      prepared[#prepared + 1] = wrk.format("POST", nil, headers, body)
   end
   cursor = id * 97 -- threads start at different payloads
   ok, bad_body, statuses = 0, 0, {}
end

function request()
   cursor = cursor % #prepared + 1
   return prepared[cursor]
end

function response(status, headers, body)
   if status ~= 200 then
      statuses[status] = (statuses[status] or 0) + 1
   elseif body:gsub("%s", ""):match('^{"predicciones":%[[01]%]}$') then
      ok = ok + 1
   else
      bad_body = bad_body + 1
   end
end

function done(summary, latency, requests)
   local ok, bad_body, statuses = 0, 0, {}
   for _, thread in ipairs(threads) do
      ok = ok + thread:get("ok")
      bad_body = bad_body + thread:get("bad_body")
      for status, count in pairs(thread:get("statuses")) do
         statuses[status] = (statuses[status] or 0) + count
      end
   end
   local status_json = {}
   for status, count in pairs(statuses) do
      status_json[#status_json + 1] = string.format('"%d":%d', status, count)
   end
   local pct = {}
   for _, p in ipairs({ 50, 75, 90, 95, 99, 99.9 }) do
      pct[#pct + 1] = string.format('"%g":%d', p, latency:percentile(p))
   end
   local e = summary.errors
   io.write(string.format(
      'wrk-summary {"duration_us":%d,"requests":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d},' ..
      '"checked":{"ok":%d,"bad_body":%d,"bad_status":{%s}},' ..
      '"latency_us":{"min":%d,"mean":%.1f,"stdev":%.1f,"max":%d,"percentiles":{%s}}}\n',
      summary.duration, summary.requests, summary.bytes,
      e.connect, e.read, e.write, e.timeout, e.status,
      ok, bad_body, table.concat(status_json, ","),
      latency.min, latency.mean, latency.stdev, latency.max, table.concat(pct, ",")))
end
