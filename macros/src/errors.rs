//! The error context of one expansion, as serde_derive's `Ctxt` is: every stage records the
//! mistakes it finds and goes on with what it could read, so that one compile reports every
//! mistake of an item, each as a `compile_error!` spanned at the user's tokens.

use proc_macro2::TokenStream;
use quote::ToTokens;
use std::fmt::Display;

/// Every error found so far in one item.
#[derive(Default)]
pub struct Errors {
    errors: Vec<syn::Error>,
}

impl Errors {
    /// An error at the given tokens.
    pub fn at(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.errors.push(syn::Error::new_spanned(tokens, message));
    }

    /// An error at a span.
    pub fn span(&mut self, span: proc_macro2::Span, message: impl Display) {
        self.errors.push(syn::Error::new(span, message));
    }

    /// An error syn reported (a syntax error, possibly with several spans).
    pub fn push(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    pub fn len(&self) -> usize {
        self.errors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// One `compile_error!` per error, in the order they were found.
    pub fn to_compile_errors(&self) -> TokenStream {
        self.errors.iter().map(syn::Error::to_compile_error).collect()
    }
}
