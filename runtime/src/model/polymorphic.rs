//! What `#[graph_endpoint::polymorphic]` enums are made of: reading an object by its
//! `@odata.type` (with or without `#`) into the variant it names, and writing a variant with
//! `"@odata.type": "#microsoft.graph.x"` first.
//!
//! Reading streams: Graph writes `@odata.type` first, and then the rest of the object goes
//! straight into the variant's type, with nothing buffered. Properties before it (a document
//! written by other tools) are buffered as JSON values and replayed first.
//!
//! Generated code only; not a public API.

use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, Visitor};
use serde::ser::{self, Serialize, SerializeMap, Serializer};
use serde_json::Value;
use std::fmt;
use std::marker::PhantomData;

/// The annotation every polymorphic object carries.
pub const ODATA_TYPE: &str = "@odata.type";

/// A polymorphic enum: how to build it from the `@odata.type` and the rest of the object.
pub trait Polymorphic: Sized {
    /// What is expected, for error messages: "a `DeviceConfiguration` (an object with `@odata.type`)".
    const EXPECTING: &'static str;

    /// Builds the variant `odata_type` (without `#`) names from the rest of the object.
    fn from_parts<'de, A: MapAccess<'de>>(odata_type: &str, rest: Rest<'de, A>) -> Result<Self, A::Error>;

    /// Builds the default variant from an object without `@odata.type` (every property of
    /// it in `rest`). Enums without a default variant refuse such an object.
    fn untagged<'de, A: MapAccess<'de>>(rest: Rest<'de, A>) -> Result<Self, A::Error> {
        drop(rest);
        Err(de::Error::custom(format_args!("missing `@odata.type`: expected {}", Self::EXPECTING)))
    }
}

/// Reads a polymorphic object.
pub fn deserialize<'de, T: Polymorphic, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(TaggedVisitor::<T>(PhantomData))
}

struct TaggedVisitor<T>(PhantomData<T>);

impl<'de, T: Polymorphic> Visitor<'de> for TaggedVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut before = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if key != ODATA_TYPE {
                before.push((key, map.next_value::<Value>()?));
                continue;
            }
            let tag = match map.next_value::<Value>()? {
                Value::String(tag) => tag,
                other => {
                    return Err(de::Error::custom(format_args!("`@odata.type` must be a string, found {other}, in {}", T::EXPECTING)));
                }
            };
            let name = tag.strip_prefix('#').unwrap_or(&tag).to_owned();
            let rest = Rest {
                before: before.into_iter(),
                tag: Some(tag),
                replay_tag: false,
                pending: None,
                map,
                done: false,
                _input: PhantomData,
            };
            return T::from_parts(&name, rest);
        }
        // No annotation: the object is of the declared type, if the enum has a default variant.
        let rest = Rest { before: before.into_iter(), tag: None, replay_tag: false, pending: None, map, done: true, _input: PhantomData };
        T::untagged(rest)
    }
}

/// The rest of a polymorphic object once its `@odata.type` is known: a map deserializer over
/// the properties, with or without the annotation itself.
pub struct Rest<'de, A> {
    before: std::vec::IntoIter<(String, Value)>,
    /// The annotation as written, replayed first when `replay_tag` is set.
    tag: Option<String>,
    replay_tag: bool,
    pending: Option<Value>,
    map: A,
    done: bool,
    _input: PhantomData<&'de ()>,
}

impl<'de, A: MapAccess<'de>> Rest<'de, A> {
    /// The object without `@odata.type`: for a known variant, whose type does not declare it.
    pub fn without_tag(mut self) -> Self {
        self.replay_tag = false;
        self
    }

    /// The object with `@odata.type` as it was written: for the catch-all, which keeps the
    /// object whole.
    pub fn with_tag(mut self) -> Self {
        self.replay_tag = true;
        self
    }

    /// The error of an `@odata.type` that names no variant, in an enum without a catch-all.
    pub fn unknown(self, odata_type: &str, expecting: &str, known: &[&str]) -> A::Error {
        de::Error::custom(format_args!("unknown `@odata.type` `{odata_type}` for {expecting}; expected one of: {}", known.join(", ")))
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Rest<'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        if self.replay_tag
            && let Some(tag) = self.tag.take()
        {
            self.pending = Some(Value::String(tag));
            return seed.deserialize(ODATA_TYPE.into_deserializer()).map(Some);
        }
        if let Some((key, value)) = self.before.next() {
            self.pending = Some(value);
            return seed.deserialize(key.into_deserializer()).map(Some);
        }
        if self.done {
            return Ok(None);
        }
        let key = self.map.next_key_seed(seed)?;
        self.done = key.is_none();
        Ok(key)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match self.pending.take() {
            Some(value) => seed.deserialize(value).map_err(de::Error::custom),
            None => self.map.next_value_seed(seed),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        None
    }
}

