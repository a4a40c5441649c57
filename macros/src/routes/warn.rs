//! The warnings: on stable Rust a proc macro cannot emit one directly, so each is the use of a
//! `#[deprecated]` constant at the user's template, whose note is the message. rustc prints
//! "use of deprecated constant `GRAPH_ROUTE_NOT_IN_INDEX`: MESSAGE" there, and
//! `#![deny(deprecated)]` turns it into an error.

use super::routes;
use graph_endpoint_template::Template;
use graph_endpoint_template::routes::{FindingKind, Method, RouteIndex, Version};
use proc_macro2::{Span, TokenStream};
use quote::quote;

/// One route of a valid definition, as the checker needs it.
pub struct Checked<'a> {
    pub method: Method,
    pub template: &'a Template,
    pub literal: &'a syn::LitStr,
    pub version: Option<Version>,
    /// The `unlisted` flag, where written.
    pub unlisted: Option<Span>,
    /// An enum variant's route (its flag goes in `#[graph(...)]`).
    pub variant: bool,
}

/// The warnings for the routes of a valid definition.
pub fn route_warnings(checked: &[Checked<'_>]) -> TokenStream {
    let routes = routes();
    let mut out = TokenStream::new();
    for route in checked {
        if let Some(problem) = &routes.problem {
            out.extend(warning(route.literal.span(), "GRAPH_ENDPOINT_ROUTES_UNREADABLE", problem));
        }
        let Some(index) = &routes.index else { continue };
        out.extend(check(index, route, routes.file.is_some()));
    }
    out
}

fn check(index: &RouteIndex, route: &Checked<'_>, user_file: bool) -> TokenStream {
    let finding = index.check(route.method, route.template, route.version);
    let against = if user_file { format!("the route file {}", index.sources()) } else { "Graph's route index".to_owned() };
    match (finding, route.unlisted) {
        (None, None) | (Some(_), Some(_)) => TokenStream::new(),
        (None, Some(flag)) => warning(
            flag,
            "UNLISTED_IS_NOT_NEEDED",
            &format!(
                "`unlisted` is not needed: {against} lists `{} {}`{}; remove `unlisted` so that the route stays checked",
                route.method.name(),
                route.literal.value(),
                route.version.map_or(String::new(), |v| format!(" in {}", v.name()))
            ),
        ),
        (Some(finding), None) => {
            let attribute =
                if route.variant { "#[graph(METHOD \"/path\", unlisted)]" } else { "#[graph_endpoint(METHOD \"/path\", unlisted)]" };
            let message = if user_file {
                format!("{} (checked against {against}); if the route exists, say so with `unlisted`: {attribute}", finding.message())
            } else {
                let message = finding.message();
                if finding.kind() == FindingKind::OtherVersion {
                    format!("{message} (or, if the version you call has the route too, say so with `unlisted`: {attribute})")
                } else {
                    let stop = if message.ends_with('?') { "" } else { "." };
                    format!(
                        "{message}{stop} If Graph has the route (its reference pages document some that its SDKs leave out), say so with `unlisted`: {attribute}"
                    )
                }
            };
            warning(route.literal.span(), "GRAPH_ROUTE_NOT_IN_INDEX", &message)
        }
    }
}

/// A `#[deprecated]` constant named `name`, used at `span`.
fn warning(span: Span, name: &str, message: &str) -> TokenStream {
    let declared = syn::Ident::new(name, Span::call_site());
    let used = syn::Ident::new(name, span);
    quote! {
        const _: () = {
            #[deprecated(note = #message)]
            const #declared: () = ();
            #used
        };
    }
}
