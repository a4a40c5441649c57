//! What the structs `graph-endpoint-gen` writes are made of: reading a Graph object property by
//! property into its typed fields, and keeping everything else it holds.
//!
//! A generated struct declares its properties (and `@odata.type`, `@odata.etag`, `@odata.id`)
//! as `Option` fields, and has two maps for the rest: `additional` for properties the metadata
//! does not declare (an open type's dynamic properties, properties newer than the metadata)
//! and for declared properties sent as an explicit `null`, and `annotations` for instance
//! annotations (`@odata.context`, `members@delta`, `children@odata.nextLink`...). Reading
//! streams: each declared property goes straight into its field; only what lands in a map is
//! buffered as JSON. Writing puts the fields first, then the maps' entries, each key once, so
//! that an object read and written again is the object Graph sent, nulls included; and a
//! `null` put in `additional` under a declared property's name (while the field is `None`)
//! is how a PATCH clears that property.
//!
//! Generated code only; not a public API.

use super::numbers::{self, Float, FloatIn, FloatOut, Int, IntIn, Read};
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};
use std::fmt;
use std::marker::PhantomData;

/// The members of an object that no field holds.
pub type Members = Map<String, Value>;

/// A generated model: how it reads and writes its declared properties, and where it keeps the
/// rest.
pub trait Model: Default {
    /// The Graph type, for messages: `microsoft.graph.user`.
    const GRAPH_TYPE: &'static str;

    /// Reads the member `key` into its field and returns `true`, or returns `false` (reading
    /// nothing) when the type does not declare it.
    fn read<'de, A: MapAccess<'de>>(&mut self, key: &str, field: &mut Field<'_, A>) -> Result<bool, A::Error>;

    /// Writes the fields that hold a value.
    fn write<M: SerializeMap>(&self, out: &mut Out<'_, M>) -> Result<(), M::Error>;

    /// The maps of the other members: `additional` (absent for a type generated strict) and
    /// `annotations`.
    fn others(&self) -> (Option<&Members>, &Members);

    /// [`others`](Self::others), to fill.
    fn others_mut(&mut self) -> (Option<&mut Members>, &mut Members);
}

/// Reads an object into the model `T`.
pub fn deserialize<'de, T: Model, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ModelVisitor::<T>(PhantomData))
}

/// Writes the model as an object: its fields, then the entries of its maps whose keys no field
/// wrote.
pub fn serialize<T: Model, S: Serializer>(model: &T, serializer: S) -> Result<S::Ok, S::Error> {
    let (additional, annotations) = model.others();
    let others = additional.is_some_and(|m| !m.is_empty()) || !annotations.is_empty();
    let mut map = serializer.serialize_map(None)?;
    let mut out = Out { map: &mut map, written: Vec::new(), track: others, additional: additional.filter(|m| !m.is_empty()) };
    model.write(&mut out)?;
    if others {
        let written = std::mem::take(&mut out.written);
        for (key, value) in additional.into_iter().flatten().chain(annotations) {
            if !written.contains(&key.as_str()) {
                map.serialize_entry(key, value)?;
            }
        }
    }
    map.end()
}

/// Whether a member name is an instance annotation (`@odata.context`, `members@delta`).
pub fn is_annotation(key: &str) -> bool {
    key.contains('@')
}

struct ModelVisitor<T>(PhantomData<T>);

impl<'de, T: Model> Visitor<'de> for ModelVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object of Graph type `{}`", T::GRAPH_TYPE)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut model = T::default();
        while let Some(key) = map.next_key::<String>()? {
            let mut field = Field { map: &mut map, null: false, form: None };
            if model.read(&key, &mut field)? {
                if field.null {
                    keep(&mut model, key, Value::Null)?;
                } else if let (Some(form), (Some(additional), _)) = (field.form, model.others_mut()) {
                    // A number not written as its field writes it: kept as read (a strict
                    // model, without `additional`, writes it in its field's form).
                    additional.insert(key, form);
                }
                continue;
            }
            let value: Value = map.next_value()?;
            keep(&mut model, key, value)?;
        }
        Ok(model)
    }
}

/// Puts a member no field holds in the map it belongs to.
fn keep<T: Model, E: de::Error>(model: &mut T, key: String, value: Value) -> Result<(), E> {
    let (additional, annotations) = model.others_mut();
    if is_annotation(&key) {
        annotations.insert(key, value);
        return Ok(());
    }
    match additional {
        Some(additional) => {
            additional.insert(key, value);
            Ok(())
        }
        // A declared property sent as `null` reads as `None`: nothing is lost but the null.
        None if value.is_null() => Ok(()),
        None => Err(E::custom(format_args!(
            "`{key}` is no property of `{}` (these models were generated with --strict, which refuses properties the metadata does not declare)",
            T::GRAPH_TYPE
        ))),
    }
}

