//! The macros that turn a kind's declaration into its Rust struct and its catalogue entry.
//!
//! ```text
//! kind! {
//!     /// GeeTest v3: ...
//!     GeeTest {
//!         required {
//!             /// Full URL of the page with the captcha.
//!             website_url: url,
//!             gt: key,
//!             challenge: text,
//!         }
//!         optional {
//!             api_server: domain,
//!             proxy: proxy,
//!         }
//!     }
//! }
//! ```
//!
//! gives `pub struct GeeTest` with public fields (plus `pingback` and `extra`), `Default`,
//! `GeeTest::new(website_url, gt, challenge)`, a chainable setter per optional field,
//! `GeeTest::FIELDS` (the [`super::spec::FieldSpec`]s every reader uses), reading from the
//! JSON form with plain-word errors, validation by field type, and a `Debug` that hides
//! bytes and proxy passwords. The field vocabulary (`url`, `key`, `text`, `domain`, `flag`,
//! `number(min, max)`, `count(min, max)`, `image`, `image_map`, `audio`, `proxy`, `cookies`,
//! `text_map`, `json_map`, `one_of([..])`, `text_or("default")`, `long_text`, `upload`,
//! `charset`) names both the Rust type and the [`super::spec::FieldType`].

/// The Rust type of a required field.
macro_rules! req_ty {
    (url) => { String };
    (key) => { String };
    (text) => { String };
    (long_text) => { String };
    (one_of $a:tt) => { String };
    (image) => { Vec<u8> };
    (audio) => { Vec<u8> };
    (proxy) => { Option<$crate::proxy::Proxy> };
    (json_map) => { std::collections::BTreeMap<String, serde_json::Value> };
}

/// The Rust type of an optional field.
macro_rules! opt_ty {
    (url) => { Option<String> };
    (key) => { Option<String> };
    (text) => { Option<String> };
    (long_text) => { Option<String> };
    (domain) => { Option<String> };
    (one_of $a:tt) => { Option<String> };
    (text_or $d:tt) => { String };
    (flag) => { bool };
    (number $a:tt) => { Option<f64> };
    (count $a:tt) => { Option<u32> };
    (image) => { Option<Vec<u8>> };
    (image_map) => { std::collections::BTreeMap<String, Vec<u8>> };
    (proxy) => { Option<$crate::proxy::Proxy> };
    (cookies) => { Vec<(String, String)> };
    (text_map) => { std::collections::BTreeMap<String, String> };
    (json_map) => { std::collections::BTreeMap<String, serde_json::Value> };
    (upload) => { $crate::task::ImageUpload };
    (charset) => { $crate::task::CharacterSet };
}

/// The catalogue's [`super::spec::FieldType`] of a field.
macro_rules! field_type {
    (url) => { $crate::task::spec::FieldType::Url };
    (key) => { $crate::task::spec::FieldType::Key };
    (text) => { $crate::task::spec::FieldType::Text };
    (long_text) => { $crate::task::spec::FieldType::LongText };
    (domain) => { $crate::task::spec::FieldType::Domain };
    (text_or ($d:literal)) => { $crate::task::spec::FieldType::TextOr($d) };
    (flag) => { $crate::task::spec::FieldType::Flag };
    (number ($min:expr, $max:expr)) => { $crate::task::spec::FieldType::Number { min: $min, max: $max } };
    (count ($min:expr, $max:expr)) => { $crate::task::spec::FieldType::Count { min: $min, max: $max } };
    (image) => { $crate::task::spec::FieldType::Image };
    (audio) => { $crate::task::spec::FieldType::Audio };
    (image_map) => { $crate::task::spec::FieldType::ImageMap };
    (proxy) => { $crate::task::spec::FieldType::Proxy };
    (cookies) => { $crate::task::spec::FieldType::Cookies };
    (text_map) => { $crate::task::spec::FieldType::TextMap };
    (json_map) => { $crate::task::spec::FieldType::JsonMap };
    (one_of ([$($w:literal),* $(,)?])) => { $crate::task::spec::FieldType::OneOf(&[$($w),*]) };
    (upload) => { $crate::task::spec::FieldType::Upload };
    (charset) => { $crate::task::spec::FieldType::Charset };
}