impl<'de, A: MapAccess<'de>> Deserializer<'de> for Rest<'de, A> {
    type Error = A::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        visitor.visit_map(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// Writes `value` (a struct or a map) with `"@odata.type": tag` as its first property. A
/// property of the value's own named `@odata.type` is left out, so the annotation is written
/// once.
pub fn serialize_tagged<S: Serializer, T: Serialize + ?Sized>(serializer: S, tag: &'static str, value: &T) -> Result<S::Ok, S::Error> {
    value.serialize(Tagged { inner: serializer, tag })
}

/// A serializer that accepts a struct or a map and puts the annotation first.
struct Tagged<S> {
    inner: S,
    tag: &'static str,
}

impl<S: Serializer> Tagged<S> {
    fn not_an_object(what: &str) -> S::Error {
        ser::Error::custom(format_args!("a variant of a polymorphic enum must serialize as an object (a struct or a map), not as {what}"))
    }
}

/// A struct written as a map after the annotation.
struct TaggedStruct<M> {
    map: M,
}

impl<M: SerializeMap> ser::SerializeStruct for TaggedStruct<M> {
    type Ok = M::Ok;
    type Error = M::Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), M::Error> {
        if key == ODATA_TYPE {
            return Ok(());
        }
        self.map.serialize_entry(key, value)
    }

    fn end(self) -> Result<M::Ok, M::Error> {
        self.map.end()
    }
}

/// A map written after the annotation, less an `@odata.type` entry of its own (a generated
/// model keeps the annotation as read; the variant's is the one written).
struct TaggedMap<M> {
    map: M,
    skip_value: bool,
}

impl<M: SerializeMap> SerializeMap for TaggedMap<M> {
    type Ok = M::Ok;
    type Error = M::Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), M::Error> {
        // Keys written one at a time are passed on as they are; models write whole entries.
        self.skip_value = false;
        self.map.serialize_key(key)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), M::Error> {
        if std::mem::take(&mut self.skip_value) {
            return Ok(());
        }
        self.map.serialize_value(value)
    }

    fn serialize_entry<K: Serialize + ?Sized, V: Serialize + ?Sized>(&mut self, key: &K, value: &V) -> Result<(), M::Error> {
        if key.serialize(IsTypeKey).unwrap_or(false) {
            return Ok(());
        }
        self.map.serialize_entry(key, value)
    }

    fn end(self) -> Result<M::Ok, M::Error> {
        self.map.end()
    }
}

/// Whether a key serializes as the string `@odata.type`.
struct IsTypeKey;

impl Serializer for IsTypeKey {
    type Ok = bool;
    type Error = fmt::Error;
    type SerializeSeq = ser::Impossible<bool, fmt::Error>;
    type SerializeTuple = ser::Impossible<bool, fmt::Error>;
    type SerializeTupleStruct = ser::Impossible<bool, fmt::Error>;
    type SerializeTupleVariant = ser::Impossible<bool, fmt::Error>;
    type SerializeMap = ser::Impossible<bool, fmt::Error>;
    type SerializeStruct = ser::Impossible<bool, fmt::Error>;
    type SerializeStructVariant = ser::Impossible<bool, fmt::Error>;

    fn serialize_str(self, value: &str) -> Result<bool, fmt::Error> {
        Ok(value == ODATA_TYPE)
    }

    fn collect_str<T: fmt::Display + ?Sized>(self, _: &T) -> Result<bool, fmt::Error> {
        Ok(false)
    }

