-- wrk script for questionnaire submissions in bench/web.sh: every request answers a different open assessment.
-- The argument is a file of lines "path<TAB>session cookie<TAB>csrf token", one per open assessment, written by
-- bench/web.sh (each client account signed in once; its session's CSRF token goes in the form, as a browser sends it).
-- An assessment can be answered once: a second argument skips that many lines (those an earlier run used). When the
-- list runs out the script starts again from the top, and those requests come back 303 ("already answered"),
-- counted separately, so a run that ran out shows it.
-- usage: wrk -t1 -c50 -d10s --latency -s bench/web-submit.lua URL -- FILE [SKIP]
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  reqs = {}
  local n = 0
  for line in io.lines(args[1]) do
    local path, cookie, csrf = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)$")
    if path then
      n = n + 1
      -- PCL-5: 20 items, answers 0-4, varied from request to request (some totals cross the cut-off and raise
      -- alerts, as real answers do).
      local body = "csrf=" .. csrf .. "&instrument=pcl-5"
      for i = 1, 20 do
        body = body .. "&item-" .. i .. "=" .. ((n * 7 + i * i + (n % 5) * i) % 5)
      end
      reqs[n] = wrk.format("POST", path, {
        ["Cookie"] = "ferd_session=" .. cookie,
        ["Content-Type"] = "application/x-www-form-urlencoded",
      }, body)
    end
  end
  skip = tonumber(args[2] or "0")
  total, next_i = n, skip
  ok, again, other = 0, 0, 0
end

function request()
  next_i = next_i + 1
  return reqs[(next_i - 1) % total + 1]
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1
  elseif status == 303 then again = again + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local n200, n303, nother, ids, sent = 0, 0, 0, 0, 0
  for _, t in ipairs(threads) do
    n200 = n200 + t:get("ok")
    n303 = n303 + t:get("again")
    nother = nother + t:get("other")
    ids = ids + t:get("total") - t:get("skip")
    sent = sent + t:get("next_i") - t:get("skip")
  end
  io.write(string.format("open assessments available: %d, requests made: %d\n", ids, sent))
  io.write(string.format("status 200 (stored): %d, 303 (already answered): %d, other: %d, socket errors: %d\n",
    n200, n303, nother,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
