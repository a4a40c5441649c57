#!/usr/bin/env python3
"""Tests of check_import_cycles.py: python3 scripts/test_check_import_cycles.py"""

import io
import sys
import tempfile
import unittest
from contextlib import redirect_stdout
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).parent))
import check_import_cycles as checker  # noqa: E402


def crate(files):
    root = Path(tempfile.mkdtemp())
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def check(files):
    out = io.StringIO()
    with redirect_stdout(out):
        ok = checker.check(crate(files))
    return ok, out.getvalue()


class UseTrees(unittest.TestCase):
    def test_groups_renames_and_self(self):
        self.assertEqual(
            checker.expand_use("crate::{a, b::{c, d as e}, self}"),
            [["crate", "a"], ["crate", "b", "c"], ["crate", "b", "d"], ["crate"]],
        )
        self.assertEqual(checker.expand_use("crate::basic::{alias as x}"), [["crate", "basic", "alias"]])
        self.assertEqual(checker.expand_use("super::*"), [["super"]])


class Cycles(unittest.TestCase):
    def test_siblings_that_use_each_other(self):
        ok, out = check({
            "lib.rs": "mod a; mod b;",
            "a.rs": "use crate::b::B;\npub struct A;",
            "b.rs": "pub struct B;\nfn f() -> crate::a::A { crate::a::A }",
        })
        self.assertFalse(ok)
        self.assertIn("a -> b  (a.rs:1: crate::b::B)", out)
        self.assertIn("b -> a  (b.rs:2: crate::a::A)", out)

    def test_a_cycle_through_folders_and_super(self):
        ok, out = check({
            "lib.rs": "mod x; mod y; mod z;",
            "x/mod.rs": "mod inner;",
            "x/inner.rs": "use super::super::y::Y;",
            "y.rs": "pub struct Y; use crate::z::Z;",
            "z.rs": "pub struct Z; fn f(_: crate::x::X) {}",
        })
        self.assertFalse(ok)
        self.assertIn("import cycle among x, y, z", out)

    def test_parents_and_children_may_use_each_other(self):
        ok, _ = check({
            "lib.rs": "mod a; pub use a::Item;",
            "a/mod.rs": "mod item; pub use item::Item; pub(crate) struct Shared;",
            "a/item.rs": "use super::Shared; pub struct Item(Shared);",
        })
        self.assertTrue(ok)

    def test_test_modules_count_and_comments_and_strings_do_not(self):
        ok, out = check({
            "lib.rs": "mod a; mod b;",
            "a.rs": "use crate::b::B;",
            "b.rs": '//! See crate::a::A.\npub struct B;\nconst S: &str = "crate::a::A";\n#[cfg(test)]\nmod tests {\n    use crate::a::A;\n}',
        })
        self.assertFalse(ok)
        self.assertIn("b -> a  (b.rs:6: crate::a::A)", out)
        ok, _ = check({
            "lib.rs": "mod a; mod b;",
            "a.rs": "use crate::b::B;",
            "b.rs": '//! See crate::a::A.\npub struct B;\nconst S: &str = "crate::a::A";',
        })
        self.assertTrue(ok)


if __name__ == "__main__":
    unittest.main()
