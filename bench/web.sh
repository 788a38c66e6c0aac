#!/usr/bin/env bash
# Load benchmark of the web application against `ferd demo` data (issue 4): the therapist dashboard, a client page,
# questionnaire submissions by clients (parse, score, store, audit), and /healthz as the ceiling of the HTTP stack.
# wrk runs with one thread (2-core machine), every run bounded. Prints wrk's figures, a summary table with the
# server's CPU use, the release binary's size, and the server's resident memory (RSS) idle after start and after load.
# The server is `ferd demo` (fresh database, deleted at the end); the script stops it on exit.
#
# usage: bash bench/web.sh [DURATION]      (wrk's -d per run, default 10s; needs wrk and curl; about 2 minutes)
#   env: PORT             port to serve on (default 18480)
#        CLIENTS          portal accounts made for the submission runs (default 250)
#        BATCHES          schedules of 52 PCL-5 per account (default 1): CLIENTS × BATCHES × 52 open assessments
#        SUBMIT_DURATION  -d of the two submission runs (default DURATION)
#        FERD_BENCH_DIR   where the work folder, and so the demo's database, goes (default $TMPDIR or /tmp);
#                         /dev/shm puts SQLite on tmpfs, where fsync costs nothing
set -euo pipefail
duration="${1:-10s}"
submit_duration="${SUBMIT_DURATION:-$duration}"
port="${PORT:-18480}"
clients="${CLIENTS:-250}"
batches="${BATCHES:-1}"
root="$(cd "$(dirname "$0")/.." && pwd)"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is missing" >&2; exit 1; }

work="$(mktemp -d "${FERD_BENCH_DIR:-${TMPDIR:-/tmp}}/ferd-web-bench.XXXXXX")"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

started=$SECONDS
cd "$root"
cargo build --release -q -p ferd
ferd="$root/target/release/ferd"
binary_bytes=$(stat -c %s "$ferd")
base="http://127.0.0.1:$port"

# The demo keeps its database in a fresh folder under the temporary directory: ours, so that it goes with the rest.
TMPDIR="$work" "$ferd" demo --listen "127.0.0.1:$port" >"$work/demo.out" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/readyz" || true)" = 200 ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/demo.out" >&2; echo "ferd demo stopped" >&2; exit 1; }
  sleep 0.1
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/readyz")" = 200 ] || { echo "ferd demo is not ready" >&2; exit 1; }
sleep 1
rss_start=$(ps -o rss= -p "$pid" | tr -d ' ')
read -r t_email t_password < <(awk '$1 == "therapist" { print $2, $4; exit }' "$work/demo.out") || true
read -r c_email c_password < <(awk '$1 == "client" { print $2, $4; exit }' "$work/demo.out") || true
[ -n "${t_email:-}" ] && [ -n "${c_email:-}" ] || { cat "$work/demo.out" >&2; echo "no sign-ins in the demo's output" >&2; exit 1; }
echo "ferd demo (pid $pid) at $base, data in $work; therapist $t_email, client $c_email"

csrf_of() { grep -o 'name="csrf" value="[^"]*"' | sed -n '1{s/.*value="//; s/"$//; p}'; }
session_of() { awk '$6 == "ferd_session" { print $7 }' "$1"; }
# The number of open questionnaire links on a portal page (stdin).
open_count() { awk '{ n += gsub(/href="\/portal\/questionnaires\/[0-9a-f-]+"/, "") } END { print n + 0 }'; }
# signin JAR EMAIL PASSWORD
signin() {
  local token
  token=$(curl -s -c "$1" -b "$1" "$base/login" | csrf_of)
  [ "$(curl -s -c "$1" -b "$1" -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$token" \
    --data-urlencode "email=$2" --data-urlencode "password=$3" "$base/login")" = 303 ] \
    || { echo "sign-in as $2 failed" >&2; exit 1; }
}
# The number of answered submissions the server itself counted.
served_submissions() {
  curl -s "$base/metrics" | awk -F' ' '/^ferd_http_requests_total\{method="POST",route="\/portal\/questionnaires\/\{id\}",status="200"\}/ { n += $2 } END { print n + 0 }'
}

