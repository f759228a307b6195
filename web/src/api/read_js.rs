//! Reading a value the browser parsed (`JSON.parse`) into Rust types with serde.
//!
//! Written for the status page's bundle: a general-purpose reader (serde-wasm-bindgen) formats
//! a message for every kind of mismatch, which links Rust's float and string-escaping formatting
//! (about 10 KB gzip on a customer's phone). The page only needs to know whether the answer
//! could be read, so errors here carry no message: [`Unreadable`].
//!
//! Mapping: `null`/`undefined` → unit or `None`; booleans; numbers → `u64`/`i64` when whole
//! (within ±2⁵³, as JSON numbers are in the browser) else `f64`; strings; arrays → sequences;
//! other objects → maps and structs (never arrays: serde's struct-as-array form is refused); enums as `"Variant"` or `{"Variant": value}` (serde's
//! default representation; internally tagged and untagged enums go through `deserialize_any`).
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};
use wasm_bindgen::{JsCast, JsValue};

/// The value could not be read as the type asked for (no detail, on purpose).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unreadable;

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the value could not be read")
    }
}

impl std::error::Error for Unreadable {}

// Every constructor is overridden so that no message is ever formatted.
impl de::Error for Unreadable {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Unreadable
    }
    fn invalid_type(_: de::Unexpected<'_>, _: &dyn de::Expected) -> Self {
        Unreadable
    }
    fn invalid_value(_: de::Unexpected<'_>, _: &dyn de::Expected) -> Self {
        Unreadable
    }
    fn invalid_length(_: usize, _: &dyn de::Expected) -> Self {
        Unreadable
    }
    fn unknown_variant(_: &str, _: &'static [&'static str]) -> Self {
        Unreadable
    }
    fn unknown_field(_: &str, _: &'static [&'static str]) -> Self {
        Unreadable
    }
    fn missing_field(_: &'static str) -> Self {
        Unreadable
    }
    fn duplicate_field(_: &'static str) -> Self {
        Unreadable
    }
}

/// Reads `value` as a `T`.
pub fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, Unreadable> {
    T::deserialize(Reader(value))
}

/// Largest whole number a JS number holds exactly.
const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

struct Reader(JsValue);

impl Reader {
    fn is_nothing(&self) -> bool {
        self.0.is_null() || self.0.is_undefined()
    }
}

