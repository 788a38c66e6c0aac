#!/usr/bin/env bash
# Schemathesis against ferd's JSON API on a live server: a fresh data folder (`ferd init`), a read-write token from
# the command line (`ferd token create`), `ferd serve` on a free port, and `st run` on /api/openapi.json with enough
# generated cases to reach every operation (examples, coverage, fuzzing and stateful phases). It fails on any 5xx
# (schemathesis's not_a_server_error), on any 4xx that is not a JSON problem with a useful message (our check in
# hooks.py), on any answer that breaks the document, and on a panic in the server's log. Then it stops the server.
#
# Ends with one line, "api: N passed, M failed" (operations), which .ci/run adds to its total.
#
#   bash tests/api/run.sh                 # builds target/debug/ferd (or give FERD_BIN)
#   FERD_API_EXAMPLES=100 FERD_API_SEED=7 bash tests/api/run.sh
#
# Without schemathesis installed it fails in CI (CI=true) and skips with a message elsewhere.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"

if ! python3 -c 'import schemathesis' 2>/dev/null; then
  if [ "${CI:-}" = "true" ]; then
    echo "error: schemathesis is not installed (python3 -m pip install schemathesis==4.32.5)" >&2
    echo "api: 0 passed, 1 failed"
    exit 1
  fi
  echo "schemathesis is not installed: skipping the JSON API test (python3 -m pip install schemathesis==4.32.5)"
  exit 0
fi

if [ -n "${FERD_BIN:-}" ]; then
  ferd="$FERD_BIN"
else
  cargo build -q -p ferd
  ferd="$root/target/debug/ferd"
fi

work="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
base="http://127.0.0.1:$port"
data="$work/data"
staff="api-admin@example.org"

"$ferd" --data-dir "$data" init --practice "API test practice" --admin-email "$staff" --admin-name "Ada Admin" \
  > "$work/init.log"
token="$("$ferd" --data-dir "$data" token create --name schemathesis --scope write 2> "$work/token.log")"
case "$token" in
  ferd_*) ;;
  *) echo "error: ferd token create printed no token" >&2; cat "$work/token.log" >&2; exit 1 ;;
esac

FERD_LOG=warn "$ferd" --data-dir "$data" serve --listen "127.0.0.1:$port" > "$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  if python3 -c "import urllib.request, sys; urllib.request.urlopen('$base/readyz', timeout=1)" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "error: ferd serve stopped:" >&2
    cat "$work/serve.log" >&2
    exit 1
  fi
  sleep 0.1
done

# A little data, made through the API itself, so that lists have something in them and the stateful phase's links
# (a listed client to schedule for, a listed session to record, an open alert to acknowledge) lead somewhere.
python3 - "$base" "$token" "$staff" <<'PY'
import json
import sys
import urllib.request

base, token, staff = sys.argv[1:4]


def call(method, path, body=None):
    request = urllib.request.Request(
        base + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


for n, name in enumerate(["Kari Nordmann", "Ola Nordmann", "Per Hansen"]):
    inquiry = call("POST", "/api/v1/inquiries", {
        "name": name, "email": f"seed{n}@example.org", "language": "nb", "message": "Ringte om ventetid.",
    })
    if n == 2:
        continue  # one stays a new inquiry
    client = call("POST", f"/api/v1/inquiries/{inquiry['id']}/client", {"protocol": "mdma-at", "therapist": staff})
    for day, kind in [(5, "intake"), (12, "preparation")]:
        session = call("POST", "/api/v1/sessions", {
            "client_id": client["id"], "kind": kind, "start": f"2030-01-{day:02}T10:00:00+01:00",
            "duration_minutes": 90,
        })
    call("POST", f"/api/v1/sessions/{session['id']}/outcome", {"status": "missed"})
print("seeded: 3 inquiries, 2 clients, 4 sessions, 2 open alerts")
PY

examples="${FERD_API_EXAMPLES:-25}"
seed="${FERD_API_SEED:-20260504}"
echo "schemathesis $(python3 -c 'import importlib.metadata as m; print(m.version("schemathesis"))') against $base$(
  ) (seed $seed, $examples cases per operation and phase, 540 requests a minute: the token allows 600)"
st_status=0
# The token's limit is 600 requests a minute; schemathesis keeps under it. `too_slow` is a health check of
# schemathesis's own data generation (the free-text patterns up to 20,000 characters), not of ferd.
# From the scratch folder, so schemathesis's own files (.schemathesis/) stay out of the repository.
(cd "$work" && SCHEMATHESIS_HOOKS=hooks FERD_API_STAFF_EMAIL="$staff" \
  PYTHONPATH="$root/tests/api${PYTHONPATH:+:$PYTHONPATH}" python3 -m schemathesis.cli run "$base/api/openapi.json" \
    --header "Authorization: Bearer $token" \
    --checks all \
    --max-examples "$examples" \
    --seed "$seed" \
    --rate-limit 540/m \
    --suppress-health-check too_slow \
    --request-timeout 10 \
    --generation-database none \
    --report junit --report-junit-path "$work/junit.xml" \
    --no-color) \
  || st_status=$?

panics=0
if grep -q "panicked" "$work/serve.log"; then
  echo "error: the server panicked:" >&2
  grep -A5 "panicked" "$work/serve.log" >&2
  panics=1
fi

# Operations that passed and failed, from the JUnit report (one test case per operation).
python3 - "$work/junit.xml" "$st_status" "$panics" <<'PY'
import sys
import xml.etree.ElementTree as ET

path, status, panics = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
try:
    cases = ET.parse(path).getroot().iter("testcase")
except (OSError, ET.ParseError):
    cases = []
passed = failed = 0
for case in cases:
    if case.find("failure") is not None or case.find("error") is not None:
        failed += 1
    elif case.find("skipped") is None:
        passed += 1
if (status != 0 or panics) and failed == 0:
    failed = 1  # schemathesis (or the server) failed outside any one operation
print(f"api: {passed} passed, {failed} failed")
PY

if [ "$st_status" -ne 0 ] || [ "$panics" -ne 0 ]; then
  exit 1
fi