/// A field's value in a new task.
macro_rules! field_default {
    (text_or ($d:literal)) => {
        String::from($d)
    };
    ($($t:tt)*) => {
        Default::default()
    };
}

/// The parameter type of a required field in `new`.
macro_rules! req_arg {
    (proxy) => { $crate::proxy::Proxy };
    (json_map) => { std::collections::BTreeMap<String, serde_json::Value> };
    (image) => { impl Into<Vec<u8>> };
    (audio) => { impl Into<Vec<u8>> };
    ($($t:tt)*) => { impl Into<String> };
}

/// How `new` stores a required field.
macro_rules! req_init {
    ([proxy] $v:ident) => {
        Some($v)
    };
    ([json_map] $v:ident) => {
        $v
    };
    ([$($t:tt)*] $v:ident) => {
        $v.into()
    };
}

/// The chainable setter of an optional field (maps and cookies have hand-written ones that add
/// one entry).
macro_rules! field_setter {
    ($n:ident, flag) => {
        #[doc = concat!("Sets `", stringify!($n), "`.")]
        pub fn $n(mut self, on: bool) -> Self {
            self.$n = on;
            self
        }
    };
    ($n:ident, number $a:tt) => {
        #[doc = concat!("Sets `", stringify!($n), "`.")]
        pub fn $n(mut self, value: f64) -> Self {
            self.$n = Some(value);
            self
        }
    };
    ($n:ident, count $a:tt) => {
        #[doc = concat!("Sets `", stringify!($n), "`.")]
        pub fn $n(mut self, value: u32) -> Self {
            self.$n = Some(value);
            self
        }
    };
    ($n:ident, image) => {
        #[doc = concat!("Sets `", stringify!($n), "` (the image's bytes).")]
        pub fn $n(mut self, bytes: impl Into<Vec<u8>>) -> Self {
            self.$n = Some(bytes.into());
            self
        }
    };
    ($n:ident, proxy) => {
        #[doc = concat!("Sets `", stringify!($n), "`.")]
        pub fn $n(mut self, proxy: $crate::proxy::Proxy) -> Self {
            self.$n = Some(proxy);
            self
        }
    };
    ($n:ident, text_or $d:tt) => {
        #[doc = concat!("Sets `", stringify!($n), "`.")]
        pub fn $n(mut self, value: impl Into<String>) -> Self {
            self.$n = value.into();
            self
        }
    };
    ($n:ident, upload) => {
        #[doc = concat!("Sets `", stringify!($n), "`.")]
        pub fn $n(mut self, value: $crate::task::ImageUpload) -> Self {
            self.$n = value;
            self
        }
    };
    ($n:ident, charset) => {
        #[doc = concat!("Sets `", stringify!($n), "`.")]
        pub fn $n(mut self, value: $crate::task::CharacterSet) -> Self {
            self.$n = value;
            self
        }
    };
    ($n:ident, cookies) => {};
    ($n:ident, text_map) => {};
    ($n:ident, json_map) => {};
    ($n:ident, image_map) => {};
    ($n:ident, $kw:ident $($a:tt)?) => {
        #[doc = concat!("Sets `", stringify!($n), "`.")]
        pub fn $n(mut self, value: impl Into<String>) -> Self {
            self.$n = Some(value.into());
            self
        }
    };
}

