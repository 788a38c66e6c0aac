#!/usr/bin/env bash
# Fuzzes ferd-core's QuestionnaireResponse parser and scorer with cargo-fuzz (libFuzzer).
#
#   bash fuzz/run.sh SECONDS      # e.g. `bash fuzz/run.sh 60` in CI, `bash fuzz/run.sh 600` for a longer run
#
# 1. installs cargo-fuzz if it is missing (`cargo install cargo-fuzz --locked`);
# 2. builds the target with AddressSanitizer and debug assertions (so integer overflow panics), on the stable
#    toolchain: RUSTC_BOOTSTRAP=1 lets stable rustc accept the -Z flags cargo-fuzz passes; if the sanitizer build
#    fails, it falls back to a build without sanitizer (`-s none`);
# 3. replays every file in fuzz/regressions/ (inputs that once crashed) and fails if any still does;
# 4. copies fuzz/seeds/ into fuzz/corpus/questionnaire_response/ and fuzzes for SECONDS seconds with the
#    dictionary fuzz/qr.dict;
# 5. prints the executions, exec/s and corpus size, and exits non-zero on a crash (the input is then in
#    fuzz/artifacts/questionnaire_response/; the full libFuzzer log is fuzz/artifacts/questionnaire_response.log).
#
# Works from any directory, without a terminal (CI=true, no stdin), as root or not.
set -euo pipefail

seconds="${1:-60}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
    echo "usage: bash fuzz/run.sh SECONDS" >&2
    exit 2
fi

target=questionnaire_response
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fuzz="$root/fuzz"
cd "$root"

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# cargo-fuzz needs nightly-only flags (-Zsanitizer, -Cpasses=sancov-module …); the machine has only stable.
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "==> cargo-fuzz not found: installing it"
    cargo install cargo-fuzz --locked </dev/null
fi
echo "==> $(cargo fuzz --version)"

# Same flags for build and run, so that `run` does not rebuild.
flags=(--fuzz-dir "$fuzz" --debug-assertions)
echo "==> building $target (AddressSanitizer, debug assertions)"
if ! cargo fuzz build "${flags[@]}" "$target" </dev/null; then
    echo "==> the sanitizer build failed; building without sanitizer (-s none)"
    flags+=(--sanitizer none)
    cargo fuzz build "${flags[@]}" "$target" </dev/null
fi

# The panic message or sanitizer report of a crash, then the end of the log.
show_crash() {
    echo "---- panic / sanitizer report ----" >&2
    grep -E -A6 "panicked at|==[0-9]+==ERROR|^SUMMARY|^ALARM|out-of-memory" "$1" | head -n 60 >&2 || true
    echo "---- end of the log ($1) ----" >&2
    tail -n 40 "$1" >&2
}

artifacts="$fuzz/artifacts/$target"
corpus="$fuzz/corpus/$target"
log="$fuzz/artifacts/$target.log"
mkdir -p "$artifacts" "$corpus"

# Known crashers must stay fixed. libFuzzer runs each file given as an argument once, without fuzzing.
regressions=()
if [ -d "$fuzz/regressions" ]; then
    while IFS= read -r -d '' f; do regressions+=("$f"); done \
        < <(find "$fuzz/regressions" -type f ! -name 'README*' ! -name '.*' -print0 | sort -z)
fi
if [ "${#regressions[@]}" -gt 0 ]; then
    echo "==> replaying ${#regressions[@]} regression input(s) from fuzz/regressions/"
    if ! cargo fuzz run "${flags[@]}" "$target" "${regressions[@]}" -- \
        -artifact_prefix="$artifacts/regression-" >"$fuzz/artifacts/$target.regressions.log" 2>&1 </dev/null; then
        show_crash "$fuzz/artifacts/$target.regressions.log"
        echo "==> FAILED: a regression input in fuzz/regressions/ still crashes (log: fuzz/artifacts/$target.regressions.log)" >&2
        exit 1
    fi
    echo "==> regressions pass"
fi

cp "$fuzz"/seeds/* "$corpus"/
before=$(find "$corpus" -type f | wc -l)
echo "==> fuzzing $target for ${seconds}s (corpus: $before inputs; log: fuzz/artifacts/$target.log)"
status=0
cargo fuzz run "${flags[@]}" "$target" "$corpus" -- \
    -max_total_time="$seconds" \
    -dict="$fuzz/qr.dict" \
    -max_len=16384 \
    -timeout=10 \
    -rss_limit_mb=4096 \
    -print_final_stats=1 \
    -artifact_prefix="$artifacts/" \
    >"$log" 2>&1 </dev/null || status=$?
after=$(find "$corpus" -type f | wc -l)

stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -n 1; }
runs="$(stat number_of_executed_units)"
if [ -z "$runs" ]; then
    # Stats are printed on a normal exit; after a crash take the last status line ("#123456 ...").
    runs="$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#')"
fi
echo "==> executions: ${runs:-unknown}"
echo "==> exec/s: $(stat average_exec_per_sec)"
echo "==> corpus: $before -> $after inputs; new units: $(stat new_units_added)"
echo "==> peak RSS: $(stat peak_rss_mb) MB; slowest input: $(stat slowest_unit_time_sec) s"
grep -E '^Done [0-9]+ runs' "$log" || true

if [ "$status" -ne 0 ]; then
    echo "==> CRASH (exit $status)" >&2
    show_crash "$log"
    echo "==> crashing inputs:" >&2
    find "$artifacts" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) \
        -print >&2 || true
    exit "$status"
fi
echo "==> no crash in ${seconds}s"
