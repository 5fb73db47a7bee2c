//! The task model: one typed description per captcha kind, independent of any protocol, and
//! the catalogue that declares each kind once.
//!
//! | file | holds |
//! |---|---|
//! | `kinds/` | one file per kind (or family): its fields, answer and wire spellings per provider |
//! | `spec.rs` | the shape of those declarations ([`spec::KindSpec`], [`spec::Wire`], ...) |
//! | `declare.rs` | the `kind!` macro that turns a declaration into a struct and its fields |
//! | `field.rs` | [`field::FieldRef`]: one view of a field's value for every reader |
//! | `validate.rs` | checks by field type, before anything is sent |
//! | `media.rs`, `image.rs`, `image_format.rs` | images and recordings |
//! | `from_json.rs` | tasks from their JSON form (what bindings hand the core) |
//!
//! A [`Task`] is validated by [`Task::validate`] before anything is sent; the protocol codecs
//! turn it into requests by reading its kind's [`spec::Wire`]. Every struct has public fields
//! plus chainable setters: `GeeTestV4::new(url, captcha_id).proxy(p)`.

mod declare;
pub mod field;
pub mod from_json;
mod image;
mod image_format;
pub(crate) mod kinds;
mod media;
pub mod spec;
pub(crate) mod validate;

pub use image::{CharacterSet, ImageUpload};
pub use image_format::ImageFormat;
pub use kinds::*;
pub use media::{
    MAX_AUDIO_BYTES, MAX_IMAGE_BYTES, MAX_IMAGE_PARTS, MAX_IMAGE_SIDE, MIN_AUDIO_BYTES,
    MIN_IMAGE_BYTES,
};

use crate::error::Result;
use crate::proxy::Proxy;
use field::FieldRef;
use spec::KindSpec;
use std::fmt;

/// Declares the list of kinds: the [`Task`] enum, [`TaskKind`], and the dispatch from a task
/// to its kind's declaration.
macro_rules! kinds {
    ($( $(#[doc = $doc:literal])* $Kind:ident => $spec:path ),* $(,)?) => {
        /// A captcha to solve.
        #[derive(Clone, PartialEq)]
        #[non_exhaustive]
        pub enum Task {
            $( $(#[doc = $doc])* $Kind($Kind), )*
        }

        /// The kind of a task, for waits, events and names shared across languages.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum TaskKind {
            $( $(#[doc = $doc])* $Kind, )*
        }

        /// How many kinds there are.
        const KIND_COUNT: usize = [$(stringify!($Kind)),*].len();

        impl TaskKind {
            /// Every kind, in the catalogue's order.
            pub const ALL: [TaskKind; KIND_COUNT] = [$(TaskKind::$Kind),*];

            /// The name used by every binding (`"RecaptchaV2"`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( TaskKind::$Kind => stringify!($Kind), )*
                }
            }

            /// The kind's declaration: fields, answer, wire spellings.
            pub fn spec(self) -> &'static KindSpec {
                match self {
                    $( TaskKind::$Kind => &$spec, )*
                }
            }

            /// The kind's position in [`TaskKind::ALL`].
            pub(crate) const fn index(self) -> usize {
                self as usize
            }
        }

        impl Task {
            /// The task's kind.
            pub fn kind(&self) -> TaskKind {
                match self {
                    $( Task::$Kind(_) => TaskKind::$Kind, )*
                }
            }

            /// A field's value by name, as the catalogue's readers see it.
            pub fn get(&self, name: &str) -> FieldRef<'_> {
                match self {
                    $( Task::$Kind(t) => t.get(name), )*
                }
            }

            /// Checks every field; the first failure is an `invalid_task` error naming the
            /// field.
            pub fn validate(&self) -> Result<()> {
                match self {
                    $( Task::$Kind(t) => t.validate(), )*
                }
            }

            /// Fields the service takes that the model does not name, sent as given.
            pub fn extra(&self) -> &std::collections::BTreeMap<String, serde_json::Value> {
                match self {
                    $( Task::$Kind(t) => &t.extra, )*
                }
            }

            /// The pingback URL given with the task, if any.
            pub fn pingback(&self) -> Option<&str> {
                match self {
                    $( Task::$Kind(t) => t.pingback.as_deref(), )*
                }
            }

            /// Sets the URL the service pushes the answer to (the client's own receiver's).
            pub(crate) fn set_pingback(&mut self, url: Option<String>) {
                match self {
                    $( Task::$Kind(t) => t.pingback = url, )*
                }
            }

            /// A task of `kind` from its fields' JSON form (without `type`), not yet validated.
            pub(crate) fn from_fields(
                kind: TaskKind,
                m: serde_json::Map<String, serde_json::Value>,
            ) -> Result<Task> {
                match kind {
                    $( TaskKind::$Kind => $Kind::from_map(m).map(Task::$Kind), )*
                }
            }
        }

        impl fmt::Debug for Task {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    $( Task::$Kind(t) => t.fmt(f), )*
                }
            }
        }

        $(
            impl From<$Kind> for Task {
                fn from(t: $Kind) -> Task {
                    Task::$Kind(t)
                }
            }
        )*
    };
}

