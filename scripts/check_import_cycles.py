#!/usr/bin/env python3
"""Fails when the modules of a Rust crate import each other in a cycle.

    python3 scripts/check_import_cycles.py runtime/src [macros/src ...]

Each argument is a crate's source directory (the one holding `lib.rs` or `main.rs`). The
module tree comes from the files (`a.rs` and `a/mod.rs` are `a`, `a/b.rs` is `a::b`) and the
inline `mod name { ... }` blocks in them. Every path a module names (`use crate::...`,
`use super::...`, `use self::...`, `$crate::...`, a path into a child module, and the same
paths written out in code) is an edge from that module to the one the path leads to.

Edges are compared between siblings: `call::exchange` naming `client::Client` is an edge from
`call` to `client` (their ancestors under the crate root), and `call::exchange` naming
`call::retry` is an edge from `exchange` to `retry`. A parent and its own descendants may name
each other (a folder's `mod.rs` re-exports its files; a file names what its folder's
`mod.rs` defines). Any cycle among the siblings of one parent fails the check, with the lines
that make it. Test modules count too: a test is code of the module it sits in.

Comments (doc comments and their links included) and string literals are not read.
Its own tests: `python3 scripts/test_check_import_cycles.py`.
"""

import re
import sys
from pathlib import Path

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


def strip(source):
    """The source with comments and the contents of string and char literals blanked out
    (newlines kept, so line numbers stay right)."""
    out = []
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if source.startswith("//", i):
            j = source.find("\n", i)
            j = n if j < 0 else j
            i = j
            continue
        if source.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if source.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif source.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append("".join(ch if ch == "\n" else " " for ch in source[i:j]))
            i = j
            continue
        raw = re.match(r'b?r(#*)"', source[i:i + 300])
        if raw and (i == 0 or not (source[i - 1].isalnum() or source[i - 1] == "_")):
            end = '"' + raw.group(1)
            j = source.find(end, i + raw.end())
            j = n if j < 0 else j + len(end)
            out.append('""' + "".join("\n" for ch in source[i:j] if ch == "\n"))
            i = j
            continue
        if c == '"':
            j = i + 1
            while j < n and source[j] != '"':
                j += 2 if source[j] == "\\" else 1
            out.append('""' + "".join("\n" for ch in source[i:j + 1] if ch == "\n"))
            i = j + 1
            continue
        if c == "'":
            char = re.match(r"'(\\.[^']*|[^'\\])'", source[i:i + 12])
            if char:
                out.append("' '")
                i += char.end()
                continue
        out.append(c)
        i += 1
    return "".join(out)


def expand_use(tree):
    """`a::{b, c::{d, e as f}, self}` -> [["a","b"], ["a","c","d"], ["a","c","e"], ["a"]]."""
    tree = re.sub(r"\s+as\s+" + IDENT, "", tree)
    tree = re.sub(r"\s+", "", tree)
    paths = []

    def walk(prefix, text):
        depth, start, parts = 0, 0, []
        for k, ch in enumerate(text):
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == "," and depth == 0:
                parts.append(text[start:k])
                start = k + 1
        parts.append(text[start:])
        for part in filter(None, parts):
            brace = part.find("{")
            if brace >= 0 and part.endswith("}"):
                head = [s for s in part[:brace].split("::") if s]
                walk(prefix + head, part[brace + 1:-1])
            else:
                segments = [s for s in part.split("::") if s]
                if segments == ["self"]:
                    paths.append(list(prefix))
                elif segments and segments != ["*"]:
                    paths.append(prefix + [s for s in segments if s != "*"])
                else:
                    paths.append(list(prefix))

    walk([], tree)
    return paths


def modules_of(root):
    """Module path (tuple) -> file, for every file of the crate."""
    files = {}
    for path in sorted(root.rglob("*.rs")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts in (["lib"], ["main"]):
            parts = []
        elif parts[-1] == "mod":
            parts = parts[:-1]
        files[tuple(parts)] = path
    return files


def scan(module, text, known):
    """(module, line, path) for every path in `text`, with the module each appears in
    (inline `mod name { ... }` blocks included); adds inline modules to `known`."""
    found = []
    stack = [(module, -1)]
    depth = 0
    line = 1
    pending = None
    tokens = re.finditer(
        r"\n|\{|\}|;|\bmod\s+(" + IDENT + r")\s*(?=[{;])|\buse\s+([^;]+);|(\$?\b(?:crate|super|self)\b(?:\s*::\s*" + IDENT + r")+)",
        text,
    )
    for token in tokens:
        t = token.group(0)
        if t == "\n":
            line += 1
            continue
        if token.group(1):
            pending = token.group(1)
            continue
        if t == "{":
            depth += 1
            if pending is not None:
                inner = stack[-1][0] + (pending,)
                known.add(inner)
                stack.append((inner, depth))
                pending = None
            continue
        if t == "}":
            if stack[-1][1] == depth:
                stack.pop()
            depth -= 1
            continue
        if t == ";":
            pending = None
            continue
        current = stack[-1][0]
        if token.group(2):
            for path in expand_use(token.group(2)):
                found.append((current, line, path))
            line += token.group(2).count("\n")
        elif token.group(3):
            found.append((current, line, re.sub(r"\s+", "", token.group(3)).lstrip("$").split("::")))
    return found


def resolve(current, path, known):
    """The deepest module `path` leads to from `current`, or None (another crate, std)."""
    if not path:
        return None
    if path[0] == "crate":
        at, rest = (), path[1:]
    elif path[0] in ("self", "super"):
        at, rest = current, path
        while rest and rest[0] in ("self", "super"):
            if rest[0] == "super":
                if not at:
                    return None
                at = at[:-1]
            rest = rest[1:]
    elif current + (path[0],) in known:
        at, rest = current, path
    elif not current and (path[0],) in known:
        at, rest = (), path
    else:
        return None
    for segment in rest:
        if at + (segment,) in known:
            at = at + (segment,)
        else:
            break
    return at


def cycles(edges):
    """Strongly connected components with more than one member (Tarjan)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = [0]
    nodes = set(edges) | {b for targets in edges.values() for b in targets}

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return found


def check(root):
    files = modules_of(root)
    known = set(files)
    references = []
    for module, path in files.items():
        references += [(m, path, line, p) for m, line, p in scan(module, strip(path.read_text()), known)]
    # Sibling edges, each with the first line that makes it.
    edges, why = {}, {}
    for module, path, line, target_path in references:
        target = resolve(module, target_path, known)
        if target is None:
            continue
        common = 0
        while common < min(len(module), len(target)) and module[common] == target[common]:
            common += 1
        if common == len(module) or common == len(target):
            continue  # a module and its own ancestor or descendant
        a, b = module[: common + 1], target[: common + 1]
        edges.setdefault(a, set()).add(b)
        why.setdefault((a, b), f"{path.relative_to(root)}:{line}: {'::'.join(target_path)}")
    failed = False
    for component in cycles(edges):
        failed = True
        names = ", ".join("::".join(m) for m in component)
        print(f"{root}: import cycle among {names}:")
        members = set(component)
        for a in component:
            for b in sorted(edges.get(a, ())):
                if b in members:
                    print(f"  {'::'.join(a)} -> {'::'.join(b)}  ({why[(a, b)]})")
    return not failed


def main(args):
    if not args:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    ok = True
    for arg in args:
        root = Path(arg)
        if not (root / "lib.rs").exists() and not (root / "main.rs").exists():
            print(f"{root}: no lib.rs or main.rs", file=sys.stderr)
            return 2
        ok &= check(root)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
