#!/usr/bin/env bash
# The outcome-report benchmark: N clients × 8 PCL-5 responses on SQLite; `ferd report outcomes` against the pandas
# equivalent reading the same database, end to end, in the same run. Prints wall time and peak memory of each.
#
# usage: bash bench/outcomes.sh [N]      (default 100000; needs python3 with pandas, and /usr/bin/time)
set -euo pipefail
n="${1:-100000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"
cargo build --release -q -p ferd
cargo build --release -q -p ferd-store --example synthetic_registry
ferd="$root/target/release/ferd"
"$ferd" --data-dir "$work/data" init --practice Bench --admin-email bench@example.org >/dev/null
"$root/target/release/examples/synthetic_registry" "$work/data" "$n"
python="${PYTHON:-python3}"
for run in 1 2 3; do
  /usr/bin/time -f "ferd   run $run: %e s wall, %M KB max RSS" "$ferd" --data-dir "$work/data" report outcomes --format csv > "$work/ferd.csv"
  /usr/bin/time -f "pandas run $run: %e s wall, %M KB max RSS" "$python" bench/pandas_outcomes.py "$work/data" "$work/pandas.csv"
done
echo "--- ferd (pcl-5 row)"; grep '^pcl-5' "$work/ferd.csv"
echo "--- pandas"; cat "$work/pandas.csv"