kinds! {
    /// Text in a picture.
    ImageToText => kinds::image_to_text::SPEC,
    /// reCAPTCHA v2 (checkbox, invisible, enterprise).
    RecaptchaV2 => kinds::recaptcha::V2,
    /// reCAPTCHA v3 (score based).
    RecaptchaV3 => kinds::recaptcha::V3,
    /// hCaptcha.
    HCaptcha => kinds::hcaptcha::SPEC,
    /// Arkose Labs FunCaptcha.
    FunCaptcha => kinds::funcaptcha::SPEC,
    /// Cloudflare Turnstile (a widget or a challenge page).
    Turnstile => kinds::turnstile::SPEC,
    /// Cloudflare's challenge page: the `cf_clearance` cookie.
    CloudflareChallenge => kinds::cloudflare::SPEC,
    /// GeeTest v3.
    GeeTest => kinds::geetest::V3,
    /// GeeTest v4.
    GeeTestV4 => kinds::geetest::V4,
    /// Amazon WAF's captcha.
    AmazonWaf => kinds::amazon::SPEC,
    /// DataDome's slider: the `datadome` cookie.
    DataDome => kinds::datadome::SPEC,
    /// MTCaptcha.
    MtCaptcha => kinds::widgets::MT,
    /// Friendly Captcha.
    FriendlyCaptcha => kinds::widgets::FRIENDLY,
    /// Points to click in a picture.
    Coordinates => kinds::images::COORDINATES,
    /// Tiles of a grid to select.
    Grid => kinds::images::GRID,
    /// A question in words.
    TextCaptcha => kinds::media::TEXT,
    /// Words in a recording.
    Audio => kinds::media::AUDIO,
    /// A picture to turn upright.
    Rotate => kinds::images::ROTATE,
    /// Lemin's cropped puzzle.
    Lemin => kinds::lemin::SPEC,
    /// A provider's own request, sent as given.
    Raw => kinds::raw::SPEC,
}

/// As its name (`"RecaptchaV2"`), as every binding spells it.
impl serde::Serialize for TaskKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl std::str::FromStr for TaskKind {
    type Err = crate::Error;

    /// A kind by name, as [`TaskKind::parse`] (`"RecaptchaV2".parse()`).
    fn from_str(name: &str) -> crate::Result<TaskKind> {
        TaskKind::parse(name)
    }
}
impl TaskKind {
    /// Parses a name produced by [`TaskKind::as_str`].
    pub fn from_name(name: &str) -> Option<TaskKind> {
        TaskKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Parses a kind's name, or fails with the `invalid_task` error on `type` that names the
    /// kinds there are (what bindings show for an unknown kind).
    pub fn parse(name: &str) -> crate::Result<TaskKind> {
        TaskKind::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = TaskKind::ALL.iter().map(|k| k.as_str()).collect();
            let hint = crate::error::nearest(name, &names)
                .map(|n| format!(" (did you mean {n}?)"))
                .unwrap_or_default();
            crate::Error::invalid_field(
                "type",
                format!(
                    "is not a task type: {name:?}{hint}; expected one of {}",
                    names.join(", ")
                ),
            )
        })
    }
}

impl fmt::Display for TaskKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl Task {
    /// The proxy given with the task, if any.
    pub fn proxy(&self) -> Option<&Proxy> {
        match self.get("proxy") {
            FieldRef::Proxy(p) => Some(p),
            _ => None,
        }
    }

    /// The secrets the task carries besides the API key, for the one redaction step: its
    /// proxy's password, or the passwords a [`Raw`] request holds in the providers' spellings.
    pub(crate) fn secrets(&self) -> Vec<&str> {
        match self {
            Task::Raw(raw) => raw.secrets(),
            _ => self
                .proxy()
                .and_then(Proxy::password)
                .map(|p| vec![p.expose()])
                .unwrap_or_default(),
        }
    }
}