/// One member's value, as a generated `read` takes it into a field.
pub struct Field<'a, A> {
    map: &'a mut A,
    null: bool,
    /// A number's JSON as read, when its field would write it otherwise.
    form: Option<Value>,
}

impl<'de, A: MapAccess<'de>> Field<'_, A> {
    /// Reads the value into `slot`; a `null` reads as `None` and is remembered.
    pub fn value<T: Deserialize<'de>>(&mut self, slot: &mut Option<T>) -> Result<bool, A::Error> {
        *slot = self.map.next_value()?;
        self.null = slot.is_none();
        Ok(true)
    }

    /// Reads an integer (`Edm.Byte` … `Edm.Int64`): a number without a fraction, `1` or `1.0`,
    /// or one in a string.
    pub fn int<T: Int>(&mut self, slot: &mut Option<T>) -> Result<bool, A::Error> {
        let read = self.map.next_value::<Option<IntIn<T>>>()?;
        Ok(self.one(slot, read.map(|r| r.0)))
    }

    /// Reads a collection of integers, as [`int`](Self::int) reads one.
    pub fn ints<T: Int>(&mut self, slot: &mut Option<Vec<T>>) -> Result<bool, A::Error> {
        let read = self.map.next_value::<Option<Vec<IntIn<T>>>>()?;
        self.many(slot, read.map(|items| items.into_iter().map(|r| r.0).collect()), |v| serde_json::to_value(v))
    }

    /// Reads an `Edm.Single`/`Edm.Double`/`Edm.Decimal`: a number, or one of the strings Graph
    /// writes for special and exact values (`"NaN"`, `"INF"`, `"-INF"`, `"1.5"`).
    pub fn float<T: Float>(&mut self, slot: &mut Option<T>) -> Result<bool, A::Error> {
        let read = self.map.next_value::<Option<FloatIn<T>>>()?;
        Ok(self.one(slot, read.map(|r| r.0)))
    }

    /// Reads a collection of floats, as [`float`](Self::float) reads one.
    pub fn floats<T: Float>(&mut self, slot: &mut Option<Vec<T>>) -> Result<bool, A::Error> {
        let read = self.map.next_value::<Option<Vec<FloatIn<T>>>>()?;
        self.many(slot, read.map(|items| items.into_iter().map(|r| r.0).collect()), |v| serde_json::to_value(FloatOut(*v)))
    }

    fn one<T>(&mut self, slot: &mut Option<T>, read: Option<Read<T>>) -> bool {
        self.null = read.is_none();
        *slot = read.map(|r| {
            self.form = r.form;
            r.value
        });
        true
    }

    /// `json` writes an element in its field's own form.
    fn many<T>(
        &mut self,
        slot: &mut Option<Vec<T>>,
        read: Option<Vec<Read<T>>>,
        json: impl Fn(&T) -> serde_json::Result<Value>,
    ) -> Result<bool, A::Error> {
        self.null = read.is_none();
        let Some(items) = read else {
            *slot = None;
            return Ok(true);
        };
        // One element in another form keeps the whole array as read.
        if items.iter().any(|r| r.form.is_some()) {
            let form = items.iter().map(|r| r.form.clone().map_or_else(|| json(&r.value), Ok)).collect::<serde_json::Result<_>>();
            self.form = Some(Value::Array(form.map_err(de::Error::custom)?));
        }
        *slot = Some(items.into_iter().map(|r| r.value).collect());
        Ok(true)
    }
}

/// The object being written, as a generated `write` fills it.
pub struct Out<'a, M> {
    map: &'a mut M,
    written: Vec<&'static str>,
    track: bool,
    /// The model's `additional`, where numbers read in another form than their field's are.
    additional: Option<&'a Members>,
}

