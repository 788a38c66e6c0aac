#!/usr/bin/env bash
# Negative/positive controls for the FHIR validation harness: proves each validator
# accepts the known-good resources and rejects every known-bad one, run per file.
#
#   selftest/good/*.json  must pass fhir.resources AND medplum (each run alone)
#   selftest/bad/*.json   must be rejected by fhir.resources AND by medplum (each
#                         run alone), with a `FAIL <file>: ...` line that names the
#                         defect (EXPECT below), so a crash or an unrelated error
#                         does not count as a rejection
#   an empty directory    must fail both validators and validate.sh
#   validate.sh           must pass on good/ and fail on bad/
#
# Defects that NEITHER validator catches (observed with fhir.resources 8.3.0 and
# @medplum/core 4.5.2; deliberately NOT in bad/ because they would pass):
#   - codes outside a required ValueSet: Observation.status "finished",
#     QuestionnaireResponse.status "done", Questionnaire.item.type "bogus",
#     Narrative.status "weird" (no terminology/binding checks at all)
#   - empty arrays: "item": [], "component": [], "answer": [] (FHIR forbids them)
#   - empty object "subject": {} and empty string "questionnaire": ""
#   - id longer than 64 characters
#   - reference target type: Observation.subject -> "Questionnaire/q-1",
#     or reference "Observation/o1" with type "Patient"
#   - a Quantity with code but no system (qty-3 is not enforced)
#   - duplicate linkIds in a Questionnaire (que-2)
#   - extension value type: ordinalValue with valueString instead of valueDecimal
#     (extension StructureDefinitions are not loaded/checked)
#   - contained resource that nothing references (dom-3)
#   - Narrative div that is not XHTML (no xmlns), meta-level profile conformance
#   - duplicate JSON keys (both parsers keep the last one silently)
# Caught by only ONE validator (also not in bad/), see README.md for the full list.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GOOD="$HERE/selftest/good"
BAD="$HERE/selftest/bad"

# A fragment each validator's FAIL line must contain for each bad file.
declare -A EXPECT=(
  [observation-component-missing-code.json]="component"
  [observation-missing-code.json]="code"
  [observation-quantity-value-string.json]="value"
  [questionnaire-answeroption-without-value.json]="answerOption"
  [questionnaire-ordinalvalue-not-decimal.json]="extension"
  [questionnaireresponse-authored-invalid-date.json]="authored"
  [questionnaireresponse-item-missing-linkid.json]="linkId"
  [questionnaireresponse-item-not-array.json]="item"
  [questionnaireresponse-missing-status.json]="status"
  [questionnaireresponse-unknown-element.json]="score"
  [questionnaireresponse-valueinteger-fraction.json]="integer"
  [questionnaireresponse-valueinteger-string.json]="answer"
  [unknown-resourcetype.json]="QuestionnaireAnswer"
)

if ! "$HERE/setup.sh" --check 2>/dev/null; then
  "$HERE/setup.sh" </dev/null
fi

PY=("$HERE/.venv/bin/python" "$HERE/validate_fhir_resources.py")
MP=(node "$HERE/validate_medplum.mjs")

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "  pass  $*"; }
fail() { failed=$((failed + 1)); echo "  FAIL  $*"; }

# run NAME FILE... -> sets $out and $rc
run() {
  local name="$1"; shift
  rc=0
  if [[ "$name" == fhir.resources ]]; then
    out="$("${PY[@]}" "$@" 2>&1 </dev/null)" || rc=$?
  else
    out="$("${MP[@]}" "$@" 2>&1 </dev/null)" || rc=$?
  fi
}

shopt -s nullglob
good=("$GOOD"/*.json)
bad=("$BAD"/*.json)
[[ ${#good[@]} -gt 0 ]] || { echo "selftest: no files in $GOOD"; exit 1; }
[[ ${#bad[@]} -gt 0 ]] || { echo "selftest: no files in $BAD"; exit 1; }

echo "selftest: good files must pass"
for f in "${good[@]}"; do
  for v in fhir.resources medplum; do
    run "$v" "$f"
    if [[ $rc -eq 0 ]] && grep -qxF "ok $f" <<<"$out"; then
      pass "$v accepts $(basename "$f")"
    else
      fail "$v rejects good $(basename "$f") (exit $rc): $out"
    fi
  done
done

echo "selftest: bad files must be rejected"
for f in "${bad[@]}"; do
  b="$(basename "$f")"
  want="${EXPECT[$b]:-}"
  # A bad file without an EXPECT entry is itself a failure, but still gets run.
  [[ -n "$want" ]] || fail "no EXPECT entry for bad/$b in selftest.sh"
  for v in fhir.resources medplum; do
    run "$v" "$f"
    line="$(grep -F "FAIL $f: " <<<"$out" || true)"
    if [[ $rc -eq 1 && -n "$line" && -n "$want" && "$line" == *"$want"* ]]; then
      pass "$v rejects $b: ${line#"FAIL $f: "}"
    elif [[ $rc -eq 0 ]]; then
      fail "$v ACCEPTS bad $b"
    else
      fail "$v did not reject $b for the expected reason ('$want', exit $rc): $out"
    fi
  done
done

echo "selftest: an empty directory must not pass"
empty="$(mktemp -d)"
trap 'rm -rf "$empty"' EXIT
for v in fhir.resources medplum; do
  run "$v" "$empty"
  if [[ $rc -eq 1 ]]; then pass "$v fails on an empty directory"; else fail "$v exit $rc on an empty directory"; fi
done
rc=0; out="$("$HERE/validate.sh" "$empty" 2>&1 </dev/null)" || rc=$?
if [[ $rc -ne 0 ]]; then pass "validate.sh fails on an empty directory"; else fail "validate.sh passes an empty directory"; fi

echo "selftest: validate.sh on whole directories"
rc=0; out="$("$HERE/validate.sh" "$GOOD" 2>&1 </dev/null)" || rc=$?
last="$(tail -n1 <<<"$out")"
if [[ $rc -eq 0 && "$last" == "fhir validators: ${#good[@]} files, fhir.resources ok, medplum ok" ]]; then
  pass "validate.sh good/: $last"
else
  fail "validate.sh good/ (exit $rc): $out"
fi
rc=0; out="$("$HERE/validate.sh" "$BAD" 2>&1 </dev/null)" || rc=$?
last="$(tail -n1 <<<"$out")"
if [[ $rc -ne 0 && "$last" == "fhir validators: ${#bad[@]} files, fhir.resources FAILED, medplum FAILED" ]]; then
  pass "validate.sh bad/: $last"
else
  fail "validate.sh bad/ (exit $rc): $out"
fi

echo "selftest: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
