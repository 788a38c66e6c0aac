#!/usr/bin/env bash
# The browser tests: builds ferd, creates a fresh practice (two admins and six therapists) in a temporary data
# folder, serves it on a free port of 127.0.0.1, and runs flow.test.mjs, journey.test.mjs, site.test.mjs,
# report.test.mjs, referrals.test.mjs, then waitlist.test.mjs (last: it closes the whole practice for a while), in
# Debian's Chromium (FERD_E2E_FILES="journey site" runs only the files named). Screenshots and axe's reports go to
# e2e/screenshots/. Ends with `e2e: N passed, M failed` over the files run; exits non-zero on any failure.
#
# Needs /usr/bin/chromium (Debian's package `chromium`) and Node 20; installs e2e/node_modules with `npm ci` when
# they are missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$root"

chromium="${FERD_E2E_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "e2e: $chromium is missing (apt-get install chromium)" >&2
  exit 1
fi
if [ ! -d e2e/node_modules/playwright-core ] || [ ! -d e2e/node_modules/@axe-core/playwright ]; then
  (cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

cargo build -p ferd
ferd="${CARGO_TARGET_DIR:-$root/target}/debug/ferd"

work="$(mktemp -d)"
data="$work/data"
server=""
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# The password line both commands print: "  password: <pw>   (shown once…)".
password_of() { sed -n 's/^ *password: *\([^ ]*\).*$/\1/p' | head -n 1; }

admin_email=admin@e2e.example.org
therapist_email=terapeut@e2e.example.org
admin_password="$("$ferd" --data-dir "$data" init --practice "E2E-praksis" --admin-email "$admin_email" \
  --admin-name "Eva Admin" | password_of)"
therapist_password="$("$ferd" --data-dir "$data" user add --email "$therapist_email" --name "Tore Terapeut" \
  --role therapist | password_of)"
# The clinician of journey.test.mjs: a therapist of her own, so that story needs nothing from flow.test.mjs.
clinician_email=lege@e2e.example.org
clinician_name="Lise Lege"
clinician_password="$("$ferd" --data-dir "$data" user add --email "$clinician_email" --name "$clinician_name" \
  --role therapist | password_of)"
# The inbox of site.test.mjs: a therapist of her own who reads the messages sent through the public site's form.
inbox_email=innboks@e2e.example.org
inbox_password="$("$ferd" --data-dir "$data" user add --email "$inbox_email" --name "Ingrid Innboks" \
  --role therapist | password_of)"
# The therapist of report.test.mjs: a therapist of his own, whose clients alone make up the outcome report he sees.
report_email=rapport@e2e.example.org
report_password="$("$ferd" --data-dir "$data" user add --email "$report_email" --name "Rolf Rapport" \
  --role therapist | password_of)"
# The guide of referrals.test.mjs: a therapist who also administers the practice, so she both keeps the referral
# directory and refers her own client on.
referrals_email=henvisning@e2e.example.org
referrals_password="$("$ferd" --data-dir "$data" user add --email "$referrals_email" --name "Randi Referanse" \
  --role therapist --practice-admin | password_of)"
# The admin and the therapist of waitlist.test.mjs: people of their own, so closing the practice, joining its
# waitlist and taking the visitor into intake need nothing from the other files.
waitlist_admin_email=venteliste-admin@e2e.example.org
waitlist_admin_password="$("$ferd" --data-dir "$data" user add --email "$waitlist_admin_email" \
  --name "Vilde Venteliste" --role admin | password_of)"
waitlist_therapist_email=venteliste@e2e.example.org
waitlist_therapist_password="$("$ferd" --data-dir "$data" user add --email "$waitlist_therapist_email" \
  --name "Viggo Venter" --role therapist | password_of)"
if [ -z "$admin_password" ] || [ -z "$therapist_password" ] || [ -z "$clinician_password" ] \
  || [ -z "$inbox_password" ] || [ -z "$report_password" ] || [ -z "$referrals_password" ] \
  || [ -z "$waitlist_admin_password" ] || [ -z "$waitlist_therapist_password" ]; then
  echo "e2e: could not read the generated passwords from ferd init / ferd user add" >&2
  exit 1
fi

# Port 0: the system picks a free port, and ferd says which.
"$ferd" --data-dir "$data" serve --listen 127.0.0.1:0 >"$work/serve.log" 2>&1 &
server=$!
url=""
for _ in $(seq 1 300); do
  url="$(sed -n 's/^ferd is serving the practice at \(http:[^ ]*\).*$/\1/p' "$work/serve.log" | head -n 1)"
  [ -n "$url" ] && break
  if ! kill -0 "$server" 2>/dev/null; then break; fi
  sleep 0.1
done
ready=""
if [ -n "$url" ]; then
  for _ in $(seq 1 300); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/readyz")" = 200 ]; then ready=1; break; fi
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
  done
