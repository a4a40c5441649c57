#!/usr/bin/env bash
# Rebuilds the route index the attribute embeds (macros/src/routes/graph-routes.idx) from the
# route lists kept in macros/tests/data/routes (see the README there for where they come from).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data="$root/macros/tests/data/routes"
cargo run -q --manifest-path "$root/Cargo.toml" -p graph-endpoint-gen -- route-index \
  --list "v1.0=$data/v1.0.tsv.gz" \
  --list "beta=$data/beta.tsv.gz" \
  --source "v1.0: microsoftgraph/msgraph-sdk-go 991a166507b8b3115479c484d22e824354ca9075 (2026-04-10, SDK 1.96.0), 14,408 routes" \
  --source "beta: microsoftgraph/msgraph-beta-sdk-go 35eb93e999594204e5c881d8ad22664dce7dba50 (2026-08-05, SDK 0.165.0), 26,953 routes" \
  --out "$root/macros/src/routes/graph-routes.idx"
