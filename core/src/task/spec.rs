//! The shape of a kind's declaration: its fields, its answer, and how each provider spells it
//! on the wire. Every kind in `task::kinds` is one [`KindSpec`]; validation, both codecs,
//! the answer decoders and the bindings' generated surfaces read these values and nothing
//! else, so that adding a kind is one declaration.
//!
//! The wire half ([`Wire`], [`FormWire`], [`JsonWire`]) is data, not code: which name a field
//! travels under, how its value is written ([`Enc`]), which constants go with it, and how the
//! solution is read back ([`Decode`]). The codecs in `crate::codec` interpret it.

use super::TaskKind;

/// What a field holds, which says how it is checked and how bindings type it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FieldType {
    /// An absolute `http(s)` URL.
    Url,
    /// A site key or public key: letters, digits, `-`, `_`, `.`, at most 256.
    Key,
    /// Free text, at most 8 KiB, no control characters.
    Text,
    /// A long text such as an HTML page, at most 1 MiB.
    LongText,
    /// Free text with a default when not given.
    TextOr(&'static str),
    /// A bare domain (`recaptcha.net`).
    Domain,
    /// `true` or `false` (default `false`).
    Flag,
    /// A number within bounds.
    Number {
        /// Least value.
        min: f64,
        /// Greatest value.
        max: f64,
    },
    /// A whole number within bounds.
    Count {
        /// Least value.
        min: u32,
        /// Greatest value.
        max: u32,
    },
    /// An image (jpg, png or gif, 100 B..600 kB, at most 1000 px a side): bytes, base64, a
    /// `data:` URL or a path.
    Image,
    /// An mp3 recording (at most 1 MB): bytes, base64, a `data:` URL or a path.
    Audio,
    /// Images by name, each read as [`FieldType::Image`] is and at most 600 kB (their format
    /// is not checked): the form protocol's multipart file parts (`file_1`, `file_2`, ...),
    /// one part per entry. Names are 1 to 64 letters, digits, `_`, `-`, `.`, `[` or `]`; at
    /// most [`super::MAX_IMAGE_PARTS`] entries.
    ImageMap,
    /// A proxy: a URL, or an object of its parts.
    Proxy,
    /// Cookies: name/value pairs.
    Cookies,
    /// A map of text values.
    TextMap,
    /// A map of JSON values.
    JsonMap,
    /// One of a list of words.
    OneOf(&'static [&'static str]),
    /// How an image travels: `base64` or `multipart`.
    Upload,
    /// The characters an answer holds: 0..=4 or their names.
    Charset,
}

/// One field of a kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FieldSpec {
    /// The snake_case name (Rust, Python, C; Node writes it in camelCase).
    pub name: &'static str,
    /// What it holds.
    pub ty: FieldType,
    /// Whether a task without it is refused.
    pub required: bool,
    /// One line for every language's documentation.
    pub doc: &'static str,
}

/// Which waits and reports a kind shares: media kinds (images, audio, text questions) are
/// answered by people in seconds; token kinds by browsers in tens of seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Images, audio, text questions.
    Media,
    /// reCAPTCHA (report methods differ for it at some providers).
    Recaptcha,
    /// hCaptcha (report methods differ for it at some providers).
    HCaptcha,
    /// Every other token kind.
    Token,
    /// A provider's own request ([`super::Raw`]).
    Raw,
}

/// One entry of a solution's structured `data`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataSpec {
    /// The name, the same on every provider.
    pub name: &'static str,
    /// Its JSON type, for bindings' types: `string`, `number`, `integer`, `points`, `cells`,
    /// `object`.
    pub ty: &'static str,
    /// Whether every solution of the kind has it.
    pub always: bool,
    /// One line of documentation.
    pub doc: &'static str,
}

/// A kind: its name, fields, answer and wire spellings.
#[derive(Debug)]
pub struct KindSpec {
    /// The kind.
    pub kind: TaskKind,
    /// One paragraph for every language's documentation.
    pub doc: &'static str,
    /// The fields, in the order constructors take the required ones. `pingback` and `extra`
    /// (every kind has them) are not listed.
    pub fields: &'static [FieldSpec],
    /// What `answer` holds.
    pub answer: &'static str,
    /// What `data` holds.
    pub data: &'static [DataSpec],
    /// Waits and reports.
    pub class: Class,
    /// The form protocol's documented first wait and deadline, in seconds.
    pub form_waits: (u64, u64),
    /// A valid task of this kind in its JSON form (documentation and generated tests).
    pub example: &'static str,
    /// How each provider spells it.
    pub wire: Wire,
}

