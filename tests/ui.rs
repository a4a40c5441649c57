//! Compile tests: definitions that must compile, and mistakes that must not, with their
//! exact diagnostics checked in under `tests/ui/fail/*.stderr`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
