//! The task model: one typed description per captcha kind, independent of any protocol.
//!
//! A [`Task`] is validated by [`Task::validate`] before anything is sent; the protocol codecs
//! turn it into requests. Every struct has public fields plus chainable setters, so both
//! `RecaptchaV2 { website_url, website_key, ..RecaptchaV2::default() }`-style literals (via
//! [`RecaptchaV2::new`]) and builders read well.

pub mod from_json;
mod funcaptcha;
mod hcaptcha;
mod image;
mod image_format;
mod recaptcha;
mod turnstile;
pub(crate) mod validate;

pub use funcaptcha::FunCaptcha;
pub use hcaptcha::HCaptcha;
pub use image::{
    CharacterSet, ImageToText, ImageUpload, MAX_IMAGE_BYTES, MAX_IMAGE_SIDE, MIN_IMAGE_BYTES,
};
pub use image_format::ImageFormat;
pub use recaptcha::{RecaptchaV2, RecaptchaV3};
pub use turnstile::Turnstile;

use crate::error::Result;
use crate::proxy::Proxy;
use std::fmt;

/// Generates chainable setters for optional text fields and flags.
macro_rules! setters {
    (strings: $($s:ident),* ; flags: $($f:ident),* ) => {
        $(
            #[doc = concat!("Sets `", stringify!($s), "`.")]
            pub fn $s(mut self, value: impl Into<String>) -> Self {
                self.$s = Some(value.into());
                self
            }
        )*
        $(
            #[doc = concat!("Sets `", stringify!($f), "`.")]
            pub fn $f(mut self, value: bool) -> Self {
                self.$f = value;
                self
            }
        )*
        /// Sets the pingback URL the service calls when the task is solved.
        pub fn pingback(mut self, url: impl Into<String>) -> Self {
            self.pingback = Some(url.into());
            self
        }

        /// Adds a field the service takes that this model does not name; it is sent as given
        /// (the escape hatch for options capbridge does not know yet).
        pub fn extra(mut self, name: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
            self.extra.insert(name.into(), value.into());
            self
        }
    };
}
pub(crate) use setters;

/// A captcha to solve.
#[derive(Clone, PartialEq, serde::Deserialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum Task {
    /// Text in a picture.
    ImageToText(ImageToText),
    /// reCAPTCHA v2 (checkbox, invisible, enterprise).
    RecaptchaV2(RecaptchaV2),
    /// reCAPTCHA v3 (score based).
    RecaptchaV3(RecaptchaV3),
    /// hCaptcha.
    HCaptcha(HCaptcha),
    /// Arkose Labs FunCaptcha.
    FunCaptcha(FunCaptcha),
    /// Cloudflare Turnstile.
    Turnstile(Turnstile),
}

/// The kind of a task, for waits, events and names shared across languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaskKind {
    /// [`ImageToText`]
    ImageToText,
    /// [`RecaptchaV2`]
    RecaptchaV2,
    /// [`RecaptchaV3`]
    RecaptchaV3,
    /// [`HCaptcha`]
    HCaptcha,
    /// [`FunCaptcha`]
    FunCaptcha,
    /// [`Turnstile`]
    Turnstile,
}

impl TaskKind {
    /// Every kind.
    pub const ALL: [TaskKind; 6] = [
        TaskKind::ImageToText,
        TaskKind::RecaptchaV2,
        TaskKind::RecaptchaV3,
        TaskKind::HCaptcha,
        TaskKind::FunCaptcha,
        TaskKind::Turnstile,
    ];

    /// The name used by every binding (`"RecaptchaV2"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            TaskKind::ImageToText => "ImageToText",
            TaskKind::RecaptchaV2 => "RecaptchaV2",
            TaskKind::RecaptchaV3 => "RecaptchaV3",
            TaskKind::HCaptcha => "HCaptcha",
            TaskKind::FunCaptcha => "FunCaptcha",
            TaskKind::Turnstile => "Turnstile",
        }
    }

    /// Parses a name produced by [`TaskKind::as_str`].
    pub fn from_name(name: &str) -> Option<TaskKind> {
        TaskKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Parses a kind's name, or fails with the `invalid_task` error on `type` that names the
    /// kinds there are (what bindings show for an unknown kind).
    pub fn parse(name: &str) -> crate::Result<TaskKind> {
        TaskKind::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = TaskKind::ALL.iter().map(|k| k.as_str()).collect();
            crate::Error::invalid_field(
                "type",
                format!(
                    "is not a task type: {name:?}; expected one of {}",
                    names.join(", ")
                ),
            )
        })
    }

    /// Whether an answer of this kind can contain `|`, the separator of batch poll replies
    /// (FunCaptcha tokens do), so that its tasks must be polled one by one.
    pub const fn answer_may_contain_pipe(self) -> bool {
        matches!(self, TaskKind::FunCaptcha)
    }

    /// Whether the solution carries fields that only JSON replies hold (hCaptcha and Turnstile
    /// return the worker's user agent, hCaptcha a `respKey`), so that polls must ask for JSON.
    pub const fn needs_json_reply(self) -> bool {
        matches!(self, TaskKind::HCaptcha | TaskKind::Turnstile)
    }
}

