//! The polymorphic enum of a type with subtypes: one variant per generated subtype, a default
//! variant for a base that is not abstract (Graph sends a value of the type itself without
//! `@odata.type`), a catch-all holding the struct of the base's own properties (any other
//! subtype, its own properties in `additional`), and accessors for what every variant shares.

use crate::docs::{description_lines, doc_attrs};
use crate::generate::{FieldInfo, Gen};
use crate::names::{self, VariantNames};
use std::fmt::Write as _;

/// Names no accessor takes: the enum's own `odata_type`, and the methods of the traits it
/// implements or users call on it, which an inherent method would shadow.
const SHADOWING: &[&str] =
    &["odata_type", "clone", "clone_from", "eq", "ne", "fmt", "serialize", "deserialize", "to_owned", "to_string", "into", "try_into"];

/// Rust types an accessor returns by value.
const COPY_TYPES: &[&str] = &["bool", "u8", "i8", "i16", "i32", "i64", "f32", "f64"];

impl Gen<'_> {
    pub(crate) fn poly_item(&self, base: &str, variants: &[String]) -> String {
        let def = &self.meta.types[base];
        let name = self.names.primary(base);
        let base_struct = self.names.base_struct(base);
        let mut docs = description_lines(def.description.as_deref());
        if !docs.is_empty() {
            docs.push(String::new());
        }
        docs.push(format!("Graph type `{base}` with its subtypes, told apart by `@odata.type`."));
        if def.is_abstract {
            docs.push(format!(
                "Abstract: Graph always names the subtype. One not listed here lands in `Other`, with the properties of `{base}` typed in [`{base_struct}`] and its own in `additional`."
            ));
        } else {
            docs.push(format!(
                "A value of `{base}` itself (Graph sends it without `@odata.type`) is `Base`; a subtype not listed here lands in `Other`, with the properties of `{base}` typed in [`{base_struct}`] and its own in `additional`."
            ));
        }
        docs.push("The accessors read the properties every variant has, whichever it is.".into());
        let missing: Vec<String> = self.meta.all_subtypes(base).into_iter().filter(|s| !variants.contains(s)).collect();
        if !missing.is_empty() {
            let shown: Vec<String> = missing.iter().take(8).map(|s| format!("`{s}`")).collect();
            let more = if missing.len() > shown.len() { format!(" and {} more", missing.len() - shown.len()) } else { String::new() };
            docs.push(String::new());
            docs.push(format!(
                "Subtypes in the metadata without a variant here (they land in `Other`): {}{more}. Name them to the generator, or pass `--all-subtypes`.",
                shown.join(", ")
            ));
        }
        let mut out = doc_attrs(&docs);
        out.push_str("#[graph_endpoint::polymorphic]\n#[derive(Debug, Clone, PartialEq)]\n#[allow(clippy::large_enum_variant)]\n");
        let _ = writeln!(out, "pub enum {name} {{");
        let mut names = VariantNames::default();
        names.reserve("Base");
        names.reserve("Other");
        let wanted = variant_names(name, variants.iter().map(|v| self.names.primary(v)));
        let mut arms: Vec<(String, String)> = Vec::new();
        if !def.is_abstract {
            let _ = writeln!(
                out,
                "#[doc = \" `{base}` itself: an object without `@odata.type` (or with this one, which is kept).\"]\n#[odata({base:?}, default)]\nBase({base_struct}),"
            );
            arms.push(("Base".into(), base.to_string()));
        }
        for (v, wanted) in variants.iter().zip(wanted) {
            let variant = names.variant(&wanted);
            let _ = writeln!(out, "#[doc = \" `{v}`.\"]\n#[odata({v:?})]\n{variant}({}),", self.struct_name(v));
            arms.push((variant, v.clone()));
        }
        let _ = writeln!(
            out,
            "#[doc = \" Any other subtype: the properties of `{base}` typed, its own in `additional`, `@odata.type` as read.\"]\n#[odata(other)]\nOther({base_struct}),\n}}"
        );
        arms.push(("Other".into(), base.to_string()));
        out.push_str(&self.accessors(base, name, &arms));
        out
    }

    /// `odata_type()`, and one accessor per property of the base that every variant's struct
    /// holds with the same type.
    fn accessors(&self, base: &str, name: &str, arms: &[(String, String)]) -> String {
        let base_def = &self.meta.types[base];
        let base_fields = self.fields(base_def);
        let variant_fields: Vec<(&str, Vec<FieldInfo>)> =
            arms.iter().map(|(variant, ty)| (variant.as_str(), self.fields(&self.meta.types[ty]))).collect();
        let mut out = format!("impl {name} {{\n");
        let type_arms: String = arms
            .iter()
            .map(|(variant, ty)| {
                if ty == base {
                    format!("Self::{variant}(value) => value.odata_type.as_ref().map_or({base:?}, ::graph_endpoint::ODataType::name),")
                } else {
                    format!("Self::{variant}(_) => {ty:?},")
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "#[doc = \" The Graph type of the value (without `#`): the variant's, or for `Base` and `Other` the `@odata.type` read.\"]\n\
             pub fn odata_type(&self) -> &str {{ match self {{ {type_arms} }} }}"
        );
        for f in &base_fields {
            // A method named like a trait's would shadow it for every caller (`x.clone()`).
            if SHADOWING.contains(&f.name.trim_start_matches("r#")) {
                continue;
            }
            let mut matches = Vec::new();
            for (variant, fields) in &variant_fields {
                match fields.iter().find(|g| g.graph == f.graph) {
                    Some(g) if g.name == f.name && g.inner == f.inner && g.collection == f.collection => matches.push((*variant, g)),
                    _ => break,
                }
            }
            if matches.len() != variant_fields.len() {
                continue;
            }
            let (ret, by_value) = match (f.collection, f.inner.as_str()) {
                (true, inner) => (format!("Option<&[{inner}]>"), false),
                (false, "String") => ("Option<&str>".to_string(), false),
                (false, inner) if COPY_TYPES.contains(&inner) => (format!("Option<{inner}>"), true),
                (false, inner) => (format!("Option<&{inner}>"), false),
            };
            let arms: String = matches
                .iter()
                .map(|(variant, g)| {
                    let access = match (by_value, f.collection || f.inner == "String" || g.boxed) {
                        (true, _) => "",
                        (false, true) => ".as_deref()",
                        (false, false) => ".as_ref()",
                    };
                    format!("Self::{variant}(value) => value.{}{access},", g.name)
                })
                .collect();
            let _ = writeln!(
                out,
                "#[doc = \" `{}`, whichever the variant.\"]\npub fn {}(&self) -> {ret} {{ match self {{ {arms} }} }}",
                f.graph, f.name
            );
        }
        out.push_str("}\n");
        out
    }
}

/// The variant names of the enum `base` over its subtypes: each subtype's name less the words
/// it shares with the base's, or the whole name where the short one would be `Base`, `Other`
/// or another variant's (`drive` and `driveItem` of `baseItem`: `Drive` and `DriveItem`, not
/// `Drive2`).
fn variant_names<'n>(base: &str, subtypes: impl Iterator<Item = &'n str>) -> Vec<String> {
    let subtypes: Vec<&str> = subtypes.collect();
    let short: Vec<String> = subtypes.iter().map(|sub| names::subtype_variant(base, sub)).collect();
    subtypes
        .iter()
        .zip(&short)
        .map(|(sub, wanted)| {
            let taken = wanted == "Base" || wanted == "Other" || short.iter().filter(|s| *s == wanted).count() > 1;
            if taken { sub.to_string() } else { wanted.clone() }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_names_shorten_unless_two_would_meet() {
        let names = variant_names("BaseItem", ["Drive", "DriveItem", "SharedDriveItem", "List", "Site"].into_iter());
        assert_eq!(names, ["Drive", "DriveItem", "SharedDrive", "List", "Site"]);
        // A subtype whose short name would be `Base` or `Other` keeps its whole name.
        let names = variant_names("Item", ["BaseItem", "OtherItem", "MailItem"].into_iter());
        assert_eq!(names, ["BaseItem", "OtherItem", "Mail"]);
    }
}
