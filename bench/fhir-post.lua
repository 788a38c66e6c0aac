-- wrk script for bench/fhir.sh: POSTs FHIR QuestionnaireResponses, one body per line of a file, in turn, each with
-- the next API token of a second file (if given), and counts the answers: 201 Created, anything else, socket errors.
-- usage: wrk -t1 -c16 -d10s --latency -s bench/fhir-post.lua URL -- BODIES [TOKENS] [PATH]
--   BODIES  one QuestionnaireResponse (compact JSON) per line
--   TOKENS  one API token per line, or "" for none (the reference servers ignore the header; it is sent alike)
--   PATH    the create address (default /fhir/QuestionnaireResponse)
-- ferd limits each token to 600 requests a minute; bench/fhir.sh makes enough tokens that the load stays under it.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local bodies, tokens = {}, {}
  for line in io.lines(args[1]) do
    if #line > 0 then bodies[#bodies + 1] = line end
  end
  if args[2] and args[2] ~= "" then
    for line in io.lines(args[2]) do
      if #line > 0 then tokens[#tokens + 1] = line end
    end
  end
  local path = args[3] or "/fhir/QuestionnaireResponse"
  reqs = {}
  for i, b in ipairs(bodies) do
    local h = { ["Content-Type"] = "application/fhir+json", ["Accept"] = "application/fhir+json" }
    if #tokens > 0 then
      h["Authorization"] = "Bearer " .. tokens[(i - 1) % #tokens + 1]
    end
    reqs[i] = wrk.format("POST", path, h, b)
  end
  n, created, other = 0, 0, 0
  first_other = ""
end

function request()
  n = n + 1
  return reqs[(n - 1) % #reqs + 1]
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  else
    other = other + 1
    if first_other == "" then first_other = status .. " " .. string.sub(body or "", 1, 300) end
  end
end

function done(summary, latency, requests)
  local c, o, first = 0, 0, ""
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    o = o + t:get("other")
    if first == "" then first = t:get("first_other") or "" end
  end
  io.write(string.format("status 201: %d, other: %d, socket errors: %d\n", c, o,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  if first ~= "" then io.write("first other answer: " .. first .. "\n") end
end
