//! `GRAPH_ENDPOINT_ROUTES`: definitions checked against a user's route file. Its own test
//! binary, as it sets the variable for the compiles it starts.

#[test]
fn definitions_are_checked_against_the_users_route_file() {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/routes/user-routes.tsv");
    // SAFETY: the only test of this binary; no other thread reads the environment.
    unsafe { std::env::set_var("GRAPH_ENDPOINT_ROUTES", file) };
    trybuild::TestCases::new().compile_fail("tests/ui/route_file/*.rs");
}