impl KindSpec {
    /// The field named `name`.
    pub fn field(&self, name: &str) -> Option<&'static FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }
}

pub use crate::dialect::{FormDialect, JsonDialect};

/// How a kind travels to each provider. A provider missing from both lists does not solve it.
#[derive(Debug, Clone, Copy)]
pub struct Wire {
    /// Form-protocol spellings, by dialect.
    pub form: &'static [(&'static [FormDialect], FormWire)],
    /// Json-protocol spellings, by dialect; a dialect may list several variants, the first
    /// whose condition holds is used.
    pub json: &'static [(&'static [JsonDialect], JsonWire)],
}

impl Wire {
    /// The form spelling for a dialect.
    pub fn form(&self, d: FormDialect) -> Option<&'static FormWire> {
        // Entries are `'static` (the wire tables are consts of `'static` slices).
        let form: &'static [(&'static [FormDialect], FormWire)] = self.form;
        form.iter().find(|(ds, _)| ds.contains(&d)).map(|(_, w)| w)
    }

    /// The json spellings (variants in order) for a dialect.
    pub fn json(&self, d: JsonDialect) -> impl Iterator<Item = &'static JsonWire> + use<> {
        let json: &'static [(&'static [JsonDialect], JsonWire)] = self.json;
        json.iter()
            .filter(move |(ds, _)| ds.contains(&d))
            .map(|(_, w)| w)
    }
}

/// How one field is written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enc {
    /// As it is: text as text, numbers as numbers; flags `1` (form) or `true` (json), and
    /// left out when false.
    Plain,
    /// Bytes as standard base64.
    Base64,
    /// Bytes as a one-element array of base64 (CapMonster's `imagesBase64`).
    Base64List,
    /// A reCAPTCHA score: rounded to two decimals.
    Score,
    /// A score as [`Enc::Score`], or 0.3 when none is given, where the provider requires one
    /// (the lowest value documented: any score satisfies a caller who named none).
    ScoreOrLowest,
    /// A character set as its number 1..=4 (0 is not sent).
    Charset,
    /// An URL as its bare domain (`client-api.arkoselabs.com`).
    BareDomain,
    /// A domain with a leading `www.` (`true`: anti-captcha's `www.google.com`, the only
    /// spelling it takes) or without (`false`: the form protocol's `google.com`), whichever
    /// the caller wrote: one task's `api_domain` is then right at every provider of a
    /// failover list.
    WwwHost(bool),
    /// Cookies as `name:value;name2:value2` (the form protocol).
    CookiesColon,
    /// Cookies as a `Cookie` header: `name=value; name2=value2`.
    CookiesHeader,
    /// Cookies as `[{"name": .., "value": ..}]` (CapSolver).
    CookiesObjects,
    /// A map as one JSON text (`"{\"blob\":\"..\"}"`).
    JsonText,
    /// A map as fields `wire[key]=value` (the form protocol's FunCaptcha `data`).
    Brackets,
    /// A language as a worker pool: `en` -> `en`, `ru`/`rn` -> `rn`, others not sent.
    LanguagePool,
    /// Text as base64 of its UTF-8 bytes (`htmlPageBase64`).
    TextBase64,
    /// `rows` and `columns` as `RxC` (CapMonster's `Grid`); read from `rows`.
    GridSize,
    /// A map's entries merged into the object at the path (several fields may fill one
    /// object); the form protocol sends each entry as a field of its own.
    Merge,
    /// A map merged as [`Enc::Merge`], with the keys the table names renamed: each pair is
    /// (a spelling a caller may give, this provider's spelling). Other keys go as given. When
    /// a caller gives a key in both spellings, the provider's own is sent, once.
    MergeRenamed(&'static [(&'static str, &'static str)]),
    /// A whole number, also when the field is text (`version: 4`).
    Integer,
    /// An enterprise payload where the protocol has only `data-s`: its `s` under this name
    /// (unless the task's `data_s` is given), and any other key refused (`usage`).
    PayloadS,
    /// A flag sent as `1` when it is set or any of these fields is: the form protocol's
    /// `enterprise`, which a payload implies as it does the json families' Enterprise type.
    FlagIfAny(&'static [&'static str]),
}

