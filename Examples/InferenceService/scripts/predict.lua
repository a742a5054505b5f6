-- wrk script for the inference service: POSTs request bodies written by make_bodies.py and counts
-- responses by status. Usage:
--   wrk -t1 -c32 -d60s --latency -s predict.lua http://127.0.0.1:8080 -- BODIES_DIR MODE MODEL
-- MODE: mix     (5 of 10 JSON 1-sample, 4 of 10 float32 1-sample, 1 of 10 JSON 4-sample; all valid)
--       json    (JSON 1-sample only)
--       binary  (float32 1-sample only)
--       invalid (the malformed bodies in BODIES_DIR/invalid, each with its Content-Type)
--       embed   (POST /v1/models/MODEL:embed with one short text; MODEL is a text embedder)
-- At the end it prints one line `RESULT {json}` with requests/s, latency percentiles (µs) and the
-- count of responses per status.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local function read(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("*a")
  f:close()
  return data
end

function init(args)
  local dir, mode, model = args[1], args[2] or "mix", args[3] or "mlp"
  statuses = {}
  requests_list = {}
  local path = "/v1/models/" .. model .. ":predict"
  if mode == "embed" then
    table.insert(requests_list, wrk.format("POST", "/v1/models/" .. model .. ":embed",
      { ["Content-Type"] = "application/json" }, '{"texts":["A man is eating food."]}'))
  elseif mode == "invalid" then
    for line in io.lines(dir .. "/invalid/types.txt") do
      local name, ctype = line:match("^(%S+) (.+)$")
      local body = read(dir .. "/invalid/" .. name .. ".body")
      table.insert(requests_list, wrk.format("POST", path, { ["Content-Type"] = ctype }, body))
    end
    -- Unknown model, unknown action, wrong method.
    table.insert(requests_list, wrk.format("POST", "/v1/models/nope:predict", { ["Content-Type"] = "application/json" }, '{"inputs":[[0]]}'))
    table.insert(requests_list, wrk.format("POST", "/v1/models/" .. model .. ":classify", { ["Content-Type"] = "application/json" }, '{"inputs":[[0]]}'))
    table.insert(requests_list, wrk.format("GET", path))
  else
    local i = 0
    while true do
      local name = string.format("%s/valid/json_%03d.json", dir, i)
      local f = io.open(name, "rb")
      if not f then break end
      f:close()
      local json1 = wrk.format("POST", path, { ["Content-Type"] = "application/json" }, read(name))
      local bin1 = wrk.format("POST", path, { ["Content-Type"] = "application/octet-stream" },
        read(string.format("%s/valid/bin_%03d.bin", dir, i)))
      local json4 = wrk.format("POST", path, { ["Content-Type"] = "application/json" },
        read(string.format("%s/valid/json4_%03d.json", dir, i)))
      if mode == "json" then
        table.insert(requests_list, json1)
      elseif mode == "binary" then
        table.insert(requests_list, bin1)
      else
        for k = 1, 5 do table.insert(requests_list, json1) end
        for k = 1, 4 do table.insert(requests_list, bin1) end
        table.insert(requests_list, json4)
      end
      i = i + 1
    end
  end
  assert(#requests_list > 0, "no bodies in " .. dir)
  -- Spread the kinds: step through the list with a stride coprime to its length.
  local function gcd(a, b) while b ~= 0 do a, b = b, a % b end return a end
  stride = 7
  while gcd(stride, #requests_list) ~= 1 do stride = stride + 1 end
  counter = math.random(#requests_list) - 1
end

function request()
  counter = (counter + stride) % #requests_list
  return requests_list[counter + 1]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for status, n in pairs(s) do merged[status] = (merged[status] or 0) + n end
  end
  local parts = {}
  for status, n in pairs(merged) do table.insert(parts, string.format('"%d":%d', status, n)) end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'RESULT {"requests":%d,"seconds":%.2f,"requests_per_second":%.1f,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"socket_errors":%d,"statuses":{%s}}\n',
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    table.concat(parts, ",")))
end