    fn serialize_bool(self, _: bool) -> Result<bool, fmt::Error> {
        Ok(false)
    }
    fn serialize_i8(self, _: i8) -> Result<bool, fmt::Error> {
        Ok(false)
    }
    fn serialize_i16(self, _: i16) -> Result<bool, fmt::Error> {
        Ok(false)
    }
    fn serialize_i32(self, _: i32) -> Result<bool, fmt::Error> {
        Ok(false)
    }
    fn serialize_i64(self, _: i64) -> Result<bool, fmt::Error> {
        Ok(false)
    }
    fn serialize_u8(self, _: u8) -> Result<bool, fmt::Error> {
        Ok(false)
    }
    fn serialize_u16(self, _: u16) -> Result<bool, fmt::Error> {
        Ok(false)
    }
    fn serialize_u32(self, _: u32) -> Result<bool, fmt::Error> {
        Ok(false)
    }
    fn serialize_u64(self, _: u64) -> Result<bool, fmt::Error> {
        Ok(false)
    }
    fn serialize_f32(self, _: f32) -> Result<bool, fmt::Error> {
        Ok(false)
    }
    fn serialize_f64(self, _: f64) -> Result<bool, fmt::Error> {
        Ok(false)
    }
    fn serialize_char(self, _: char) -> Result<bool, fmt::Error> {
        Ok(false)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<bool, fmt::Error> {
        Ok(false)
    }
    fn serialize_none(self) -> Result<bool, fmt::Error> {
        Ok(false)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<bool, fmt::Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<bool, fmt::Error> {
        Ok(false)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<bool, fmt::Error> {
        Ok(false)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<bool, fmt::Error> {
        Ok(false)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<bool, fmt::Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _: &'static str, _: u32, _: &'static str, _: &T) -> Result<bool, fmt::Error> {
        Ok(false)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, fmt::Error> {
        Err(fmt::Error)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, fmt::Error> {
        Err(fmt::Error)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, fmt::Error> {
        Err(fmt::Error)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, fmt::Error> {
        Err(fmt::Error)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, fmt::Error> {
        Err(fmt::Error)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, fmt::Error> {
        Err(fmt::Error)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, fmt::Error> {
        Err(fmt::Error)
    }
}

macro_rules! refuse {
    ($($method:ident($($arg:ty),*) -> $what:literal;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<S::Ok, S::Error> {
            Err(Self::not_an_object($what))
        })*
    };
}

impl<S: Serializer> Serializer for Tagged<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = ser::Impossible<S::Ok, S::Error>;
    type SerializeTuple = ser::Impossible<S::Ok, S::Error>;
    type SerializeTupleStruct = ser::Impossible<S::Ok, S::Error>;
    type SerializeTupleVariant = ser::Impossible<S::Ok, S::Error>;
    type SerializeMap = TaggedMap<S::SerializeMap>;
    type SerializeStruct = TaggedStruct<S::SerializeMap>;
    type SerializeStructVariant = ser::Impossible<S::Ok, S::Error>;

    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Self::SerializeStruct, S::Error> {
        let mut map = self.inner.serialize_map(Some(len + 1))?;
        map.serialize_entry(ODATA_TYPE, self.tag)?;
        Ok(TaggedStruct { map })
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        let mut map = self.inner.serialize_map(len.map(|n| n + 1))?;
        map.serialize_entry(ODATA_TYPE, self.tag)?;
        Ok(TaggedMap { map, skip_value: false })
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<S::Ok, S::Error> {
        value.serialize(self)
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<S::Ok, S::Error> {
        // A variant whose type has no properties of its own.
        let mut map = self.inner.serialize_map(Some(1))?;
        map.serialize_entry(ODATA_TYPE, self.tag)?;
        map.end()
    }

    refuse! {
        serialize_bool(bool) -> "a boolean";
        serialize_i8(i8) -> "a number";
        serialize_i16(i16) -> "a number";
        serialize_i32(i32) -> "a number";
        serialize_i64(i64) -> "a number";
        serialize_u8(u8) -> "a number";
        serialize_u16(u16) -> "a number";
        serialize_u32(u32) -> "a number";
        serialize_u64(u64) -> "a number";
        serialize_f32(f32) -> "a number";
        serialize_f64(f64) -> "a number";
        serialize_char(char) -> "a string";
        serialize_str(&str) -> "a string";
        serialize_bytes(&[u8]) -> "bytes";
        serialize_none() -> "null";
        serialize_unit() -> "null";
        serialize_unit_variant(&'static str, u32, &'static str) -> "a string";
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<S::Ok, S::Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _: &'static str, _: u32, _: &'static str, _: &T) -> Result<S::Ok, S::Error> {
        Err(Self::not_an_object("an enum variant"))
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        Err(Self::not_an_object("a sequence"))
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, S::Error> {
        Err(Self::not_an_object("a tuple"))
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, S::Error> {
        Err(Self::not_an_object("a tuple struct"))
    }

    fn serialize_tuple_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self::SerializeTupleVariant, S::Error> {
        Err(Self::not_an_object("an enum variant"))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        Err(Self::not_an_object("an enum variant"))
    }
}