/// A field's wire name and encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WireField {
    /// The kind's field.
    pub ours: &'static str,
    /// Its wire name: a form field, or a json path inside the task (`metadata.Task`); a path
    /// starting with `^` goes beside the task in the request body (`^languagePool`).
    pub wire: &'static str,
    /// How its value is written.
    pub enc: Enc,
}

/// Shorthand for a [`WireField`] written as it is.
pub const fn f(ours: &'static str, wire: &'static str) -> WireField {
    WireField {
        ours,
        wire,
        enc: Enc::Plain,
    }
}

/// Shorthand for a [`WireField`] with an encoding.
pub const fn fe(ours: &'static str, wire: &'static str, enc: Enc) -> WireField {
    WireField { ours, wire, enc }
}

/// A constant sent with a kind: text for the form protocol; JSON for the json protocol.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Const {
    /// A text value.
    Text(&'static str),
    /// A whole number.
    Int(i64),
    /// A boolean.
    Bool(bool),
}

/// How the `in.php` request names the kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormMethod {
    /// `method=NAME`.
    Named(&'static str),
    /// An image in `body` (`method=base64`), or as the multipart part `file` (`method=post`)
    /// when the task's `upload` says so.
    Image,
    /// `method=post` with no file (text questions).
    Post,
    /// The task's own fields ([`super::Raw`]).
    Raw,
}

/// How a poll reply of the form protocol is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormPoll {
    /// Plain text, and batch polls allowed.
    Batch,
    /// Alone, with a JSON reply (extra fields, or answers that may hold `|`).
    AloneJson,
}

/// One kind's spelling at a form-protocol provider.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FormWire {
    /// How the method is named.
    pub method: FormMethod,
    /// Constant fields (`version=v3`, `coordinatescaptcha=1`).
    pub constants: &'static [(&'static str, &'static str)],
    /// The fields.
    pub fields: &'static [WireField],
    /// Fields this provider needs beyond the kind's required ones.
    pub needs: &'static [&'static str],
    /// Fields this provider cannot take: a task that sets one is refused (`usage`).
    pub refuses: &'static [&'static str],
    /// How polls read the answer.
    pub poll: FormPoll,
    /// How the answer is decoded.
    pub decode: Decode,
}

impl FormWire {
    /// A wire with nothing but a method, read as a token.
    pub const fn named(method: &'static str) -> FormWire {
        FormWire {
            method: FormMethod::Named(method),
            constants: &[],
            fields: &[],
            needs: &[],
            refuses: &[],
            poll: FormPoll::Batch,
            decode: Decode::Token,
        }
    }
}

/// A json task's type names without and with a proxy; `None`: no such variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeNames {
    /// The type the provider solves through its own proxies.
    pub proxyless: Option<&'static str>,
    /// The type that carries the caller's proxy.
    pub proxied: Option<&'static str>,
}

impl TypeNames {
    /// `…TaskProxyless` / `…Task`.
    pub const fn pair(proxyless: &'static str, proxied: &'static str) -> TypeNames {
        TypeNames {
            proxyless: Some(proxyless),
            proxied: Some(proxied),
        }
    }

    /// One name, proxy optional.
    pub const fn one(name: &'static str) -> TypeNames {
        TypeNames::pair(name, name)
    }

    /// Only the proxyless variant.
    pub const fn proxyless(name: &'static str) -> TypeNames {
        TypeNames {
            proxyless: Some(name),
            proxied: None,
        }
    }

    /// Only the proxied variant (the caller's proxy is required).
    pub const fn proxied(name: &'static str) -> TypeNames {
        TypeNames {
            proxyless: None,
            proxied: Some(name),
        }
    }
}

/// When a json variant applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Always.
    Always,
    /// When any of these fields is set (a flag true, an option given).
    AnySet(&'static [&'static str]),
}

