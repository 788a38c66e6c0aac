#!/usr/bin/env bash
# Validate every *.json FHIR resource in DIR with two independent validators:
# fhir.resources (Python, R4B models) and Medplum validateResource (Node, R4 SDs).
# Installs the dependencies first (setup.sh, quietly) when needed.
#
# usage: validate.sh DIR
# Exit 0 only when DIR has json files and both validators accept all of them.
# Last line: `fhir validators: N files, fhir.resources ok|FAILED, medplum ok|FAILED`.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [[ $# -ne 1 ]]; then
  echo "usage: validate.sh DIR" >&2
  exit 2
fi
DIR="$1"
if [[ ! -d "$DIR" ]]; then
  echo "fhir validators: not a directory: $DIR" >&2
  exit 2
fi

if ! "$HERE/setup.sh" --check 2>/dev/null; then
  log="$(mktemp)"
  if ! "$HERE/setup.sh" >"$log" 2>&1 </dev/null; then
    cat "$log" >&2
    rm -f "$log"
    echo "fhir validators: setup.sh failed" >&2
    exit 2
  fi
  rm -f "$log"
fi

shopt -s nullglob
files=("$DIR"/*.json)
n=${#files[@]}

py=0
"$HERE/.venv/bin/python" "$HERE/validate_fhir_resources.py" "$DIR" </dev/null || py=$?
mp=0
node "$HERE/validate_medplum.mjs" "$DIR" </dev/null || mp=$?

[[ $py -eq 0 ]] && py_s="fhir.resources ok" || py_s="fhir.resources FAILED"
[[ $mp -eq 0 ]] && mp_s="medplum ok" || mp_s="medplum FAILED"
echo "fhir validators: $n files, $py_s, $mp_s"
[[ $py -eq 0 && $mp -eq 0 && $n -gt 0 ]]
