//! Parsing of the macro's own syntax: the `#[graph_endpoint(...)]` arguments, the
//! `#[graph(METHOD "template")]` route of an enum variant, and `#[graph(...)]` field roles.
//! Syntax only; whether the pieces fit together is `valid`'s job.

use crate::errors::Errors;
use proc_macro2::{Span, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::{Attribute, Ident, LitStr, Token, Type};

/// The methods and versions are the route index's: one spelling of each for the whole
/// workspace.
pub use graph_endpoint_template::routes::{Method, Version};

/// Whether a body is allowed: Graph's GET and DELETE take none.
pub fn allows_body(method: Method) -> bool {
    !matches!(method, Method::Get | Method::Delete)
}

/// `PATCH "/path/{id}"`.
pub struct RequestLine {
    /// `None` when the method was not understood (already reported); the template is still
    /// checked so that all errors come at once.
    pub method: Option<Method>,
    pub method_ident: Ident,
    pub template: LitStr,
}

/// The arguments of `#[graph_endpoint(...)]`, or of a variant's `#[graph(...)]`.
#[derive(Default)]
pub struct Args {
    pub request: Option<RequestLine>,
    pub version: Option<Version>,
    pub response: Option<Type>,
    /// The `idempotent` flag, as written: this POST may be resent when the outcome of an
    /// attempt is unknown.
    pub idempotent: Option<Ident>,
    /// The `unlisted` flag, as written: the route exists although Graph's route index lacks
    /// it, so it is not checked against the index.
    pub unlisted: Option<Ident>,
    /// `crate = "path::to::graph_endpoint"`: where generated code finds the facade when it is
    /// renamed or re-exported.
    pub crate_path: Option<syn::Path>,
    /// A syntax error stopped the parse; what is missing may just be unread.
    pub incomplete: bool,
}

/// Which arguments a position accepts.
#[derive(Clone, Copy)]
pub enum ArgsPosition {
    /// `#[graph_endpoint(...)]`: request line, version, response, idempotent.
    Item,
    /// `#[graph(...)]` on an enum variant: request line, version, idempotent.
    Variant,
}

const ITEM_ARGS: &str = "expected `METHOD \"/path\"`, `version = \"v1.0\"` or `\"beta\"`, `response = Type`, `idempotent`, `unlisted`, or `crate = \"path::to::graph_endpoint\"`";
const VARIANT_ARGS: &str = "expected `METHOD \"/path\"`, `version = \"v1.0\"` or `\"beta\"`, `idempotent` or `unlisted` (the response type is declared once, on the enum)";

/// The flag that marks a POST as safe to resend.
pub const IDEMPOTENT: &str = "idempotent";

/// The flag that says a route exists although Graph's route index lacks it.
pub const UNLISTED: &str = "unlisted";

/// Parses arguments, recording every semantic error in `errors`. Returns what could be read.
pub fn parse_args(tokens: TokenStream, position: ArgsPosition, errors: &mut Errors) -> Args {
    let parser = |input: ParseStream| parse_args_inner(input, position, errors);
    match parser.parse2(tokens) {
        Ok(args) => args,
        Err(error) => {
            errors.push(error);
            Args { incomplete: true, ..Args::default() }
        }
    }
}

fn parse_args_inner(input: ParseStream, position: ArgsPosition, errors: &mut Errors) -> syn::Result<Args> {
    let mut args = Args::default();
    let expected = match position {
        ArgsPosition::Item => ITEM_ARGS,
        ArgsPosition::Variant => VARIANT_ARGS,
    };
    let mut first = true;
    let (mut seen_version, mut seen_response) = (false, false);
    while !input.is_empty() {
        if input.peek(LitStr) {
            let lit: LitStr = input.parse()?;
            errors.at(
                &lit,
                format_args!("missing HTTP method before the path template; write `GET {}` (or POST, PUT, PATCH, DELETE)", lit.token()),
            );
            if args.request.is_none() {
                args.request = Some(RequestLine { method: None, method_ident: Ident::new("GET", lit.span()), template: lit });
            }
        } else if input.peek(syn::Ident::peek_any) && input.peek2(Token![=]) {
            let key: Ident = Ident::parse_any(input)?;
            let _: Token![=] = input.parse()?;
            match key.to_string().as_str() {
                "version" => {
                    if std::mem::replace(&mut seen_version, true) {
                        errors.at(&key, "`version` is given more than once; keep one");
                    }
                    if input.peek(LitStr) {
                        let lit: LitStr = input.parse()?;
                        if let Some(version) = parse_version(&lit, errors) {
                            args.version = Some(version);
                        }
                    } else {
                        let value = take_until_comma(input);
                        let span = if value.is_empty() { key.span() } else { first_span(&value) };
                        errors.span(span, "the version is a string: `version = \"v1.0\"` or `version = \"beta\"`");
                    }
                }
                "response" if matches!(position, ArgsPosition::Item) => {
                    let ty: Type = input.parse()?;
                    if std::mem::replace(&mut seen_response, true) {
                        errors.at(&key, "`response` is given more than once; keep one");
                    }
                    args.response = Some(ty);
                }
                "response" => {
                    errors
                        .at(&key, "the response type of an enum is declared once, in #[graph_endpoint(response = ...)], not on a variant");
                    skip_value(input);
                }
                "crate" if matches!(position, ArgsPosition::Item) => {
                    let value = take_until_comma(input);
                    let lit = syn::parse2::<LitStr>(value.clone());
                    match lit.as_ref().map(|lit| (lit, lit.parse::<syn::Path>())) {
                        Ok((lit, Ok(path))) => {
                            if args.crate_path.replace(path).is_some() {
                                errors.at(lit, "`crate` is given more than once; keep one");
                            }
                        }
                        Ok((lit, Err(_))) => errors.at(
                            lit,
                            format_args!("{:?} is not a path; write the path of the graph-endpoint crate as you name it, e.g. `crate = \"::my_sdk::graph_endpoint\"`", lit.value()),
                        ),
                        Err(_) => {
                            let span = if value.is_empty() { key.span() } else { first_span(&value) };
                            errors.span(span, "the crate path is a string: `crate = \"::my_sdk::graph_endpoint\"`");
                        }
                    }
                }
                "crate" => {
                    errors.at(&key, "`crate` is given once, on the enum's #[graph_endpoint(...)], not on a variant");
                    skip_value(input);
                }
                IDEMPOTENT => {
                    let value = take_until_comma(input);
                    let span = if value.is_empty() { key.span() } else { first_span(&value) };
                    let hint = if value.to_string() == "false" { "; leave it out for a POST that must not be resent" } else { "" };
                    errors.span(
                        span,
                        format_args!(
                            "`idempotent` is a bare flag and takes no value: write `idempotent`, not `idempotent = {value}`{hint}"
                        ),
                    );
                    set_idempotent(&mut args, key, errors);
                }
                UNLISTED => {
                    let value = take_until_comma(input);
                    let span = if value.is_empty() { key.span() } else { first_span(&value) };
                    errors.span(
                        span,
                        format_args!("`unlisted` is a bare flag and takes no value: write `unlisted`, not `unlisted = {value}`"),
                    );
                    set_unlisted(&mut args, key, errors);
                }
                "method" | "path" | "template" | "url" => {
                    errors.at(
                        &key,
                        format_args!(
                            "unknown argument `{key}`; write the request line first, as on the Graph page: `PATCH \"/users/{{userId}}\"`"
                        ),
                    );
                    skip_value(input);
                }
                _ => {
                    errors.at(&key, format_args!("unknown argument `{key}`; {expected}"));
                    skip_value(input);
                }
            }
        } else if input.peek(syn::Ident::peek_any)
            && !input.peek2(LitStr)
            && input.fork().call(Ident::parse_any).is_ok_and(|i| i == IDEMPOTENT)
        {
            let flag: Ident = Ident::parse_any(input)?;
            if !input.is_empty() && !input.peek(Token![,]) {
                let value = take_until_comma(input);
                errors.span(first_span(&value), "`idempotent` is a bare flag and takes no value: write `idempotent` alone");
            }
            set_idempotent(&mut args, flag, errors);
        } else if input.peek(syn::Ident::peek_any)
            && !input.peek2(LitStr)
            && input.fork().call(Ident::parse_any).is_ok_and(|i| i == UNLISTED)
        {
            let flag: Ident = Ident::parse_any(input)?;
            if !input.is_empty() && !input.peek(Token![,]) {
                let value = take_until_comma(input);
                errors.span(first_span(&value), "`unlisted` is a bare flag and takes no value: write `unlisted` alone");
            }
            set_unlisted(&mut args, flag, errors);
        } else if input.peek(syn::Ident::peek_any) {
            let ident: Ident = Ident::parse_any(input)?;
            let method = parse_method(&ident, errors);
            let template: LitStr = if input.peek(LitStr) {
                input.parse()?
            } else {
                let rest: TokenStream = take_until_comma(input);
                let span = if rest.is_empty() { ident.span() } else { first_span(&rest) };
                return Err(syn::Error::new(
                    span,
                    format_args!("expected the path template as a string literal after `{ident}`, e.g. `{ident} \"/users/{{userId}}\"`"),
                ));
            };
            if args.request.is_some() {
                errors.at(&ident, "the request line `METHOD \"/path\"` is given more than once; one endpoint has one route (use an enum for alternate routes)");
            } else {
                if !first {
                    errors.at(&ident, "the request line `METHOD \"/path\"` comes first, before the other arguments");
                }
                args.request = Some(RequestLine { method, method_ident: ident, template });
            }
        } else {
            return Err(input.error(expected));
        }
        first = false;
        if input.is_empty() {
            break;
        }
        let _: Token![,] = input.parse()?;
    }
    Ok(args)
}

fn set_idempotent(args: &mut Args, flag: Ident, errors: &mut Errors) {
    if args.idempotent.is_some() {
        errors.at(&flag, "`idempotent` is given more than once; keep one");
    } else {
        args.idempotent = Some(flag);
    }
}

fn set_unlisted(args: &mut Args, flag: Ident, errors: &mut Errors) {
    if args.unlisted.is_some() {
        errors.at(&flag, "`unlisted` is given more than once; keep one");
    } else {
        args.unlisted = Some(flag);
    }
}

fn parse_method(ident: &Ident, errors: &mut Errors) -> Option<Method> {
    let name = ident.to_string();
    match Method::from_name(&name) {
        Some(method) if method.name() == name => return Some(method),
        Some(method) => errors.at(ident, format_args!("write the HTTP method in upper case: `{}`", method.name())),
        None => errors.at(ident, format_args!("unknown HTTP method `{name}`; expected one of GET, POST, PUT, PATCH, DELETE")),
    }
    None
}

fn parse_version(lit: &LitStr, errors: &mut Errors) -> Option<Version> {
    match lit.value().as_str() {
        "v1.0" => Some(Version::V1),
        "beta" => Some(Version::Beta),
        other => {
            let hint = match other.to_ascii_lowercase().trim_start_matches('/') {
                "v1" | "1.0" | "1" | "v1.0" | "v1.0/" => "; did you mean \"v1.0\"?",
                "beta" | "beta/" => "; did you mean \"beta\"?",
                _ => "",
            };
            errors.at(lit, format_args!("unknown Graph version {:?}: expected \"v1.0\" or \"beta\"{hint}", other));
            None
        }
    }
}

/// Skips an argument's value: tokens up to the next comma outside `<...>`.
fn skip_value(input: ParseStream) {
    let _ = take_until_comma(input);
}

fn take_until_comma(input: ParseStream) -> TokenStream {
    input
        .step(|cursor| {
            let mut rest = *cursor;
            let mut depth = 0i32;
            let mut taken = TokenStream::new();
            while let Some((tt, next)) = rest.token_tree() {
                if let TokenTree::Punct(p) = &tt {
                    match p.as_char() {
                        ',' if depth <= 0 => break,
                        '<' => depth += 1,
                        '>' => depth -= 1,
                        _ => {}
                    }
                }
                taken.extend([tt]);
                rest = next;
            }
            Ok((taken, rest))
        })
        .unwrap_or_default()
}

fn first_span(tokens: &TokenStream) -> Span {
    tokens.clone().into_iter().next().map_or_else(Span::call_site, |tt| tt.span())
}

/// Removes and returns the `#[graph(...)]` attributes of a list.
pub fn take_graph_attrs(attrs: &mut Vec<Attribute>) -> Vec<Attribute> {
    let (graph, rest): (Vec<_>, Vec<_>) = std::mem::take(attrs).into_iter().partition(|a| a.path().is_ident("graph"));
    *attrs = rest;
    graph
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn args(tokens: TokenStream) -> (Args, usize) {
        let mut errors = Errors::default();
        let args = parse_args(tokens, ArgsPosition::Item, &mut errors);
        (args, errors.len())
    }

    #[test]
    fn request_line_and_options() {
        let (a, n) = args(quote!(PATCH "/users/{id}", version = "beta", response = Option<Vec<u8>>));
        assert_eq!(n, 0);
        assert_eq!(a.request.unwrap().method, Some(Method::Patch));
        assert_eq!(a.version, Some(Version::Beta));
        assert!(a.response.is_some());
    }

    #[test]
    fn response_type_with_commas_does_not_split() {
        let (a, n) = args(quote!(GET "/x", response = std::collections::HashMap<String, u32>, version = "v1.0"));
        assert_eq!(n, 0);
        assert!(a.response.is_some() && a.version.is_some());
    }

    #[test]
    fn idempotent_flag() {
        let (a, n) = args(quote!(POST "/x", idempotent));
        assert_eq!(n, 0);
        assert!(a.idempotent.is_some());
        let (a, n) = args(quote!(POST "/x", version = "beta", idempotent, response = u8));
        assert_eq!(n, 0);
        assert!(a.idempotent.is_some() && a.response.is_some());
        assert_eq!(args(quote!(POST "/x", idempotent, idempotent)).1, 1);
        assert_eq!(args(quote!(POST "/x", idempotent = true)).1, 1);
        assert_eq!(args(quote!(POST "/x", idempotent(true), version = "beta")).1, 1);
        // Not a flag: a method that happens to be called so.
        assert_eq!(args(quote!(idempotent "/x")).1, 1);
        let mut errors = Errors::default();
        let a = parse_args(quote!(idempotent), ArgsPosition::Variant, &mut errors);
        assert!(errors.is_empty() && a.idempotent.is_some());
    }

    #[test]
    fn unlisted_flag() {
        let (a, n) = args(quote!(PATCH "/x", unlisted, version = "beta"));
        assert_eq!(n, 0);
        assert!(a.unlisted.is_some() && a.version.is_some());
        assert_eq!(args(quote!(PATCH "/x", unlisted, unlisted)).1, 1);
        assert_eq!(args(quote!(PATCH "/x", unlisted = true)).1, 1);
        assert_eq!(args(quote!(PATCH "/x", unlisted(yes))).1, 1);
        let mut errors = Errors::default();
        let a = parse_args(quote!(PATCH "/x", unlisted), ArgsPosition::Variant, &mut errors);
        assert!(errors.is_empty() && a.unlisted.is_some());
    }

    #[test]
    fn collects_several_errors() {
        let mut errors = Errors::default();
        parse_args(quote!(FETCH "/x", version = "v2", colour = Vec<u8, u8>, version = "beta"), ArgsPosition::Item, &mut errors);
        let messages: Vec<String> = errors.to_compile_errors().into_iter().map(|t| t.to_string()).collect();
        assert_eq!(errors.len(), 4, "{messages:?}");
    }
}