fi
if [ -z "$ready" ]; then
  echo "e2e: ferd did not become ready; its log:" >&2
  cat "$work/serve.log" >&2
  echo "e2e: 0 passed, 1 failed"
  exit 1
fi
echo "e2e: ferd serves a fresh practice at $url"

status=0
passed=0
failed=0
for file in ${FERD_E2E_FILES:-flow journey site report referrals waitlist}; do
  log="$work/e2e-$file.log"
  file_status=0
  FERD_E2E_URL="$url" FERD_E2E_CHROMIUM="$chromium" \
    FERD_E2E_ADMIN_EMAIL="$admin_email" FERD_E2E_ADMIN_PASSWORD="$admin_password" \
    FERD_E2E_THERAPIST_EMAIL="$therapist_email" FERD_E2E_THERAPIST_PASSWORD="$therapist_password" \
    FERD_E2E_CLINICIAN_EMAIL="$clinician_email" FERD_E2E_CLINICIAN_PASSWORD="$clinician_password" \
    FERD_E2E_CLINICIAN_NAME="$clinician_name" \
    FERD_E2E_INBOX_EMAIL="$inbox_email" FERD_E2E_INBOX_PASSWORD="$inbox_password" \
    FERD_E2E_REPORT_EMAIL="$report_email" FERD_E2E_REPORT_PASSWORD="$report_password" \
    FERD_E2E_REFERRALS_EMAIL="$referrals_email" FERD_E2E_REFERRALS_PASSWORD="$referrals_password" \
    FERD_E2E_WAITLIST_ADMIN_EMAIL="$waitlist_admin_email" FERD_E2E_WAITLIST_ADMIN_PASSWORD="$waitlist_admin_password" \
    FERD_E2E_WAITLIST_THERAPIST_EMAIL="$waitlist_therapist_email" \
    FERD_E2E_WAITLIST_THERAPIST_PASSWORD="$waitlist_therapist_password" \
    FERD_E2E_DATA="$data" \
    node --test-reporter=spec "e2e/$file.test.mjs" 2>&1 | tee "$log" || file_status=$?
  file_passed="$(sed -n 's/^ℹ pass \([0-9]*\)$/\1/p' "$log" | tail -n 1)"
  file_failed="$(sed -n 's/^ℹ fail \([0-9]*\)$/\1/p' "$log" | tail -n 1)"
  file_passed="${file_passed:-0}"
  file_failed="${file_failed:-0}"
  if [ "$file_status" -ne 0 ] && [ "$file_failed" -eq 0 ]; then file_failed=1; fi
  passed=$((passed + file_passed))
  failed=$((failed + file_failed))
  if [ "$file_status" -ne 0 ]; then status=$file_status; fi
done

if [ "$status" -ne 0 ]; then
  echo "e2e: the server's log (last 40 lines):"
  tail -n 40 "$work/serve.log"
fi
echo "e2e: screenshots and axe reports in e2e/screenshots/"
echo "e2e: $passed passed, $failed failed"
exit "$status"
