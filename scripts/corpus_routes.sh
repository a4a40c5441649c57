#!/usr/bin/env bash
# Checks every row of the route corpus (macros/tests/data/graph-routes.tsv) against the
# attribute's built-in route index and counts the rows that would warn, by reason, with a few
# examples of each: `scripts/corpus_routes.sh [EXAMPLES]` (default 3).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cargo run -q --manifest-path "$root/Cargo.toml" -p graph-endpoint-template --example route_report -- \
  "$root/macros/src/routes/graph-routes.idx" "$root/macros/tests/data/graph-routes.tsv" "${1:-3}"
