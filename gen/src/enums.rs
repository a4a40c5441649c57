//! Graph's enum types: an enum that keeps values the metadata does not list, and for flags
//! enums a set written comma-separated.

use crate::csdl::TypeDef;
use crate::docs::{description_lines, doc_attrs};
use crate::generate::Gen;
use crate::names::VariantNames;
use std::fmt::Write as _;

impl Gen<'_> {
    pub(crate) fn enum_item(&self, def: &TypeDef) -> String {
        let full = def.full_name();
        let name = self.names.primary(&full);
        let mut docs = description_lines(def.description.as_deref());
        if !docs.is_empty() {
            docs.push(String::new());
        }
        let flags = if def.is_flags { format!(" (flags: a property holds a set, [`{}`])", self.names.flags(&full)) } else { String::new() };
        docs.push(format!("Graph enum type `{full}`{flags}. A value this list lacks is kept as `Unrecognized`."));
        let mut out = doc_attrs(&docs);
        out.push_str("#[derive(Debug, Clone, PartialEq, Eq, Hash)]\n#[non_exhaustive]\n");
        let _ = writeln!(out, "pub enum {name} {{");
        let mut variants = VariantNames::default();
        variants.reserve("Unrecognized");
        let mut pairs = Vec::new();
        for m in &def.members {
            let v = variants.variant(&m.name);
            let mut docs = description_lines(m.description.as_deref());
            if !docs.is_empty() {
                docs.push(String::new());
            }
            docs.push(format!("`{}`", m.name));
            out.push_str(&doc_attrs(&docs));
            let _ = writeln!(out, "{v},");
            pairs.push((v, m.name.clone()));
        }
        out.push_str(
            "#[doc = \" A value the metadata did not list (Graph adds values over time), as Graph wrote it.\"]\nUnrecognized(String),\n}\n",
        );
        let as_str: String = pairs.iter().map(|(v, g)| format!("Self::{v} => {g:?},")).collect();
        let from: String = pairs.iter().map(|(v, g)| format!("{g:?} => Self::{v},")).collect();
        let _ = write!(
            out,
            "impl {name} {{
                #[doc = \" The value as Graph writes it.\"]
                pub fn as_str(&self) -> &str {{ match self {{ {as_str} Self::Unrecognized(other) => other }} }}
            }}
            impl ::core::convert::From<&str> for {name} {{
                fn from(value: &str) -> Self {{ match value {{ {from} other => Self::Unrecognized(other.to_string()) }} }}
            }}
            impl ::core::fmt::Display for {name} {{
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {{ f.write_str(self.as_str()) }}
            }}
            impl serde::Serialize for {name} {{
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {{
                    serializer.serialize_str(self.as_str())
                }}
            }}
            impl<'de> serde::Deserialize<'de> for {name} {{
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {{
                    let value = <String as serde::Deserialize>::deserialize(deserializer)?;
                    Ok(Self::from(value.as_str()))
                }}
            }}
            "
        );
        out
    }

    pub(crate) fn flags_item(&self, def: &TypeDef) -> String {
        let full = def.full_name();
        let name = self.names.flags(&full);
        let member = self.names.primary(&full);
        let mut out = doc_attrs(&[format!(
            "A set of [`{member}`] values (flags enum `{full}`), written as Graph writes it: comma-separated (`\"a,b\"`)."
        )]);
        let _ = write!(
            out,
            "#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
            pub struct {name}(pub Vec<{member}>);
            impl serde::Serialize for {name} {{
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {{
                    let parts: Vec<&str> = self.0.iter().map({member}::as_str).collect();
                    serializer.serialize_str(&parts.join(\",\"))
                }}
            }}
            impl<'de> serde::Deserialize<'de> for {name} {{
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {{
                    let value = <String as serde::Deserialize>::deserialize(deserializer)?;
                    Ok(Self(value.split(',').map(str::trim).filter(|part| !part.is_empty()).map({member}::from).collect()))
                }}
            }}
            "
        );
        out
    }
}