/// A provider's own rule on a task's values: `Err` says why it cannot take the task.
pub type ProviderCheck = fn(&super::Task) -> Result<(), String>;

/// One kind's spelling at a json-protocol provider.
#[derive(Debug, Clone, Copy)]
pub struct JsonWire {
    /// When this variant applies.
    pub when: When,
    /// The type names; both `None` refuses the variant with `refusal`.
    pub types: TypeNames,
    /// Constant fields, by path (`version`, `metadata.Grid`).
    pub constants: &'static [(&'static str, Const)],
    /// The fields.
    pub fields: &'static [WireField],
    /// Fields this provider needs beyond the kind's required ones.
    pub needs: &'static [&'static str],
    /// Fields this provider cannot take (`usage`).
    pub refuses: &'static [&'static str],
    /// Why a variant without type names is refused (`"has no reCAPTCHA v3 Enterprise task"`).
    pub refusal: &'static str,
    /// The proxy as one `proxy` text (`scheme:host:port:login:password`, CapSolver's form for
    /// some tasks) instead of the split `proxyType`, `proxyAddress`, ... fields.
    pub proxy_text: bool,
    /// A provider's own rule on values (CapMonster's grids are 3x3, 4x4 or 1x1): `Err` is the
    /// reason a task is refused (`usage`).
    pub check: Option<ProviderCheck>,
    /// How the solution is decoded.
    pub decode: Decode,
}

impl JsonWire {
    /// A variant for every task: these types and fields, read as a token.
    pub const fn new(types: TypeNames, fields: &'static [WireField]) -> JsonWire {
        JsonWire {
            when: When::Always,
            types,
            constants: &[],
            fields,
            needs: &[],
            refuses: &[],
            refusal: "",
            proxy_text: false,
            check: None,
            decode: Decode::Token,
        }
    }
}

/// How a solution becomes `answer` and `data`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decode {
    /// A token or text: the form protocol's `request`; the json solution's
    /// `gRecaptchaResponse`, `token`, `text` or `answers[]`. A user agent and `respKey` beside
    /// it are kept.
    Token,
    /// Named values, `(wire, data)`: the json solution's fields, or the form protocol's
    /// `request` object (or that object as JSON text). `answer` is `data` as compact JSON.
    Object(&'static [(&'static str, &'static str)]),
    /// GeeTest v3: `challenge`, `validate`, `seccode` from these wire names; a missing seccode
    /// is `validate|jordan` (GeeTest's own rule).
    GeeTest(&'static [(&'static str, &'static str)]),
    /// Amazon WAF: `captcha_voucher` and `existing_token`, or a cookie (`cookie`): from the
    /// solution's `captcha_voucher`/`existing_token`, `token`, or `cookies.aws-waf-token`.
    Amazon,
    /// Click points: `coordinates:x=1,y=2;x=3,y=4` text, `[{x, y}]` or `[[x, y]]`.
    Points,
    /// Grid cells: `click:3/6/9` text or a list of numbers at `key` counting from `base`; or
    /// `[bool]` at `key` (the cells that are true).
    Cells {
        /// The json solution's key.
        key: &'static str,
        /// The number of the first cell (0 or 1).
        base: u32,
        /// Whether "no cell matches" is an answer the provider gives (CapMonster's all-false
        /// `answer`, a 1x1 tile of a dynamic reCAPTCHA included; CapSolver's empty
        /// `objects`): then no cell is the answer `""` with `cells: []`. Elsewhere (2captcha,
        /// CaptchaAI: capbridge never sends `can_no_answer`) a worker picks at least one, and
        /// no cell is a malformed reply.
        none: bool,
    },
    /// A rotation angle: the form text, or the json solution's `key`.
    Angle(&'static str),
    /// Cloudflare's clearance: the form text with `user_agent`; the solution's
    /// `cf_clearance`, `cookies.cf_clearance` or `token`, with its cookies and user agent.
    Clearance,
    /// DataDome's cookie: the form text or the solution's `cookie`, or CapMonster's
    /// `domains.<domain>.cookies.datadome`.
    DataDome,
    /// The solution as received ([`super::Raw`]).
    Raw,
}
