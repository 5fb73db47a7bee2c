//! The catalogue: one file per kind (or family of kinds), each declaring the kind once: its
//! fields (the `kind!` macro), its answer, its waits, and how every provider that offers it
//! spells it on the wire. Adding a kind is a file here and a line in `task/mod.rs`'s list.
//!
//! The spellings come from `PROVIDERS-KINDS.md` and `PROVIDERS-JSON.md` (the providers'
//! documents and SDKs); where those leave a fact unconfirmed, the choice is written beside it.
//! The emulator is written from the same documents and never reads this.

pub(crate) mod amazon;
pub(crate) mod cloudflare;
pub(crate) mod datadome;
pub(crate) mod funcaptcha;
pub(crate) mod geetest;
pub(crate) mod hcaptcha;
pub(crate) mod image_to_text;
pub(crate) mod images;
pub(crate) mod lemin;
pub(crate) mod media;
pub(crate) mod raw;
pub(crate) mod recaptcha;
pub(crate) mod turnstile;
pub(crate) mod widgets;

pub use amazon::AmazonWaf;
pub use cloudflare::CloudflareChallenge;
pub use datadome::DataDome;
pub use funcaptcha::FunCaptcha;
pub use geetest::{GeeTest, GeeTestV4};
pub use hcaptcha::HCaptcha;
pub use image_to_text::ImageToText;
pub use images::{Coordinates, Grid, Rotate};
pub use lemin::Lemin;
pub use media::{Audio, TextCaptcha};
pub use raw::Raw;
pub use recaptcha::{RecaptchaV2, RecaptchaV3};
pub use turnstile::Turnstile;
pub use widgets::{FriendlyCaptcha, MtCaptcha};

/// What every kind file imports: the declaration macros and the wire vocabulary.
mod prelude {
    pub(crate) use crate::task::TaskKind;
    pub(crate) use crate::task::declare::{
        field_default, field_setter, field_type, kind, opt_ty, req_arg, req_init, req_ty,
    };
    pub(crate) use crate::task::spec::{
        Class, Const, DataSpec, Decode, Enc, FormDialect, FormMethod, FormPoll, FormWire,
        JsonDialect, JsonWire, KindSpec, TypeNames, When, Wire, WireField, f, fe,
    };

    /// The json dialects that share anti-captcha's spellings (the most cloned).
    pub(crate) const AC_LIKE: &[JsonDialect] = &[JsonDialect::AntiCaptcha, JsonDialect::Generic];
    /// 2captcha's form dialect and a custom form service.
    pub(crate) const TWO_CAPTCHA: &[FormDialect] = &[FormDialect::TwoCaptcha, FormDialect::Generic];

    /// `data.user_agent` and `data.resp_key` of token kinds, when the provider returns them.
    pub(crate) const TOKEN_DATA: &[DataSpec] = &[DataSpec {
        name: "user_agent",
        ty: "string",
        always: false,
        doc: "the worker's user agent, where the provider returns one: send it with the token",
    }];
}