/// Declares one kind: see the module documentation.
macro_rules! kind {
    (
        $(#[doc = $doc:literal])*
        $Kind:ident {
            required {
                $( $(#[doc = $rdoc:literal])* $r:ident : $rkw:ident $( ( $($ra:tt)* ) )? ),* $(,)?
            }
            optional {
                $( $(#[doc = $odoc:literal])* $o:ident : $okw:ident $( ( $($oa:tt)* ) )? ),* $(,)?
            }
            $( rules: $rules:path, )?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, PartialEq)]
        pub struct $Kind {
            $( $(#[doc = $rdoc])* pub $r: req_ty!($rkw $(($($ra)*))?), )*
            $( $(#[doc = $odoc])* pub $o: opt_ty!($okw $(($($oa)*))?), )*
            /// A URL the service calls when the task is solved (polling stays on as the
            /// safety net).
            pub pingback: Option<String>,
            /// Fields the service takes that this model does not name, sent as given (the
            /// json protocol adds them to the task object; the form protocol sends them as
            /// fields).
            pub extra: std::collections::BTreeMap<String, serde_json::Value>,
        }

        impl Default for $Kind {
            fn default() -> Self {
                $Kind {
                    $( $r: field_default!($rkw $(($($ra)*))?), )*
                    $( $o: field_default!($okw $(($($oa)*))?), )*
                    pingback: None,
                    extra: std::collections::BTreeMap::new(),
                }
            }
        }

        impl $Kind {
            /// The kind's documentation.
            pub const DOC: &'static str = concat!($($doc, "\n"),*);

            /// The kind's fields, required first, as every reader of the catalogue sees them.
            pub const FIELDS: &'static [$crate::task::spec::FieldSpec] = &[
                $( $crate::task::spec::FieldSpec {
                    name: stringify!($r),
                    ty: field_type!($rkw $(($($ra)*))?),
                    required: true,
                    doc: concat!($($rdoc),*),
                }, )*
                $( $crate::task::spec::FieldSpec {
                    name: stringify!($o),
                    ty: field_type!($okw $(($($oa)*))?),
                    required: false,
                    doc: concat!($($odoc),*),
                }, )*
            ];

            #[doc = concat!("A task with the required fields; set the others with the setters.")]
            #[allow(clippy::too_many_arguments)]
            pub fn new($( $r: req_arg!($rkw $(($($ra)*))?) ),*) -> $Kind {
                $Kind {
                    $( $r: req_init!([$rkw $(($($ra)*))?] $r), )*
                    ..$Kind::default()
                }
            }

            $( field_setter!($o, $okw $(($($oa)*))?); )*

            /// Sets the pingback URL the service calls when the task is solved.
            pub fn pingback(mut self, url: impl Into<String>) -> Self {
                self.pingback = Some(url.into());
                self
            }

            /// Adds a field the service takes that this model does not name; it is sent as
            /// given (the escape hatch for options capbridge does not know yet).
            pub fn extra(mut self, name: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
                self.extra.insert(name.into(), value.into());
                self
            }

            /// A field's value by name, as the catalogue's readers see it.
            pub fn get(&self, name: &str) -> $crate::task::field::FieldRef<'_> {
                use $crate::task::field::FieldValue as _;
                match name {
                    $( stringify!($r) => self.$r.view(), )*
                    $( stringify!($o) => self.$o.view(), )*
                    _ => $crate::task::field::FieldRef::Unset,
                }
            }

            /// Reads the kind's fields from their JSON form (without `type`).
            pub(crate) fn from_map(
                mut m: serde_json::Map<String, serde_json::Value>,
            ) -> $crate::error::Result<$Kind> {
                use $crate::task::field::read_field;
                let mut t = $Kind::default();
                $( read_field(&mut m, stringify!($r), field_type!($rkw $(($($ra)*))?), &mut t.$r)?; )*
                $( read_field(&mut m, stringify!($o), field_type!($okw $(($($oa)*))?), &mut t.$o)?; )*
                read_field(&mut m, "pingback", $crate::task::spec::FieldType::Url, &mut t.pingback)?;
                read_field(&mut m, "extra", $crate::task::spec::FieldType::JsonMap, &mut t.extra)?;
                $crate::task::field::refuse_unknown(stringify!($Kind), Self::FIELDS, &m)?;
                Ok(t)
            }

            /// Checks every field; the first failure is an `invalid_task` error naming it.
            pub(crate) fn validate(&self) -> $crate::error::Result<()> {
                $crate::task::validate::fields(Self::FIELDS, |name| self.get(name))?;
                $( $rules(self)?; )?
                $crate::task::validate::common(&self.pingback, &self.extra)
            }
        }

        impl std::fmt::Debug for $Kind {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let mut d = f.debug_struct(stringify!($Kind));
                for spec in Self::FIELDS {
                    d.field(spec.name, &self.get(spec.name));
                }
                d.field("pingback", &self.pingback)
                    .field("extra", &self.extra)
                    .finish()
            }
        }
    };
}

pub(crate) use {field_default, field_setter, field_type, kind, opt_ty, req_arg, req_init, req_ty};
