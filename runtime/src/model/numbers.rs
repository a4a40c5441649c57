//! Graph's numbers in generated models: integers (`Edm.Byte` … `Edm.Int64`) and floats
//! (`Edm.Single`, `Edm.Double`, `Edm.Decimal`), read leniently and written back in the form
//! they were read.
//!
//! A field holds a plain Rust number (`i32`, `f64`). JSON has one number type, though, and
//! Graph's pages and services write the same value several ways: a double as `1` or `1.0`, an
//! `Int64` as `1` or `1.0`, special doubles as `"NaN"`, `"INF"`, `"-INF"`, exact decimals as
//! strings. Reading accepts each of them (an integral float for an integer, an integer for a
//! float, a number in a string); a value whose JSON is not the form its field writes keeps its
//! JSON as read (`Read::form`), which the model puts in `additional`, so that writing it again,
//! unchanged, writes what was read (`1` stays `1`, `1.0` stays `1.0`). A value changed since
//! is written in its field's own form.

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};
use serde_json::{Number, Value};
use std::fmt;
use std::marker::PhantomData;

/// A number as read: the value, and its JSON when the field would not write it so.
pub(crate) struct Read<T> {
    pub(crate) value: T,
    pub(crate) form: Option<Value>,
}

/// The integer types of Graph's integer properties.
pub trait Int: Copy + Serialize {
    /// The Edm type, for messages.
    const EDM: &'static str;
    /// From a value read, when it fits.
    fn from_i128(value: i128) -> Option<Self>;
    /// To compare with a number as read.
    fn to_i128(self) -> i128;
}

macro_rules! int {
    ($($ty:ty => $edm:literal),*) => {$(
        impl Int for $ty {
            const EDM: &'static str = $edm;
            fn from_i128(value: i128) -> Option<Self> {
                Self::try_from(value).ok()
            }
            fn to_i128(self) -> i128 {
                i128::from(self)
            }
        }
    )*};
}

int!(u8 => "Edm.Byte", i8 => "Edm.SByte", i16 => "Edm.Int16", i32 => "Edm.Int32", i64 => "Edm.Int64");

/// `f32` and `f64`, as Graph's floating-point types hold them.
pub trait Float: Copy {
    /// From the value read.
    fn from_f64(value: f64) -> Self;
    /// To compare with the special values.
    fn to_f64(self) -> f64;
    /// Writes a finite value as a number of this width.
    fn write<S: Serializer>(self, serializer: S) -> Result<S::Ok, S::Error>;
}

impl Float for f32 {
    fn from_f64(value: f64) -> Self {
        value as f32
    }
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    fn write<S: Serializer>(self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f32(self)
    }
}

impl Float for f64 {
    fn from_f64(value: f64) -> Self {
        value
    }
    fn to_f64(self) -> f64 {
        self
    }
    fn write<S: Serializer>(self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self)
    }
}

/// Whether `form` (a number as read) is the integer `value`, so that it may be written
/// instead.
pub(crate) fn int_is(form: &Value, value: i128) -> bool {
    match form {
        Value::Number(n) => n.as_f64().is_some_and(|f| f.fract() == 0.0 && f as i128 == value),
        Value::String(s) => s.trim().parse::<i128>().is_ok_and(|v| v == value),
        _ => false,
    }
}

/// Whether `form` (a number as read) is the float `value` at its width (NaN is NaN).
pub(crate) fn float_is<T: Float>(form: &Value, value: T) -> bool {
    let read = match form {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => parse_float(s),
        _ => None,
    };
    let value = value.to_f64();
    read.map(|r| T::from_f64(r).to_f64()).is_some_and(|r| r == value || (r.is_nan() && value.is_nan()))
}

/// Whether each element of `form` (an array as read) is the element of `values` at its place.
pub(crate) fn all_are<T>(form: &Value, values: &[T], is: impl Fn(&Value, &T) -> bool) -> bool {
    matches!(form, Value::Array(items) if items.len() == values.len() && items.iter().zip(values).all(|(f, v)| is(f, v)))
}

fn parse_float(text: &str) -> Option<f64> {
    match text {
        "NaN" => Some(f64::NAN),
        "INF" | "Infinity" => Some(f64::INFINITY),
        "-INF" | "-Infinity" => Some(f64::NEG_INFINITY),
        other => other.trim().parse().ok(),
    }
}

/// A float as a field writes it: finite values as numbers, the others as Graph's strings.
pub(crate) struct FloatOut<T>(pub(crate) T);

impl<T: Float> Serialize for FloatOut<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = self.0.to_f64();
        if value.is_nan() {
            serializer.serialize_str("NaN")
        } else if value == f64::INFINITY {
            serializer.serialize_str("INF")
        } else if value == f64::NEG_INFINITY {
            serializer.serialize_str("-INF")
        } else {
            self.0.write(serializer)
        }
    }
}

/// Reads a float: a number, or one of the strings Graph writes for special and exact values.
pub(crate) struct FloatIn<T>(pub(crate) Read<T>);

impl<'de, T: Float> Deserialize<'de> for FloatIn<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FloatVisitor(PhantomData)).map(FloatIn)
    }
}

struct FloatVisitor<T>(PhantomData<T>);

impl<T: Float> FloatVisitor<T> {
    /// A value read from JSON other than a finite float's own: kept as read.
    fn kept(value: f64, form: Value) -> Read<T> {
        Read { value: T::from_f64(value), form: Some(form) }
    }
}