tjar="$work/therapist.jar"
signin "$tjar" "$t_email" "$t_password"
tcookie=$(session_of "$tjar")
tcsrf=$(curl -s -b "$tjar" "$base/dashboard" | csrf_of)

# The client page with the richest history: the largest page among the therapist's clients.
curl -s -b "$tjar" "$base/clients" -o "$work/clients.html"
best_id="" best_size=0 n_clients=0
for id in $(grep -o 'href="/clients/[0-9a-f-]\{36\}"' "$work/clients.html" | sed 's/.*clients\///; s/"$//' | sort -u); do
  size=$(curl -s -b "$tjar" -o /dev/null -w '%{size_download}' "$base/clients/$id")
  n_clients=$((n_clients + 1))
  if [ "$size" -gt "$best_size" ]; then best_id=$id best_size=$size; fi
done
dash_size=$(curl -s -b "$tjar" -o /dev/null -w '%{size_download}' "$base/dashboard")
echo "dashboard: $dash_size bytes; client page: /clients/$best_id, $best_size bytes (largest of $n_clients)"

table="$work/table"
: >"$table"
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
# busy and total ticks of the whole machine (all processes, ours and anyone else's), from /proc/stat
machine_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat; }
# run NAME WRK-ARGS...: runs wrk (with a 10 s timeout, so that slow answers are timed rather than dropped), prints
# its output, and adds a row to the summary with the server's CPU use (cores busy on average) and RSS after the run.
run() {
  local name=$1 c0 c1 w0 w1 m0 m1
  shift
  echo
  echo "=== $name: wrk -t1 --latency --timeout 10s $* ($((SECONDS - started)) s)"
  c0=$(cpu_ticks) w0=$(date +%s.%N) m0=$(machine_ticks)
  wrk -t1 --latency --timeout 10s "$@" | tee "$work/$name.txt"
  c1=$(cpu_ticks) w1=$(date +%s.%N) m1=$(machine_ticks)
  awk -v name="$name" -v cpu="$((c1 - c0))" -v hz="$(getconf CLK_TCK)" -v w0="$w0" -v w1="$w1" \
    -v rss="$(ps -o rss= -p "$pid" | tr -d ' ')" -v m0="$m0" -v m1="$m1" -v cores="$(nproc)" '
    /^Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = $2 } $1 == "90%" { p90 = $2 } $1 == "99%" { p99 = $2 } /Latency  / { max = $4 }
    /^status 200/ { line = $0; sub(/^status 200[^:]*: /, "", line); split(line, a, ","); ok = a[1] }
    /Socket errors/ { gsub(/,/, ""); timeouts = $NF }
    /requests in/ { n = $1 }
    END {
      split(m0, a0, " "); split(m1, a1, " ")
      printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %.2f | %.2f | %d |\n", name, n, (ok == "" ? "-" : ok),
        (timeouts == "" ? 0 : timeouts), rps, p50, p90, p99, max, cpu / hz / (w1 - w0),
        cores * (a1[1] - a0[1]) / (a1[2] - a0[2]), rss / 1024
    }
  ' "$work/$name.txt" >>"$table"
}

run healthz-c50 -c50 -d"$duration" "$base/healthz"
run dashboard-c50 -c50 -d"$duration" -H "Cookie: ferd_session=$tcookie" -s bench/web-status.lua "$base/dashboard"
run dashboard-c1 -c1 -d"$duration" -H "Cookie: ferd_session=$tcookie" -s bench/web-status.lua "$base/dashboard"
run client-page-c50 -c50 -d"$duration" -H "Cookie: ferd_session=$tcookie" -s bench/web-status.lua "$base/clients/$best_id"
run client-page-c1 -c1 -d"$duration" -H "Cookie: ferd_session=$tcookie" -s bench/web-status.lua "$base/clients/$best_id"

