//! One view of a field's value for every reader of the catalogue: validation checks a
//! [`FieldRef`] by its [`FieldType`], the codecs write it by its [`super::spec::Enc`], and
//! `Debug` prints it. `FieldValue` is how each Rust field type reads its JSON form (what
//! bindings hand the core) and shows itself as a [`FieldRef`].

use super::image::{CharacterSet, ImageUpload};
use super::spec::FieldType;
use crate::proxy::Proxy;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// A field's value, borrowed.
#[derive(Clone, Copy, PartialEq)]
pub enum FieldRef<'a> {
    /// Not given (an empty text or list counts as not given).
    Unset,
    /// Text.
    Text(&'a str),
    /// A flag that is set (a flag that is not set is [`FieldRef::Unset`]).
    Flag,
    /// A number.
    Number(f64),
    /// A whole number.
    Count(u32),
    /// Bytes (images, audio).
    Bytes(&'a [u8]),
    /// Images by name (multipart file parts).
    Images(&'a BTreeMap<String, Vec<u8>>),
    /// A proxy.
    Proxy(&'a Proxy),
    /// Cookies.
    Cookies(&'a [(String, String)]),
    /// A map of text.
    TextMap(&'a BTreeMap<String, String>),
    /// A map of JSON values.
    JsonMap(&'a BTreeMap<String, Value>),
    /// How an image travels.
    Upload(ImageUpload),
    /// The characters an answer holds (not `Any`).
    Charset(CharacterSet),
}

impl FieldRef<'_> {
    /// Whether a value was given.
    pub fn is_set(&self) -> bool {
        !matches!(self, FieldRef::Unset)
    }

    /// The value as text, when it is text.
    pub fn text(&self) -> Option<&str> {
        match self {
            FieldRef::Text(s) => Some(s),
            _ => None,
        }
    }
}

impl fmt::Debug for FieldRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldRef::Unset => f.write_str("None"),
            FieldRef::Text(s) => write!(f, "{s:?}"),
            FieldRef::Flag => f.write_str("true"),
            FieldRef::Number(n) => write!(f, "{n}"),
            FieldRef::Count(n) => write!(f, "{n}"),
            FieldRef::Bytes(b) => write!(f, "<{} bytes>", b.len()),
            // Names and sizes: the bytes are no one's to read in a log.
            FieldRef::Images(m) => {
                let parts: Vec<String> = m
                    .iter()
                    .map(|(n, b)| format!("{n:?}: <{} bytes>", b.len()))
                    .collect();
                write!(f, "{{{}}}", parts.join(", "))
            }
            FieldRef::Proxy(p) => write!(f, "{p:?}"),
            FieldRef::Cookies(c) => {
                let names: Vec<&str> = c.iter().map(|(n, _)| n.as_str()).collect();
                write!(f, "<cookies {names:?}>")
            }
            FieldRef::TextMap(m) => write!(f, "{m:?}"),
            // Keys only: a raw request may hold a proxy's password.
            FieldRef::JsonMap(m) => {
                let keys: Vec<&str> = m.keys().map(String::as_str).collect();
                write!(f, "<object {keys:?}>")
            }
            FieldRef::Upload(u) => write!(f, "{u:?}"),
            FieldRef::Charset(c) => write!(f, "{c:?}"),
        }
    }
}

/// A Rust field type of a kind: read from JSON, shown as a [`FieldRef`].
pub(crate) trait FieldValue: Sized {
    /// Reads a JSON value (never `null`: the caller treats it as absent). The error is the
    /// reason in plain words; the caller names the field.
    fn from_json(v: Value, ty: FieldType) -> Result<Self, String>;

    /// The value as the catalogue's readers see it.
    fn view(&self) -> FieldRef<'_>;
}

/// A collection's view: [`FieldRef::Unset`] when it is empty (an empty text, list or map
/// counts as not given), else `view`.
fn unless_empty<'a>(empty: bool, view: FieldRef<'a>) -> FieldRef<'a> {
    if empty { FieldRef::Unset } else { view }
}

fn want(what: &str, got: &Value) -> String {
    let got = match got {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    };
    format!("expected {what}, got {got}")
}

impl FieldValue for String {
    fn from_json(v: Value, _ty: FieldType) -> Result<Self, String> {
        match v {
            Value::String(s) => Ok(s),
            other => Err(want("text", &other)),
        }
    }