impl<T: Float> Visitor<'_> for FloatVisitor<T> {
    type Value = Read<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, or \"NaN\", \"INF\", \"-INF\" or a number in a string")
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        // An `f32` writes its own shortest digits: a value it cannot hold exactly keeps its own.
        let narrowed = T::from_f64(value);
        let form = (narrowed.to_f64() != value).then(|| Number::from_f64(value).map(Value::Number)).flatten();
        Ok(Read { value: narrowed, form })
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Ok(Self::kept(value as f64, Value::Number(Number::from(value))))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(Self::kept(value as f64, Value::Number(Number::from(value))))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        let value = parse_float(text).ok_or_else(|| E::invalid_value(de::Unexpected::Other("a string that is no number"), &self))?;
        // Graph's own spelling of a special value is what the field writes anyway.
        let form = match text {
            "NaN" | "INF" | "-INF" => None,
            other => Some(Value::String(other.to_owned())),
        };
        Ok(Read { value: T::from_f64(value), form })
    }
}

/// Reads an integer: a number without a fraction (`1` or `1.0`), or one in a string.
pub(crate) struct IntIn<T>(pub(crate) Read<T>);

impl<'de, T: Int> Deserialize<'de> for IntIn<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(IntVisitor(PhantomData)).map(IntIn)
    }
}

struct IntVisitor<T>(PhantomData<T>);

impl<T: Int> IntVisitor<T> {
    fn fit<E: de::Error>(value: i128, form: Option<Value>) -> Result<Read<T>, E> {
        match T::from_i128(value) {
            Some(value) => Ok(Read { value, form }),
            None => Err(E::custom(format_args!("a number out of the range of `{}`", T::EDM))),
        }
    }
}

impl<T: Int> Visitor<'_> for IntVisitor<T> {
    type Value = Read<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an integer (`{}`)", T::EDM)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Self::fit(i128::from(value), None)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Self::fit(i128::from(value), None)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        // `1.0` is the integer 1, as some pages and serializers write it; `1.5` is no integer.
        if value.fract() != 0.0 || !value.is_finite() || value.abs() > 9.007_199_254_740_992e15 {
            return Err(E::custom(format_args!(
                "a number with a fraction (or beyond 2^53) where Graph's type is the integer `{}`",
                T::EDM
            )));
        }
        let form = Number::from_f64(value).map(Value::Number);
        Self::fit(value as i128, form)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        // `Int64` as a string, as OData writes it for IEEE 754-compatible clients.
        let value =
            text.trim().parse::<i128>().map_err(|_| E::invalid_value(de::Unexpected::Other("a string that is no integer"), &self))?;
        Self::fit(value, Some(Value::String(text.to_owned())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn int<T: Int>(value: Value) -> Result<(T, Option<Value>), String> {
        serde_json::from_value::<IntIn<T>>(value).map(|r| (r.0.value, r.0.form)).map_err(|e| e.to_string())
    }

    fn float(value: Value) -> (f64, Option<Value>) {
        let read = serde_json::from_value::<FloatIn<f64>>(value).unwrap().0;
        (read.value, read.form)
    }

    #[test]
    fn integers_accept_integral_floats_and_strings_and_keep_their_form() {
        assert_eq!(int::<i32>(json!(7)).unwrap(), (7, None));
        assert_eq!(int::<i64>(json!(1.0)).unwrap(), (1, Some(json!(1.0))));
        assert_eq!(int::<i64>(json!("-12")).unwrap(), (-12, Some(json!("-12"))));
        let error = int::<i32>(json!(1.5)).unwrap_err();
        assert!(error.contains("a number with a fraction") && error.contains("`Edm.Int32`"), "{error}");
        assert!(!error.contains("1.5"), "no value quoted: {error}");
        assert!(int::<u8>(json!(300)).unwrap_err().contains("out of the range of `Edm.Byte`"));
        assert!(int::<i32>(json!("x")).is_err());
        assert!(int::<i32>(json!(true)).unwrap_err().contains("an integer (`Edm.Int32`)"));
    }

    #[test]
    fn floats_keep_the_form_that_is_not_their_own() {
        assert_eq!(float(json!(1.5)), (1.5, None));
        assert_eq!(float(json!(2.0)), (2.0, None));
        assert_eq!(float(json!(2)), (2.0, Some(json!(2))));
        assert_eq!(float(json!("1.25")), (1.25, Some(json!("1.25"))));
        assert_eq!(float(json!("INF")), (f64::INFINITY, None));
        assert_eq!(float(json!("Infinity")), (f64::INFINITY, Some(json!("Infinity"))));
        assert!(float(json!("NaN")).0.is_nan());
    }

    #[test]
    fn forms_match_only_the_value_they_were_read_as() {
        assert!(int_is(&json!(1.0), 1) && !int_is(&json!(1.0), 2) && int_is(&json!("5"), 5));
        assert!(float_is(&json!(2), 2.0) && !float_is(&json!(2), 2.5) && float_is(&json!("NaN"), f64::NAN));
        assert!(float_is(&json!(0.1), 0.1f32), "compared at the field's width");
        assert!(all_are(&json!([1, 2.5]), &[1.0, 2.5], |f, v| float_is(f, *v)));
        assert!(!all_are(&json!([1]), &[1.0, 2.0], |f, v| float_is(f, *v)));
        let narrow = serde_json::from_value::<FloatIn<f32>>(json!(0.1)).unwrap().0;
        assert_eq!(narrow.form, Some(json!(0.1)), "an f32 keeps the digits it cannot write");
    }
}
