//! The struct of an entity or complex type: `@odata.type` (and, for entities, `@odata.etag`
//! and `@odata.id`), one `Option` field per property, `additional` for what the metadata does
//! not declare and for explicit nulls, `annotations` for the other instance annotations; and
//! its `Model`, `Serialize` and `Deserialize` implementations (through the runtime's
//! `__private::model`, which reads property by property and keeps the rest).

use crate::csdl::{Kind, TypeDef};
use crate::docs::{description_lines, doc_attrs};
use crate::generate::{FieldInfo, Gen, Number};
use std::fmt::Write as _;

/// The runtime's model support, by absolute path.
const MODEL: &str = "::graph_endpoint::__private::model";

impl Gen<'_> {
    pub(crate) fn struct_item(&self, def: &TypeDef, name: &str) -> String {
        let full = def.full_name();
        let mut docs: Vec<String> = description_lines(def.description.as_deref());
        if !docs.is_empty() {
            docs.push(String::new());
        }
        let kind = if def.kind == Kind::Entity { "entity type" } else { "complex type" };
        let mut about = format!("Graph {kind} `{full}`");
        let ancestry = self.meta.ancestry(def);
        if ancestry.len() > 1 {
            let chain: Vec<String> = ancestry[1..].iter().map(|d| format!("`{}`", d.full_name())).collect();
            let _ = write!(about, ", derived from {} (their properties included)", chain.join(" ← "));
        }
        about.push('.');
        docs.push(about);
        let mut notes = Vec::new();
        if def.is_abstract {
            notes.push("Abstract: Graph sends one of its subtypes.".to_string());
        }
        if self.poly.contains_key(&full) {
            let primary = self.names.primary(&full);
            notes.push(format!(
                "The properties of the type itself; [`{primary}`] is the type with its subtypes, whose catch-all variant holds this struct."
            ));
        }
        let additional = self.keeps_additional(def);
        if def.open {
            notes.push("Open type: its dynamic properties are kept in `additional`.".to_string());
        } else if !self.opts.polymorphic && self.meta.derived.contains_key(&full) {
            notes.push("A subtype's own properties (told by `@odata.type`) are kept in `additional`.".to_string());
        }
        if def.has_stream {
            notes.push("Media entity: its content is read and written through the `/$value` path.".to_string());
        }
        if !notes.is_empty() {
            docs.push(String::new());
            docs.extend(notes);
        }
        let mut out = doc_attrs(&docs);
        out.push_str("#[derive(Debug, Clone, Default, PartialEq)]\n");
        let _ = writeln!(out, "pub struct {name} {{");
        let fields = self.fields(def);
        let entity = def.kind == Kind::Entity;
        let _ = writeln!(
            out,
            "#[doc = \" `@odata.type`: Graph's name of the concrete type, kept as read (`#{full}` or a subtype's) and written with `#`.\"]\n\
             pub odata_type: Option<::graph_endpoint::ODataType>,"
        );
        if entity {
            out.push_str(
                "#[doc = \" `@odata.etag`: the entity's version, which some updates require as `If-Match` (Planner).\"]\n\
                 pub odata_etag: Option<String>,\n\
                 #[doc = \" `@odata.id`: the entity's URL, as Graph sends it in references and `$ref` answers.\"]\n\
                 pub odata_id: Option<String>,\n",
            );
        }
        for f in &fields {
            out.push_str(&self.field(f));
        }
        if additional {
            out.push_str(
                "#[doc = \" Properties the metadata does not declare (dynamic properties, properties newer than the metadata, a\"]\n\
                 #[doc = \" subtype's), and declared properties Graph sent as `null`, kept as read and written back. A `null`\"]\n\
                 #[doc = \" here under a property's name (its field `None`) sends `null`, which is how a PATCH clears it.\"]\n\
                 pub additional: serde_json::Map<String, serde_json::Value>,\n",
            );
        }
        out.push_str(
            "#[doc = \" Instance annotations other than the fields' (`@odata.context`, `members@delta`, `children@odata.nextLink`, ...), kept as read.\"]\n\
             pub annotations: serde_json::Map<String, serde_json::Value>,\n}\n",
        );
        out.push_str(&self.model_impl(&full, name, entity, additional, &fields));
        out
    }

    fn field(&self, f: &FieldInfo) -> String {
        let mut docs = description_lines(f.description);
        if !docs.is_empty() {
            docs.push(String::new());
        }
        let shown = if f.collection { format!("Collection({})", f.ty.name) } else { f.ty.name.clone() };
        let mut about = format!("`{}`: `{shown}`", f.graph);
        if !f.nullable {
            about.push_str(", never null in responses");
        }
        match f.navigation {
            Some(true) => about.push_str(", contained navigation property (returned with `$expand`)"),
            Some(false) => about.push_str(", navigation property (returned with `$expand`)"),
            None => {}
        }
        about.push('.');
        docs.push(about);
        format!("{}pub {}: {},\n", doc_attrs(&docs), f.name, field_type(f))
    }

    fn model_impl(&self, full: &str, name: &str, entity: bool, additional: bool, fields: &[FieldInfo]) -> String {
        let mut read = String::from("\"@odata.type\" => field.value(&mut self.odata_type),");
        let mut write = String::from("out.value(\"@odata.type\", &self.odata_type)?;");
        if entity {
            read.push_str("\"@odata.etag\" => field.value(&mut self.odata_etag), \"@odata.id\" => field.value(&mut self.odata_id),");
            write.push_str("out.value(\"@odata.etag\", &self.odata_etag)?; out.value(\"@odata.id\", &self.odata_id)?;");
        }
        for f in fields {
            let how = match (f.number, f.collection) {
                (Number::No, _) => "value",
                (Number::Int, false) => "int",
                (Number::Int, true) => "ints",
                (Number::Float, false) => "float",
                (Number::Float, true) => "floats",
            };
            let _ = write!(read, "{:?} => field.{how}(&mut self.{}),", f.graph, f.name);
            let _ = write!(write, "out.{how}({:?}, &self.{})?;", f.graph, f.name);
        }
        let others = if additional { "additional" } else { "strict" };
        format!(
            "impl {MODEL}::Model for {name} {{
                const GRAPH_TYPE: &'static str = {full:?};
                fn read<'de, A: {MODEL}::MapAccess<'de>>(&mut self, key: &str, field: &mut {MODEL}::Field<'_, A>) -> {MODEL}::Result<bool, A::Error> {{
                    match key {{ {read} _ => Ok(false) }}
                }}
                fn write<M: {MODEL}::SerializeMap>(&self, out: &mut {MODEL}::Out<'_, M>) -> {MODEL}::Result<(), M::Error> {{
                    {write}
                    Ok(())
                }}
                {MODEL}::others!({others});
            }}
            {MODEL}::serde!({name});
            "
        )
    }
}

/// `Option<T>`, `Option<Vec<T>>` or `Option<Box<T>>`.
pub(crate) fn field_type(f: &FieldInfo) -> String {
    match (f.collection, f.boxed) {
        (true, _) => format!("Option<Vec<{}>>", f.inner),
        (false, true) => format!("Option<Box<{}>>", f.inner),
        (false, false) => format!("Option<{}>", f.inner),
    }
}