impl<'de> de::Deserializer<'de> for Reader {
    type Error = Unreadable;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        let v = self.0;
        if v.is_null() || v.is_undefined() {
            visitor.visit_unit()
        } else if let Some(b) = v.as_bool() {
            visitor.visit_bool(b)
        } else if let Some(n) = v.as_f64() {
            if n.fract() == 0.0 && (0.0..=MAX_SAFE).contains(&n) {
                visitor.visit_u64(n as u64)
            } else if n.fract() == 0.0 && (-MAX_SAFE..0.0).contains(&n) {
                visitor.visit_i64(n as i64)
            } else {
                visitor.visit_f64(n)
            }
        } else if let Some(s) = v.as_string() {
            visitor.visit_string(s)
        } else if js_sys::Array::is_array(&v) {
            let items: js_sys::Array = v.unchecked_into();
            visitor.visit_seq(Items { items, next: 0 })
        } else if v.is_object() {
            let entries = js_sys::Object::entries(v.unchecked_ref());
            visitor.visit_map(Entries {
                entries,
                next: 0,
                value: None,
            })
        } else {
            Err(Unreadable)
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        if self.is_nothing() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Unreadable> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Unreadable> {
        if let Some(name) = self.0.as_string() {
            return visitor.visit_enum(name.into_deserializer());
        }
        if self.0.is_object() && !js_sys::Array::is_array(&self.0) {
            let entries = js_sys::Object::entries(self.0.unchecked_ref());
            if entries.length() == 1 {
                let pair: js_sys::Array = entries.get(0).unchecked_into();
                return visitor.visit_enum(Variant {
                    name: pair.get(0),
                    value: pair.get(1),
                });
            }
        }
        Err(Unreadable)
    }

    // Typed requests accept only their own JS type and call only the matching visit method:
    // what a visitor is never asked for (a struct read from an array, a field named by its index)
    // is then never linked. Anything else goes through `deserialize_any`.

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        visitor.visit_bool(self.0.as_bool().ok_or(Unreadable)?)
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        match self.0.as_f64() {
            Some(n) if n.fract() == 0.0 && (0.0..=MAX_SAFE).contains(&n) => {
                visitor.visit_u64(n as u64)
            }
            _ => Err(Unreadable),
        }
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        match self.0.as_f64() {
            Some(n) if n.fract() == 0.0 && (-MAX_SAFE..=MAX_SAFE).contains(&n) => {
                visitor.visit_i64(n as i64)
            }
            _ => Err(Unreadable),
        }
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        visitor.visit_f64(self.0.as_f64().ok_or(Unreadable)?)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        self.deserialize_string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        visitor.visit_string(self.0.as_string().ok_or(Unreadable)?)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        self.deserialize_string(visitor)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        if self.is_nothing() {
            visitor.visit_unit()
        } else {
            Err(Unreadable)
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        if !js_sys::Array::is_array(&self.0) {
            return Err(Unreadable);
        }
        let items: js_sys::Array = self.0.unchecked_into();
        visitor.visit_seq(Items { items, next: 0 })
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        if !self.0.is_object() || js_sys::Array::is_array(&self.0) {
            return Err(Unreadable);
        }
        let entries = js_sys::Object::entries(self.0.unchecked_ref());
        visitor.visit_map(Entries {
            entries,
            next: 0,
            value: None,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Unreadable> {
        self.deserialize_map(visitor)
    }

    /// A field nobody reads: skipped without looking inside.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        i128 u128 char bytes byte_buf unit_struct tuple tuple_struct
    }
}

/// An array's items, in order.
struct Items {
    items: js_sys::Array,
    next: u32,
}

impl<'de> SeqAccess<'de> for Items {
    type Error = Unreadable;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Unreadable> {
        if self.next >= self.items.length() {
            return Ok(None);
        }
        let item = self.items.get(self.next);
        self.next += 1;
        seed.deserialize(Reader(item)).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.length().saturating_sub(self.next) as usize)
    }
}

/// An object's `[key, value]` pairs (`Object.entries`), in order.
struct Entries {
    entries: js_sys::Array,
    next: u32,
    value: Option<JsValue>,
}

impl<'de> MapAccess<'de> for Entries {
    type Error = Unreadable;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Unreadable> {
        if self.next >= self.entries.length() {
            return Ok(None);
        }
        let pair: js_sys::Array = self.entries.get(self.next).unchecked_into();
        self.next += 1;
        self.value = Some(pair.get(1));
        seed.deserialize(Reader(pair.get(0))).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Unreadable> {
        let value = self.value.take().ok_or(Unreadable)?;
        seed.deserialize(Reader(value))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.length().saturating_sub(self.next) as usize)
    }
}

/// An enum written as `{"Variant": value}`.
struct Variant {
    name: JsValue,
    value: JsValue,
}

impl<'de> EnumAccess<'de> for Variant {
    type Error = Unreadable;
    type Variant = Reader;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Reader), Unreadable> {
        let name = seed.deserialize(Reader(self.name))?;
        Ok((name, Reader(self.value)))
    }
}

impl<'de> VariantAccess<'de> for Reader {
    type Error = Unreadable;

    fn unit_variant(self) -> Result<(), Unreadable> {
        if self.is_nothing() {
            Ok(())
        } else {
            Err(Unreadable)
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, Unreadable> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Unreadable> {
        de::Deserializer::deserialize_any(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Unreadable> {
        de::Deserializer::deserialize_any(self, visitor)
    }
}
