#!/usr/bin/env bash
# Build time of N #[graph_endpoint] definitions versus the same N operations written by hand
# as async functions over reqwest. Dependencies are built first; each measurement is a clean
# build of the generated crate alone (`cargo clean -p` first, so neither side reuses
# incremental results), debug profile, the best of 3.
#
#   scripts/compile_cost.sh [N ...]        default: 100 500 1000
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${COMPILE_COST_DIR:-$(mktemp -d)}
export CARGO_TARGET_DIR="$work/target"
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(100 500 1000)

measure() { # crate dir -> seconds (best of 3)
  local dir=$1 best="" package
  package=$(sed -n 's/^name = "\(.*\)"/\1/p' "$dir/Cargo.toml" | head -1)
  (cd "$dir" && cargo build -q >/dev/null 2>&1) # dependencies, and a first build
  for _ in 1 2 3; do
    (cd "$dir" && cargo clean -q -p "$package")
    local start end
    start=$(date +%s.%N)
    (cd "$dir" && cargo build -q)
    end=$(date +%s.%N)
    best=$(python3 -c "import sys; t=$end-$start; b=sys.argv[1]; print(t if not b or t < float(b) else b)" "$best")
  done
  printf '%.2f' "$best"
}

printf '%6s  %10s  %10s  %6s\n' N macro_s manual_s ratio
for n in "${counts[@]}"; do
  python3 "$root/scripts/gen_endpoints.py" macro "$work/macro-$n" --count "$n" 2>/dev/null
  python3 "$root/scripts/gen_endpoints.py" manual "$work/manual-$n" --count "$n" 2>/dev/null
  m=$(measure "$work/macro-$n")
  h=$(measure "$work/manual-$n")
  printf '%6s  %10s  %10s  %6.2f\n' "$n" "$m" "$h" "$(python3 -c "print($m / $h)")"
done