# One submission at a time: the demo client answers 20 of its open assessments one after the other (curl, so the
# time includes curl's own). Each submission looks its assessment up among the client's open ones, with a query
# that can go through the practice-wide index of due assessments, so both counts are shown.
echo
echo "=== one submission at a time, demo client $c_email ($((SECONDS - started)) s)"
today=$(date +%F)
# schedule CLIENT-ID BATCHES: as the therapist, BATCHES × 52 daily PCL-5 from today.
schedule() {
  local status
  for _ in $(seq 1 "$2"); do
    status=$(curl -s -b "$tjar" -o /dev/null -w '%{http_code}' \
      --data "csrf=$tcsrf&instrument=pcl-5&point=bench&when=schedule&first_date=$today&every_days=1&count=52" \
      "$base/clients/$1/assessments")
    [ "$status" = 303 ] || { echo "scheduling assessments for client $1 answered $status" >&2; return 1; }
  done
}
cjar="$work/demo-client.jar"
signin "$cjar" "$c_email" "$c_password"
demo_cid=""
for id in $(grep -o 'href="/clients/[0-9a-f-]\{36\}"' "$work/clients.html" | sed 's/.*clients\///; s/"$//' | sort -u); do
  if curl -s -b "$tjar" "$base/clients/$id" | grep -c "$c_email" >/dev/null; then demo_cid=$id; break; fi
done
[ -n "$demo_cid" ] || { echo "the demo client $c_email is not among the therapist's clients" >&2; exit 1; }
# sequential N: answers N open assessments one after the other; prints the open count and the median time.
sequential() {
  local page csrf body open
  page=$(curl -s -b "$cjar" "$base/portal")
  csrf=$(printf '%s' "$page" | csrf_of)
  open=$(printf '%s' "$page" | open_count)
  body="csrf=$csrf&instrument=pcl-5"
  for i in $(seq 1 20); do body="$body&item-$i=$((i % 5))"; done
  printf '%s' "$page" | grep -o '/portal/questionnaires/[0-9a-f-]\{36\}' | sort -u | sed -n "1,${1}p" | while read -r path; do
    curl -s -b "$cjar" -o /dev/null -w '%{http_code} %{time_total}\n' --data "$body" "$base$path"
  done >"$work/seq.txt" || true
  echo "client with $open open: $(grep -c '^200 ' "$work/seq.txt") answered, median $(awk '$1 == 200 { print $2 * 1000 }' "$work/seq.txt" | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f ms", (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }')"
}
schedule "$demo_cid" 1
seq_a=$(sequential 20)
echo "before the bench clients: $seq_a"

# Submissions: $clients new clients, each with a portal account (invitation accepted) and $batches × 52 open PCL-5
# assessments, so that every request answers a different assessment (an assessment takes one answer) while no client
# has thousands open. The open assessments the runs need still cost every submission (see the probe above and after).
echo
echo "=== making $clients portal accounts ($((SECONDS - started)) s) with $((batches * 52)) open PCL-5 each"
setup_started=$(date +%s.%N)
ids="$work/ids"
: >"$ids"
for k in $(seq 1 "$clients"); do
  loc=$(curl -s -b "$tjar" -o /dev/null -w '%{redirect_url}' --data-urlencode "csrf=$tcsrf" \
    --data-urlencode "name=Bench Client $k" --data-urlencode "email=bench-client-$k@example.org" \
    --data "phone=&birth_year=&emergency_contact=&preferred_language=en" "$base/clients/new")
  cid=$(printf '%s' "$loc" | grep -o '/clients/[0-9a-f-]\{36\}' | sed 's/.*\///' || true)
  [ -n "$cid" ] || { echo "creating bench client $k failed" >&2; exit 1; }
  schedule "$cid" "$batches"
  invite=$(curl -s -b "$tjar" --data "csrf=$tcsrf" "$base/clients/$cid/invitation" | grep -o '/invite/[A-Za-z0-9_-]\{43\}' | sed -n 1p || true)
  [ -n "$invite" ] || { echo "no invitation link for bench client $k" >&2; exit 1; }
  kjar="$work/client-$k.jar"
  token=$(curl -s -c "$kjar" -b "$kjar" "$base$invite" | csrf_of)
  curl -s -c "$kjar" -b "$kjar" -o /dev/null --data-urlencode "csrf=$token" \
    --data "password=bench-client-password-$k&confirm=bench-client-password-$k" "$base$invite"
  ccookie=$(session_of "$kjar")
  [ -n "$ccookie" ] || { echo "accepting the invitation of bench client $k failed" >&2; exit 1; }
  curl -s -b "$kjar" "$base/portal" -o "$work/portal-$k.html"
  ccsrf=$(csrf_of <"$work/portal-$k.html")
  # "index-within-client client path cookie csrf": sorted by the index, the file takes the clients in turn.
  grep -o 'href="/portal/questionnaires/[0-9a-f-]\{36\}"' "$work/portal-$k.html" | sed 's/^href="//; s/"$//' \
    | awk -v k="$k" -v c="$ccookie" -v t="$ccsrf" '{ printf "%d\t%d\t%s\t%s\t%s\n", NR, k, $0, c, t }' >>"$ids"
