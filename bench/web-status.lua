-- wrk script for the signed-in GET pages of bench/web.sh: counts the answers by status, so that a redirect to
-- /login (a lost session) or an error page is reported instead of being timed as a success.
-- usage: wrk -t1 -c50 -d10s --latency -H "Cookie: ferd_session=…" -s bench/web-status.lua URL
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ok, other = 0, 0
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local n200, nother = 0, 0
  for _, t in ipairs(threads) do
    n200 = n200 + t:get("ok")
    nother = nother + t:get("other")
  end
  io.write(string.format("status 200: %d, other: %d, socket errors: %d\n", n200, nother,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
