#!/usr/bin/env python3
"""Fails when a dependency the published crates build with declares a newer Rust than ours.

The workspace's `rust-version` is a promise to users. Clippy's `incompatible_msrv` lint (on in
CI through `clippy::all`) holds our own code to it; this holds the lockfile to it: every package
in the normal and build dependency closure of the workspace's crates, with every feature on,
must declare a `rust-version` no newer than the workspace's (or none). Dev-dependencies are
left out: they build the crate's own tests, not users' programs.

    scripts/check_msrv.py            # reads `cargo metadata --locked --all-features`
"""
import json
import subprocess
import sys


def version(text):
    parts = [int(part) for part in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def main():
    metadata = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--locked", "--all-features"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    packages = {p["id"]: p for p in metadata["packages"]}
    members = set(metadata["workspace_members"])
    promised = {packages[m]["rust_version"] for m in members}
    if len(promised) != 1 or None in promised:
        sys.exit(f"error: the workspace's crates declare different rust-versions: {sorted(map(str, promised))}")
    msrv = promised.pop()

    nodes = {n["id"]: n for n in metadata["resolve"]["nodes"]}
    seen, stack = set(), list(members)
    while stack:
        node = nodes[stack.pop()]
        for dep in node["deps"]:
            kinds = {k["kind"] for k in dep["dep_kinds"]}
            if kinds <= {"dev"} and node["id"] in members:
                continue
            if dep["pkg"] not in seen:
                seen.add(dep["pkg"])
                stack.append(dep["pkg"])

    newer = sorted(
        (packages[p]["name"], packages[p]["version"], packages[p]["rust_version"])
        for p in seen
        if packages[p].get("rust_version") and version(packages[p]["rust_version"]) > version(msrv)
    )
    for name, ver, rust in newer:
        print(f"error: {name} {ver} needs Rust {rust}, newer than the workspace's rust-version {msrv}")
    if newer:
        sys.exit("hint: `cargo update -p <name> --precise <older version>`, or raise rust-version")
    print(f"rust-version {msrv}: {len(seen)} locked dependencies (every feature on) declare it or older")


if __name__ == "__main__":
    main()