done
sort -n -k1,1 -k2,2 "$ids" | cut -f3- >"$ids.sorted"
open_before=$(wc -l <"$ids.sorted")
rss_setup=$(ps -o rss= -p "$pid" | tr -d ' ')
echo "$open_before open assessments for $clients clients, in $(awk -v a="$setup_started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s; RSS now $rss_setup KB"

served_before=$(served_submissions)
# The second run takes the assessments the first did not reach.
run submit-c50 -c50 -d"$submit_duration" -s bench/web-submit.lua "$base" -- "$ids.sorted"
used=$(awk '/requests made:/ { print $NF }' "$work/submit-c50.txt")
run submit-c16 -c16 -d"$submit_duration" -s bench/web-submit.lua "$base" -- "$ids.sorted" "$used"
served_after=$(served_submissions)

# Check against the store: the open assessments left, from every bench client's portal.
open_after=0
for k in $(seq 1 "$clients"); do
  n=$(curl -s -b "$work/client-$k.jar" "$base/portal" | open_count)
  open_after=$((open_after + n))
done
wrk_200=$(awk '/^status 200 \(stored\)/ { gsub(/,/, ""); s += $4 } END { print s + 0 }' "$work"/submit-c*.txt)
wrk_303=$(awk '/^status 200 \(stored\)/ { gsub(/,/, ""); s += $8 } END { print s + 0 }' "$work"/submit-c*.txt)

# The probe after the load: the same with some 8,000 open assessments left among the bench clients, then with
# 100 × 52 more for the demo client itself.
seq_b=$(sequential 20)
echo "after the load ($open_after open among the bench clients): $seq_b"
schedule "$demo_cid" 100 || true
seq_c=$(sequential 20)
echo "after the load, with 100 × 52 more for the demo client: $seq_c"

sleep 2
rss_after=$(ps -o rss= -p "$pid" | tr -d ' ')
rss_peak=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")

echo
echo "=== summary ($(nproc) cores, wrk -t1, $duration per run ($submit_duration for submissions); database under $(df --output=fstype "$work" | tail -1))"
echo "| run | requests | status 200 | timeouts | requests/s | p50 | p90 | p99 | max | ferd CPU (cores) | machine CPU (cores) | RSS after (MB) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
cat "$table"
echo
echo "submissions: wrk counted $wrk_200 answered (200) and $wrk_303 already answered (303); the server counted $((served_after - served_before)) answered;"
echo "             open assessments $open_before before, $open_after after: $((open_before - open_after)) stored"
echo "one at a time (demo client, 20 answers, curl): before the bench clients, $seq_a;"
echo "             after the load ($open_after open among the bench clients), $seq_b; with 100 × 52 more for it, $seq_c"
echo "release binary: $binary_bytes bytes ($(awk -v b="$binary_bytes" 'BEGIN { printf "%.1f", b / 1048576 }') MiB)"
echo "RSS of ferd demo: ${rss_start} KB idle after start, ${rss_setup} KB after making the portal accounts, ${rss_after} KB idle after the load, peak ${rss_peak} KB"
echo "total $((SECONDS - started)) s"