impl fmt::Display for TaskKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl Task {
    /// The task's kind.
    pub fn kind(&self) -> TaskKind {
        match self {
            Task::ImageToText(_) => TaskKind::ImageToText,
            Task::RecaptchaV2(_) => TaskKind::RecaptchaV2,
            Task::RecaptchaV3(_) => TaskKind::RecaptchaV3,
            Task::HCaptcha(_) => TaskKind::HCaptcha,
            Task::FunCaptcha(_) => TaskKind::FunCaptcha,
            Task::Turnstile(_) => TaskKind::Turnstile,
        }
    }

    /// Checks every field; the first failure is an `invalid_task` error naming the field.
    pub fn validate(&self) -> Result<()> {
        match self {
            Task::ImageToText(t) => t.validate(),
            Task::RecaptchaV2(t) => t.validate(),
            Task::RecaptchaV3(t) => t.validate(),
            Task::HCaptcha(t) => t.validate(),
            Task::FunCaptcha(t) => t.validate(),
            Task::Turnstile(t) => t.validate(),
        }
    }

    /// The proxy given with the task, if any.
    pub fn proxy(&self) -> Option<&Proxy> {
        match self {
            Task::ImageToText(_) => None,
            Task::RecaptchaV2(t) => t.proxy.as_ref(),
            Task::RecaptchaV3(t) => t.proxy.as_ref(),
            Task::HCaptcha(t) => t.proxy.as_ref(),
            Task::FunCaptcha(t) => t.proxy.as_ref(),
            Task::Turnstile(t) => t.proxy.as_ref(),
        }
    }

    /// Fields the service takes that the model does not name, sent as given.
    pub fn extra(&self) -> &std::collections::BTreeMap<String, serde_json::Value> {
        match self {
            Task::ImageToText(t) => &t.extra,
            Task::RecaptchaV2(t) => &t.extra,
            Task::RecaptchaV3(t) => &t.extra,
            Task::HCaptcha(t) => &t.extra,
            Task::FunCaptcha(t) => &t.extra,
            Task::Turnstile(t) => &t.extra,
        }
    }

    /// The pingback URL given with the task, if any.
    pub fn pingback(&self) -> Option<&str> {
        match self {
            Task::ImageToText(t) => t.pingback.as_deref(),
            Task::RecaptchaV2(t) => t.pingback.as_deref(),
            Task::RecaptchaV3(t) => t.pingback.as_deref(),
            Task::HCaptcha(t) => t.pingback.as_deref(),
            Task::FunCaptcha(t) => t.pingback.as_deref(),
            Task::Turnstile(t) => t.pingback.as_deref(),
        }
    }
}

impl fmt::Debug for Task {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Task::ImageToText(t) => t.fmt(f),
            Task::RecaptchaV2(t) => t.fmt(f),
            Task::RecaptchaV3(t) => t.fmt(f),
            Task::HCaptcha(t) => t.fmt(f),
            Task::FunCaptcha(t) => t.fmt(f),
            Task::Turnstile(t) => t.fmt(f),
        }
    }
}

macro_rules! into_task {
    ($($t:ident),*) => {$(
        impl From<$t> for Task {
            fn from(t: $t) -> Task {
                Task::$t(t)
            }
        }
    )*};
}
into_task!(
    ImageToText,
    RecaptchaV2,
    RecaptchaV3,
    HCaptcha,
    FunCaptcha,
    Turnstile
);

/// Validates the options every task shares.
pub(crate) fn validate_common(
    pingback: &Option<String>,
    extra: &std::collections::BTreeMap<String, serde_json::Value>,
) -> Result<()> {
    validate::opt_url("pingback", pingback)?;
    validate::extra(extra)
}
