#!/usr/bin/env bash
# What checking routes costs a user's build: the same N corpus routes as #[graph_endpoint]
# definitions, built against the crate before route checking (BASE, a git revision) and after
# (AFTER, default HEAD), each checked out apart so that edits meanwhile do not count.
# Dependencies are built first; then ROUNDS clean builds of each crate alone (`cargo clean -p`),
# alternating (before, after, after, before, ...), debug profile; medians of wall and CPU time.
#
#   scripts/route_cost.sh [BASE] [AFTER] [N] [ROUNDS]     default: 03ec5ed HEAD 2000 5
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
base=${1:-03ec5ed}
head=${2:-HEAD}
n=${3:-2000}
rounds=${4:-5}
work=${ROUTE_COST_DIR:-$(mktemp -d)}
export CARGO_TARGET_DIR="$work/target"
[ -d "$work/base" ] || git -C "$root" worktree add -q --detach "$work/base" "$base"
[ -d "$work/head" ] || git -C "$root" worktree add -q --detach "$work/head" "$head"
trap 'git -C "$root" worktree remove --force "$work/base"; git -C "$root" worktree remove --force "$work/head"' EXIT
python3 "$work/base/scripts/gen_endpoints.py" macro "$work/before" --count "$n" 2>/dev/null
python3 "$work/head/scripts/gen_endpoints.py" macro "$work/after" --count "$n" 2>/dev/null
for side in before after; do
  (cd "$work/$side" && cargo build -q 2>"$work/$side.log" || { cat "$work/$side.log"; exit 1; })
  echo "$side: $(grep -c '^warning: use of deprecated constant' "$work/$side.log" || true) route warnings" >&2
done
python3 - "$work" "$rounds" "$n" <<'PY'
import os, resource, statistics, subprocess, sys, time
work, rounds, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def build(side):
    d = os.path.join(work, side)
    subprocess.run(["cargo", "clean", "-q", "-p", "generated-macro"], cwd=d, check=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    subprocess.run(["cargo", "build", "-q"], cwd=d, check=True, stderr=subprocess.DEVNULL)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
results = {"before": [], "after": []}
for r in range(rounds):
    order = ["before", "after"] if r % 2 == 0 else ["after", "before"]
    for side in order:
        results[side].append(build(side))
print(f"{n} definitions, {rounds} rounds, medians")
print(f"{'':8} {'wall s':>8} {'cpu s':>8}")
med = {}
for side in ["before", "after"]:
    wall = statistics.median(w for w, _ in results[side]); cpu = statistics.median(c for _, c in results[side])
    med[side] = (wall, cpu)
    print(f"{side:8} {wall:8.2f} {cpu:8.2f}   (walls: {' '.join(f'{w:.2f}' for w, _ in results[side])})")
dw = med["after"][0] - med["before"][0]; dc = med["after"][1] - med["before"][1]
print(f"difference: {dw:+.2f} s wall, {dc:+.2f} s CPU = {1000 * dw / n:+.3f} ms wall, {1000 * dc / n:+.3f} ms CPU per definition")
PY
