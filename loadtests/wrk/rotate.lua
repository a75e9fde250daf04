-- POST /api with bodies rotated from a file (one JSON body per line), every answer checked.
-- A 200 counts as ok only if its body is {"predicciones":[0]} or [1] (whitespace ignored).
-- LOADTEST_BEARER_TOKEN (or else ID_TOKEN), when set, is sent as "Authorization: Bearer ...";
-- LOADTEST_HEADER="Name: value", when set, is sent too (an API key, say).
-- The last line of output is "wrk-summary {json}", which the harness parses.
--
-- Three modes, chosen by the arguments after "--":
--   closed, totals only:      wrk -t1 -c64 -d45s -s wrk/rotate.lua URL -- payloads.txt
--   closed, per second:       ... -- payloads.txt series
--     adds requests answered ok and not ok in each second since the start
--   open model (paced):       wrk -tN -cN -d(S+1)s -s wrk/rotate.lua URL -- payloads.txt paced START RATE S N
--     one connection per thread; request k of thread i is due at START + (i + k*N) / RATE, for S
--     seconds (START: a CLOCK_MONOTONIC time in seconds). Latency counts from the due time (from
--     the send time if wrk's whole-millisecond timer sent it early), so a server that falls behind
--     cannot hide its queue; per second of due time: sent, ok, not ok, a histogram of the latency
--     from the due time and one from the send time, as wrk measures its own (bucket b holds
--     latencies up to exp((b+1)/50) microseconds, 2% wide).

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } rotate_timespec;
int clock_gettime(int clock_id, rotate_timespec *now);
]])
local timespec = ffi.new("rotate_timespec")
local CLOCK_MONOTONIC = 1
local BUCKETS_PER_E = 50

local function now()
   ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
   return tonumber(timespec.tv_sec) + tonumber(timespec.tv_nsec) * 1e-9
end

-- Per-second figures live in one flat table (wrk copies only flat tables between threads):
-- key = second * 10000 + field, field 1 sent, 2 ok, 3 not ok, 1000 + b latency bucket b (from
-- the due time), 5000 + b the same from the send time.
local SENT, OK, BAD, LATENCY, FROM_SEND = 1, 2, 3, 1000, 5000

local function bucket(seconds)
   return math.floor(math.log(math.max(1, seconds * 1e6)) * BUCKETS_PER_E)
end

local function count(key)
   series[key] = (series[key] or 0) + 1
end

local threads = {}
local started = now()

function setup(thread)
   thread:set("id", #threads)
   thread:set("origin", started) -- the closed modes count seconds from here
   table.insert(threads, thread)
end

local function second(t)
   return math.floor(t - origin) * 10000
end

local function paced_delay()
   due = origin + (id + sent_count * connections) / rate
   if due - origin >= seconds then
      return 1e9 -- the schedule is over: this connection sends nothing more
   end
   return math.max(0, (due - now()) * 1000)
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
   local extra = os.getenv("LOADTEST_HEADER")
   if extra and extra ~= "" then
      local name, value = extra:match("^([^:]+):%s*(.*)$")
      headers[name] = value
   end
   prepared = {}
   for body in io.lines(args[1]) do
      prepared[#prepared + 1] = wrk.format("POST", nil, headers, body)
   end
   cursor = id * 97 -- threads start at different payloads
   ok, bad_body, statuses = 0, 0, {}
   mode, series, sent_count = args[2] or "totals", {}, 0
   if mode == "paced" then
      origin, rate, seconds, connections = tonumber(args[3]), tonumber(args[4]), tonumber(args[5]), tonumber(args[6])
      delay = paced_delay -- wrk asks for delay() before every request only when it exists
   end
end

function request()
   cursor = cursor % #prepared + 1
   if due then -- wrk also calls request() once before the run, to count pipelined requests
      sent_at = now()
      sent_count = sent_count + 1
      count(second(due) + SENT)
   end
   return prepared[cursor]
end

function response(status, headers, body)
   local good = false
   if status ~= 200 then
      statuses[status] = (statuses[status] or 0) + 1
   elseif body:gsub("%s", ""):match('^{"predicciones":%[[01]%]}$') then
      ok = ok + 1
      good = true
   else
      bad_body = bad_body + 1
   end
   if mode == "totals" then
      return
   end
   local t = now()
   local key = second(mode == "paced" and due or t)
   count(key + (good and OK or BAD))
   if mode == "paced" then
      count(key + LATENCY + bucket(t - math.min(due, sent_at)))
      count(key + FROM_SEND + bucket(t - sent_at))
   end
end

function done(summary, latency, requests)
   local ok, bad_body, statuses, merged = 0, 0, {}, {}
   for _, thread in ipairs(threads) do
      ok = ok + thread:get("ok")
      bad_body = bad_body + thread:get("bad_body")
      for status, count in pairs(thread:get("statuses")) do
         statuses[status] = (statuses[status] or 0) + count
      end
      for key, count in pairs(thread:get("series")) do
         merged[key] = (merged[key] or 0) + count
      end
   end
   local series_json = {}
   for key, count in pairs(merged) do
      series_json[#series_json + 1] = string.format('"%d":%d', key, count)
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
      '"latency_us":{"min":%d,"mean":%.1f,"stdev":%.1f,"max":%d,"percentiles":{%s}},' ..
      '"origin":%.6f,"series":{%s}}\n',
      summary.duration, summary.requests, summary.bytes,
      e.connect, e.read, e.write, e.timeout, e.status,
      ok, bad_body, table.concat(status_json, ","),
      latency.min, latency.mean, latency.stdev, latency.max, table.concat(pct, ","),
      threads[1]:get("origin"), table.concat(series_json, ",")))
end