    fn view(&self) -> FieldRef<'_> {
        unless_empty(self.is_empty(), FieldRef::Text(self))
    }
}

impl FieldValue for Option<String> {
    fn from_json(v: Value, ty: FieldType) -> Result<Self, String> {
        String::from_json(v, ty).map(Some)
    }

    fn view(&self) -> FieldRef<'_> {
        match self {
            // An empty text given on purpose is still given: validation names it.
            Some(s) => FieldRef::Text(s),
            None => FieldRef::Unset,
        }
    }
}

impl FieldValue for bool {
    fn from_json(v: Value, _ty: FieldType) -> Result<Self, String> {
        match v {
            Value::Bool(b) => Ok(b),
            other => Err(want("true or false", &other)),
        }
    }

    fn view(&self) -> FieldRef<'_> {
        if *self {
            FieldRef::Flag
        } else {
            FieldRef::Unset
        }
    }
}

impl FieldValue for Option<f64> {
    fn from_json(v: Value, _ty: FieldType) -> Result<Self, String> {
        match &v {
            Value::Number(n) => n.as_f64().map(Some).ok_or_else(|| want("a number", &v)),
            _ => Err(want("a number", &v)),
        }
    }

    fn view(&self) -> FieldRef<'_> {
        self.map_or(FieldRef::Unset, FieldRef::Number)
    }
}

impl FieldValue for Option<u32> {
    fn from_json(v: Value, _ty: FieldType) -> Result<Self, String> {
        match &v {
            Value::Number(n) => match n.as_u64() {
                Some(u) => u32::try_from(u)
                    .map(Some)
                    .map_err(|_| "the number is too large".to_owned()),
                None if n.as_f64().is_some_and(|f| f < 0.0) => {
                    Err("expected a whole number, not negative".to_owned())
                }
                None => Err(want("a whole number", &v)),
            },
            _ => Err(want("a whole number", &v)),
        }
    }

    fn view(&self) -> FieldRef<'_> {
        self.map_or(FieldRef::Unset, FieldRef::Count)
    }
}

/// Bytes: images and audio, from text (a path, base64, a `data:` URL) or a list of byte
/// values (how JSON carries raw bytes).
impl FieldValue for Vec<u8> {
    fn from_json(v: Value, ty: FieldType) -> Result<Self, String> {
        match v {
            Value::String(s) => {
                let media = if ty == FieldType::Audio {
                    super::media::Media::Audio
                } else {
                    super::media::Media::Image
                };
                media.read_text(&s).map_err(|e| e.message().to_owned())
            }
            Value::Array(items) => items
                .iter()
                .map(|i| {
                    i.as_u64()
                        .and_then(|b| u8::try_from(b).ok())
                        .ok_or_else(|| "expected bytes: whole numbers 0 to 255".to_owned())
                })
                .collect(),
            other => Err(want(
                "bytes, base64 text, a data: URL or a file path",
                &other,
            )),
        }
    }

    fn view(&self) -> FieldRef<'_> {
        unless_empty(self.is_empty(), FieldRef::Bytes(self))
    }
}

impl FieldValue for Option<Vec<u8>> {
    fn from_json(v: Value, ty: FieldType) -> Result<Self, String> {
        Vec::<u8>::from_json(v, ty).map(Some)
    }

    fn view(&self) -> FieldRef<'_> {
        match self {
            Some(b) => FieldRef::Bytes(b),
            None => FieldRef::Unset,
        }
    }
}

/// Images by name: an object whose values each read as an image field does (base64, a
/// `data:` URL, a path or a list of byte values). A failure names the entry.
impl FieldValue for BTreeMap<String, Vec<u8>> {
    fn from_json(v: Value, _ty: FieldType) -> Result<Self, String> {
        let Value::Object(m) = v else {
            return Err(want("an object of names and images", &v));
        };
        m.into_iter()
            .map(|(name, image)| {
                Vec::<u8>::from_json(image, FieldType::Image)
                    .map(|bytes| (name.clone(), bytes))
                    .map_err(|e| format!("{name}: {e}"))
            })
            .collect()
    }

    fn view(&self) -> FieldRef<'_> {
        unless_empty(self.is_empty(), FieldRef::Images(self))
    }
}

impl FieldValue for Option<Proxy> {
    fn from_json(v: Value, _ty: FieldType) -> Result<Self, String> {
        // Proxy errors never repeat the input, which may hold a password.
        super::from_json::parse_proxy(v).map_err(|e| e.message().to_owned())
    }

