//! The attribute's syntax: its one argument (`crate = "..."`) and each variant's
//! `#[odata("microsoft.graph.x")]`, `#[odata("microsoft.graph.x", default)]` or
//! `#[odata(other)]`.

use crate::errors::Errors;
use proc_macro2::TokenStream;
use syn::parse::Parser;
use syn::{Attribute, Ident, LitStr};

/// What a variant's `#[odata(...)]` says.
pub enum Tag {
    /// `#[odata("microsoft.graph.x")]`: the type name without `#`; `default` when written
    /// `#[odata("microsoft.graph.x", default)]`.
    Type(String, bool),
    /// `#[odata(other)]`
    Other,
}

/// `crate = "path"`, the only argument.
pub fn parse_args(args: TokenStream, errors: &mut Errors) -> Option<syn::Path> {
    let mut crate_path = None;
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("crate") {
            let lit: LitStr = meta.value()?.parse()?;
            match lit.parse::<syn::Path>() {
                Ok(path) if crate_path.is_none() => crate_path = Some(path),
                Ok(_) => errors.at(&lit, "`crate` is given more than once; keep one"),
                Err(_) => {
                    errors.at(&lit, format_args!("{:?} is not a path; write e.g. `crate = \"::my_sdk::graph_endpoint\"`", lit.value()))
                }
            }
            Ok(())
        } else {
            Err(meta.error("#[polymorphic] takes no arguments but `crate = \"path::to::graph_endpoint\"`; the subtypes go on the variants: #[odata(\"microsoft.graph.x\")]"))
        }
    });
    if let Err(error) = parser.parse2(args) {
        errors.push(error);
    }
    crate_path
}

/// Reads and removes a variant's `#[odata(...)]`.
pub fn take_tag(attrs: &mut Vec<Attribute>, variant: &Ident, errors: &mut Errors) -> Option<Tag> {
    let (odata, rest): (Vec<_>, Vec<_>) = std::mem::take(attrs).into_iter().partition(|a| a.path().is_ident("odata"));
    *attrs = rest;
    let mut tag: Option<Tag> = None;
    for attr in &odata {
        if tag.is_some() {
            errors.at(attr, format_args!("variant `{variant}` has more than one #[odata(...)]; keep one"));
            continue;
        }
        let parsed = attr.parse_args_with(|input: syn::parse::ParseStream| {
            let head = if input.peek(LitStr) { Err(input.parse::<LitStr>()?) } else { Ok(input.parse::<Ident>()?) };
            let mut flags = Vec::new();
            while !input.is_empty() {
                input.parse::<syn::Token![,]>()?;
                if input.is_empty() {
                    break;
                }
                flags.push(input.parse::<Ident>()?);
            }
            Ok((head, flags))
        });
        match parsed {
            Ok((Ok(ident), flags)) if ident == "other" => {
                for flag in &flags {
                    if flag == "default" {
                        errors.at(
                            flag,
                            "the catch-all cannot be the default: put `default` on the variant of the declared type, #[odata(\"microsoft.graph.x\", default)]",
                        );
                    } else {
                        errors.at(flag, format_args!("unknown option `{flag}`: #[odata(other)] takes none"));
                    }
                }
                tag = Some(Tag::Other);
            }
            Ok((Ok(ident), _)) => errors.at(
                &ident,
                format_args!("expected a type name in quotes, #[odata(\"microsoft.graph.x\")], or #[odata(other)]; found `{ident}`"),
            ),
            Ok((Err(lit), flags)) => {
                let mut is_default = false;
                for flag in &flags {
                    if flag == "default" && !is_default {
                        is_default = true;
                    } else if flag == "default" {
                        errors.at(flag, "`default` is given twice; keep one");
                    } else {
                        errors.at(
                            flag,
                            format_args!("unknown option `{flag}`: the one option of a variant is `default`, #[odata(\"microsoft.graph.x\", default)]"),
                        );
                    }
                }
                match type_name(&lit.value()) {
                    Ok(name) => tag = Some(Tag::Type(name, is_default)),
                    Err(problem) => errors.at(&lit, problem),
                }
            }
            Err(_) => errors.at(attr, "expected #[odata(\"microsoft.graph.x\")] or #[odata(other)]"),
        }
    }
    if odata.is_empty() {
        errors.at(
            variant,
            format_args!(
                "variant `{variant}` needs its `@odata.type`: #[odata(\"microsoft.graph.x\")], or #[odata(other)] for the catch-all"
            ),
        );
    }
    tag
}

/// The type name as Graph writes it, without `#`; or why it is not one.
fn type_name(text: &str) -> Result<String, String> {
    let name = text.trim().strip_prefix('#').unwrap_or(text.trim());
    let valid = !name.is_empty()
        && name.split('.').all(|part| !part.is_empty() && part.chars().all(|c| c.is_alphanumeric() || c == '_'))
        && name.contains('.');
    if !valid {
        return Err(format!(
            "{text:?} is not a qualified type name; write the `@odata.type` with its namespace, e.g. \"microsoft.graph.groupAssignmentTarget\""
        ));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(type_name("#microsoft.graph.x").unwrap(), "microsoft.graph.x");
        assert_eq!(type_name("microsoft.graph.groupAssignmentTarget").unwrap(), "microsoft.graph.groupAssignmentTarget");
        for bad in ["", "#", "groupAssignmentTarget", "microsoft..x", "microsoft.graph.a b", "microsoft.graph."] {
            assert!(type_name(bad).is_err(), "{bad}");
        }
    }
}