impl<M: SerializeMap> Out<'_, M> {
    fn wrote(&mut self, key: &'static str) {
        if self.track {
            self.written.push(key);
        }
    }

    /// Writes `key` when it holds a value.
    pub fn value<T: Serialize>(&mut self, key: &'static str, value: &Option<T>) -> Result<(), M::Error> {
        if let Some(value) = value {
            self.map.serialize_entry(key, value)?;
            self.wrote(key);
        }
        Ok(())
    }

    /// Writes an integer, in the form it was read if it is still the value read.
    pub fn int<T: Int>(&mut self, key: &'static str, value: &Option<T>) -> Result<(), M::Error> {
        self.number(key, value.as_ref(), |form, v| numbers::int_is(form, v.to_i128()), |map, v| map.serialize_entry(key, v))
    }

    /// Writes a collection of integers, as [`int`](Self::int) writes one.
    pub fn ints<T: Int>(&mut self, key: &'static str, value: &Option<Vec<T>>) -> Result<(), M::Error> {
        self.number(
            key,
            value.as_ref(),
            |form, v| numbers::all_are(form, v, |f, v| numbers::int_is(f, v.to_i128())),
            |map, v| map.serialize_entry(key, v),
        )
    }

    /// Writes a float: finite values as numbers, the others as Graph's strings; in the form it
    /// was read if it is still the value read.
    pub fn float<T: Float>(&mut self, key: &'static str, value: &Option<T>) -> Result<(), M::Error> {
        self.number(key, value.as_ref(), |form, v| numbers::float_is(form, *v), |map, v| map.serialize_entry(key, &FloatOut(*v)))
    }

    /// Writes a collection of floats.
    pub fn floats<T: Float>(&mut self, key: &'static str, value: &Option<Vec<T>>) -> Result<(), M::Error> {
        self.number(
            key,
            value.as_ref(),
            |form, v| numbers::all_are(form, v, |f, v| numbers::float_is(f, *v)),
            |map, v| map.serialize_entry(key, &v.iter().copied().map(FloatOut).collect::<Vec<_>>()),
        )
    }

    /// A number field: its form as read (in `additional`) while it is the value read, else the
    /// field's own form. A form whose field was emptied since is not written either: clearing
    /// the field leaves the property out.
    fn number<T>(
        &mut self,
        key: &'static str,
        value: Option<&T>,
        is: impl Fn(&Value, &T) -> bool,
        own: impl Fn(&mut M, &T) -> Result<(), M::Error>,
    ) -> Result<(), M::Error> {
        let form = self.additional.and_then(|a| a.get(key)).filter(|f| !f.is_null());
        match (value, form) {
            (Some(value), Some(form)) if is(form, value) => self.map.serialize_entry(key, form)?,
            (Some(value), _) => own(self.map, value)?,
            (None, Some(_)) => {}
            (None, None) => return Ok(()),
        }
        self.wrote(key);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// What the generator writes for `{ id: String, score: Double, tags: Collection(String) }`.
    #[derive(Debug, Clone, Default, PartialEq)]
    struct Thing {
        id: Option<String>,
        score: Option<f64>,
        tags: Option<Vec<String>>,
        count: Option<i64>,
        sizes: Option<Vec<i32>>,
        additional: Map<String, Value>,
        annotations: Map<String, Value>,
    }

    impl Model for Thing {
        const GRAPH_TYPE: &'static str = "microsoft.graph.thing";

        fn read<'de, A: MapAccess<'de>>(&mut self, key: &str, field: &mut Field<'_, A>) -> Result<bool, A::Error> {
            match key {
                "id" => field.value(&mut self.id),
                "score" => field.float(&mut self.score),
                "count" => field.int(&mut self.count),
                "sizes" => field.ints(&mut self.sizes),
                "tags" => field.value(&mut self.tags),
                _ => Ok(false),
            }
        }

        fn write<M: SerializeMap>(&self, out: &mut Out<'_, M>) -> Result<(), M::Error> {
            out.value("id", &self.id)?;
            out.float("score", &self.score)?;
            out.int("count", &self.count)?;
            out.ints("sizes", &self.sizes)?;
            out.value("tags", &self.tags)
        }

        fn others(&self) -> (Option<&Map<String, Value>>, &Map<String, Value>) {
            (Some(&self.additional), &self.annotations)
        }

        fn others_mut(&mut self) -> (Option<&mut Map<String, Value>>, &mut Map<String, Value>) {
            (Some(&mut self.additional), &mut self.annotations)
        }
    }

    impl Serialize for Thing {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serialize(self, serializer)
        }
    }

    impl<'de> Deserialize<'de> for Thing {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize(deserializer)
        }
    }

    /// The same type generated `--strict`: no `additional`.
    #[derive(Debug, Default)]
    struct Strict {
        id: Option<String>,
        annotations: Map<String, Value>,
    }

    impl Model for Strict {
        const GRAPH_TYPE: &'static str = "microsoft.graph.thing";

        fn read<'de, A: MapAccess<'de>>(&mut self, key: &str, field: &mut Field<'_, A>) -> Result<bool, A::Error> {
            match key {
                "id" => field.value(&mut self.id),
                _ => Ok(false),
            }
        }

        fn write<M: SerializeMap>(&self, out: &mut Out<'_, M>) -> Result<(), M::Error> {
            out.value("id", &self.id)
        }

        fn others(&self) -> (Option<&Map<String, Value>>, &Map<String, Value>) {
            (None, &self.annotations)
        }

        fn others_mut(&mut self) -> (Option<&mut Map<String, Value>>, &mut Map<String, Value>) {
            (None, &mut self.annotations)
        }
    }

    impl<'de> Deserialize<'de> for Strict {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize(deserializer)
        }
    }

    #[test]
    fn everything_round_trips_nulls_included() {
        let body = json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#things/$entity",
            "id": "t-1",
            "score": null,
            "tags": ["a", "b"],
            "tags@odata.nextLink": "https://x/next",
            "dynamic": {"any": [1, "json", null]},
        });
        let thing: Thing = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(thing.id.as_deref(), Some("t-1"));
        assert_eq!(thing.score, None);
        assert_eq!(thing.additional, json!({"score": null, "dynamic": {"any": [1, "json", null]}}).as_object().unwrap().clone());
        assert_eq!(thing.annotations.len(), 2);
        assert_eq!(serde_json::to_value(&thing).unwrap(), body);
    }

    #[test]
    fn a_field_set_after_a_null_is_written_once() {
        let mut thing: Thing = serde_json::from_value(json!({"score": null, "id": null})).unwrap();
        thing.score = Some(f64::NAN);
        let text = serde_json::to_string(&thing).unwrap();
        assert_eq!(text, r#"{"score":"NaN","id":null}"#);
        // A PATCH that clears a property: `null` under its name.
        let mut patch = Thing::default();
        patch.additional.insert("id".into(), Value::Null);
        assert_eq!(serde_json::to_value(&patch).unwrap(), json!({"id": null}));
    }

    #[test]
    fn floats_read_graphs_special_values_and_strings() {
        for (wire, expected) in [(json!(1), 1.0), (json!(-2.5), -2.5), (json!("1.25"), 1.25), (json!(u64::MAX), u64::MAX as f64)] {
            let thing: Thing = serde_json::from_value(json!({"score": wire})).unwrap();
            assert_eq!(thing.score, Some(expected));
        }
        for (wire, back) in [("NaN", "NaN"), ("INF", "INF"), ("Infinity", "Infinity"), ("-INF", "-INF")] {
            let thing: Thing = serde_json::from_value(json!({"score": wire})).unwrap();
            assert_eq!(serde_json::to_value(&thing).unwrap(), json!({"score": back}));
        }
        let error = serde_json::from_value::<Thing>(json!({"score": "north"})).unwrap_err().to_string();
        assert!(error.contains("a string that is no number") && !error.contains("north"), "no value quoted: {error}");
    }

    #[test]
    fn numbers_are_written_back_in_the_form_they_were_read() {
        let body = json!({"score": 2, "count": 3.0, "sizes": [1, 2.0], "id": "x"});
        let thing: Thing = serde_json::from_value(body.clone()).unwrap();
        assert_eq!((thing.score, thing.count, thing.sizes.as_deref()), (Some(2.0), Some(3), Some(&[1, 2][..])));
        assert_eq!(serde_json::to_value(&thing).unwrap(), body);
        assert_eq!(serde_json::to_string(&thing).unwrap(), r#"{"id":"x","score":2,"count":3.0,"sizes":[1,2.0]}"#);
        // Numbers in their fields' own forms keep nothing aside.
        let plain: Thing = serde_json::from_value(json!({"score": 2.5, "count": 3})).unwrap();
        assert!(plain.additional.is_empty());
        // A changed value is written in its field's form; an emptied field is left out.
        let mut changed = thing.clone();
        changed.score = Some(4.0);
        changed.count = None;
        changed.sizes = Some(vec![1, 2, 3]);
        assert_eq!(serde_json::to_string(&changed).unwrap(), r#"{"id":"x","score":4.0,"sizes":[1,2,3]}"#);
        let error = serde_json::from_value::<Thing>(json!({"count": 1.5})).unwrap_err().to_string();
        assert!(error.contains("a number with a fraction") && error.contains("`Edm.Int64`"), "{error}");
    }

    #[test]
    fn strict_models_refuse_undeclared_properties_but_keep_annotations() {
        let strict: Strict = serde_json::from_value(json!({"id": null, "@odata.etag": "W/\"1\""})).unwrap();
        assert_eq!(strict.id, None);
        assert_eq!(strict.annotations["@odata.etag"], "W/\"1\"");
        let error = serde_json::from_value::<Strict>(json!({"id": "x", "surprise": 1})).unwrap_err().to_string();
        assert!(error.contains("`surprise` is no property of `microsoft.graph.thing`"), "{error}");
        assert!(serde_json::from_value::<Strict>(json!([1])).unwrap_err().to_string().contains("an object of Graph type"));
    }

    #[test]
    fn errors_name_the_line_and_column() {
        let error = serde_json::from_str::<Thing>("{\n  \"id\": 5\n}").unwrap_err();
        assert_eq!(error.line(), 2);
    }
}