    fn view(&self) -> FieldRef<'_> {
        self.as_ref().map_or(FieldRef::Unset, FieldRef::Proxy)
    }
}

impl FieldValue for Vec<(String, String)> {
    fn from_json(v: Value, _ty: FieldType) -> Result<Self, String> {
        super::from_json::cookies(v)
    }

    fn view(&self) -> FieldRef<'_> {
        unless_empty(self.is_empty(), FieldRef::Cookies(self))
    }
}

impl FieldValue for BTreeMap<String, String> {
    fn from_json(v: Value, _ty: FieldType) -> Result<Self, String> {
        let Value::Object(m) = v else {
            return Err(want("an object of names and text values", &v));
        };
        m.into_iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k, s)),
                Value::Number(n) => Ok((k, n.to_string())),
                Value::Bool(b) => Ok((k, b.to_string())),
                other => Err(format!("{k}: {}", want("text", &other))),
            })
            .collect()
    }

    fn view(&self) -> FieldRef<'_> {
        unless_empty(self.is_empty(), FieldRef::TextMap(self))
    }
}

impl FieldValue for BTreeMap<String, Value> {
    fn from_json(v: Value, _ty: FieldType) -> Result<Self, String> {
        match v {
            Value::Object(m) => Ok(m.into_iter().collect()),
            other => Err(want("an object", &other)),
        }
    }

    fn view(&self) -> FieldRef<'_> {
        unless_empty(self.is_empty(), FieldRef::JsonMap(self))
    }
}

impl FieldValue for ImageUpload {
    fn from_json(v: Value, _ty: FieldType) -> Result<Self, String> {
        match v.as_str() {
            Some("base64") => Ok(ImageUpload::Base64),
            Some("multipart") => Ok(ImageUpload::Multipart),
            _ => Err("is not a value it takes; expected base64 or multipart".to_owned()),
        }
    }

    fn view(&self) -> FieldRef<'_> {
        match self {
            ImageUpload::Base64 => FieldRef::Unset,
            ImageUpload::Multipart => FieldRef::Upload(*self),
        }
    }
}

impl FieldValue for CharacterSet {
    fn from_json(v: Value, _ty: FieldType) -> Result<Self, String> {
        let bad = || {
            "expected 0 to 4, or any, numbers_only, letters_only, numbers_or_letters, \
             numbers_and_letters"
                .to_owned()
        };
        match &v {
            Value::Number(n) => n
                .as_u64()
                .and_then(|c| u8::try_from(c).ok())
                .and_then(CharacterSet::from_code)
                .ok_or_else(bad),
            Value::String(s) => CharacterSet::from_name(s).ok_or_else(bad),
            _ => Err(bad()),
        }
    }

    fn view(&self) -> FieldRef<'_> {
        match self {
            CharacterSet::Any => FieldRef::Unset,
            other => FieldRef::Charset(*other),
        }
    }
}

/// Reads `name` out of a kind's JSON fields into `slot`; `null` counts as absent. A failure is
/// an `invalid_task` error naming the field.
pub(crate) fn read_field<T: FieldValue>(
    m: &mut serde_json::Map<String, Value>,
    name: &str,
    ty: FieldType,
    slot: &mut T,
) -> crate::error::Result<()> {
    if let Some(v) = m.remove(name).filter(|v| !v.is_null()) {
        *slot = T::from_json(v, ty).map_err(|msg| crate::error::Error::invalid_field(name, msg))?;
    }
    Ok(())
}

/// Refuses the first field a kind does not have, suggesting the one of `fields` (and the
/// fields every kind has) it most likely meant.
pub(crate) fn refuse_unknown(
    kind: &str,
    fields: &[crate::task::spec::FieldSpec],
    m: &serde_json::Map<String, Value>,
) -> crate::error::Result<()> {
    let Some(name) = m.keys().next() else {
        return Ok(());
    };
    let known: Vec<&str> = fields
        .iter()
        .map(|f| f.name)
        .chain(["pingback", "extra"])
        .collect();
    let reason = match crate::error::nearest(name, &known) {
        Some(k) => format!("is not a field of {kind}; did you mean {k}?"),
        None => format!("is not a field of {kind}"),
    };
    Err(crate::error::Error::invalid_field(name, reason))
}
