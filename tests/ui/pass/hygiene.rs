//! Generated code works in a module that shadows the names it might otherwise rely on.
#![allow(dead_code, non_camel_case_types)]

mod shadowed {
    use graph_endpoint::graph_endpoint;

    struct Option;
    struct Result;
    struct String;
    struct Vec;
    struct Into;
    struct Default;
    mod std {}
    mod core {}
    mod serde {}

    #[derive(::serde::Serialize, ::serde::Deserialize)]
    pub struct Assignment {
        id: ::std::string::String,
    }

    // Made up for the hygiene test.
    #[graph_endpoint(PATCH "/users/{userId}/items/{itemId}", unlisted, version = "beta", response = ::std::option::Option<Assignment>)]
    pub struct Update {
        pub user_id: ::std::string::String,
        pub item_id: u32,
        #[graph(query = "$select")]
        pub select: ::std::option::Option<::std::string::String>,
        #[graph(header = "If-Match")]
        pub etag: ::std::option::Option<&'static str>,
        #[graph(body)]
        pub body: Assignment,
    }

    #[graph_endpoint(response = ::std::vec::Vec<Assignment>)]
    pub enum List {
        // Made up for the hygiene test.
        #[graph(GET "/users/{userId}/items", unlisted)]
        ForUser { user_id: ::std::string::String },
        // Made up for the hygiene test.
        #[graph(GET "/items", unlisted, version = "beta")]
        All,
    }

    pub fn build() -> Update {
        Update::builder().user_id("u").item_id(7u32).body(Assignment { id: "x".into() }).build()
    }
}

pub fn main() {
    let _ = shadowed::build();
    let _ = shadowed::List::All;
}
