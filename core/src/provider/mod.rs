//! Providers: named presets (base URL, protocol family and dialect, capabilities, request
//! limits, waits) and custom ones.
//!
//! | file | holds |
//! |---|---|
//! | `mod.rs` | [`Provider`], the nine presets, base URLs |
//! | `limits.rs` | [`Limits`]: the request limits kept per key |
//! | `waits.rs` | [`Waits`]: first wait, poll interval and deadline per task kind |
//!
//! A preset's request limits are its provider's documented ones and cannot be lifted: they
//! are what keeps an account from being blocked. A custom provider (any base URL) may declare
//! its own, which is how benchmarks against the local emulator run at full speed.

mod limits;
pub(crate) mod waits;

pub use limits::Limits;
pub use waits::{MAX_POLL_WAIT, MAX_REQUEST_TIMEOUT, MAX_TIMEOUT, Waits};

pub use crate::dialect::{FormDialect, JsonDialect};
use crate::error::{Error, Result};
use crate::task::TaskKind;
use crate::task::spec::Class;
use std::time::Duration;
use url::Url;
use waits::WaitTable;

/// The wire protocol family a provider speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Protocol {
    /// `in.php` / `res.php` with form fields and `OK|...` or `{"status":..}` replies.
    Form,
    /// `createTask` / `getTaskResult` / `getBalance` with JSON bodies.
    Json,
}

impl Protocol {
    /// Parses `"form"` or `"json"`.
    pub fn from_name(name: &str) -> Result<Protocol> {
        match name.trim().to_ascii_lowercase().as_str() {
            "form" => Ok(Protocol::Form),
            "json" => Ok(Protocol::Json),
            other => Err(Error::usage(format!(
                "unknown protocol {other:?}; expected \"form\" or \"json\""
            ))),
        }
    }

    /// `"form"` or `"json"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Form => "form",
            Protocol::Json => "json",
        }
    }
}

/// A provider's protocol family, with what the family needs to know of it: a form provider's
/// dialect and wire options, a json provider's dialect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Family {
    /// `in.php` / `res.php`.
    Form {
        /// Which provider's spelling.
        dialect: FormDialect,
        /// `json=1`, `header_acao`, `debug_dump`.
        options: FormOptions,
    },
    /// `createTask` / `getTaskResult`.
    Json(JsonDialect),
}

/// The form protocol's wire options, shared by every request of a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormOptions {
    /// Ask for JSON replies (`json=1`). Polls of kinds whose solution has extra fields
    /// (hCaptcha, Turnstile, structured answers) always ask for JSON.
    pub json: bool,
    /// Ask for `Access-Control-Allow-Origin: *` (`header_acao=1`).
    pub header_acao: bool,
    /// Ask the service to dump the parameters it received (`debug_dump=1`).
    pub debug_dump: bool,
}

impl Default for FormOptions {
    fn default() -> Self {
        FormOptions {
            json: true,
            header_acao: false,
            debug_dump: false,
        }
    }
}

/// Most task ids in one batch poll (keeps the URL short).
pub const DEFAULT_BATCH_SIZE: usize = 100;

/// The former name of [`DEFAULT_BATCH_SIZE`].
#[deprecated(note = "renamed DEFAULT_BATCH_SIZE, beside Provider::batch_size")]
pub const DEFAULT_MAX_BATCH: usize = DEFAULT_BATCH_SIZE;

/// A captcha service: where it is, what it speaks, what it can do.
#[derive(Debug, Clone, PartialEq)]
pub struct Provider {
    name: String,
    /// Normalised: `http(s)://host[:port]/folder/`, ending in `/`.
    base_url: String,
    family: Family,
    batch_polling: bool,
    batch_size: usize,
    limits: Limits,
    waits: WaitTable,
    custom: bool,
    soft_id: Option<String>,
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

/// Waits for json presets: `image` first wait, `token` first wait for every other kind, one
/// interval, and deadlines of 120 s for images and `token_deadline` for tokens.
fn json_waits(image: u64, token: u64, interval: u64, token_deadline: u64) -> WaitTable {
    WaitTable::from_fn(|kind| Waits {
        initial_delay: secs(if media(kind) { image } else { token }),
        poll_interval: secs(interval),
        timeout: secs(if media(kind) { 120 } else { token_deadline }),
    })
}

/// Whether a kind is answered by people in seconds (images, audio, text questions).
fn media(kind: TaskKind) -> bool {
    kind.spec().class == Class::Media
}

impl Provider {
    fn form_preset(name: &str, url: &str, dialect: FormDialect, batch_polling: bool) -> Provider {
        Provider {
            name: name.to_owned(),
            base_url: url.to_owned(),
            family: Family::Form {
                dialect,
                options: FormOptions::default(),
            },
            batch_polling,
            batch_size: DEFAULT_BATCH_SIZE,
            limits: Limits::form_protocol(),
            waits: WaitTable::default(),
            custom: false,
            soft_id: None,
        }
    }

    fn json_preset(
        name: &str,
        url: &str,
        dialect: JsonDialect,
        limits: Limits,
        waits: WaitTable,
    ) -> Provider {
        Provider {
            family: Family::Json(dialect),
            limits,
            waits,
            ..Provider::form_preset(name, url, FormDialect::Generic, false)
        }
    }

    /// BigCaptcha (`https://api.bigcaptcha.com`, form protocol). Batch polling is not
    /// documented there, so it is off.
    pub fn bigcaptcha() -> Provider {
        Provider::form_preset(
            "bigcaptcha",
            "https://api.bigcaptcha.com/",
            FormDialect::BigCaptcha,
            false,
        )
    }

    /// CaptchaAI (`https://ocr.captchaai.com`, form protocol).
    pub fn captchaai() -> Provider {
        Provider::form_preset(
            "captchaai",
            "https://ocr.captchaai.com/",
            FormDialect::CaptchaAi,
            false,
        )
    }

    /// 2captcha (`https://2captcha.com`, form protocol), with batch polling.
    pub fn two_captcha() -> Provider {
        Provider::form_preset(
            "2captcha",
            "https://2captcha.com/",
            FormDialect::TwoCaptcha,
            true,
        )
    }

    /// rucaptcha (`https://rucaptcha.com`, form protocol), with batch polling.
    pub fn rucaptcha() -> Provider {
        Provider::form_preset(
            "rucaptcha",
            "https://rucaptcha.com/",
            FormDialect::TwoCaptcha,
            true,
        )
    }

    /// anti-captcha (`https://api.anti-captcha.com`, json protocol). No poll interval is
    /// documented; its own SDKs wait 3-5 s, then poll every 1-2 s: we wait 3 s for images and
    /// 5 s for tokens, then poll every 2 s. Balances are asked at most once per 30 s (its
    /// documented rule); a balance asked sooner is the last one read.
    pub fn anti_captcha() -> Provider {
        Provider::json_preset(
            "anti-captcha",
            "https://api.anti-captcha.com/",
            JsonDialect::AntiCaptcha,
            Limits {
                balance_interval: secs(30),
                ..Limits::json_protocol()
            },
            json_waits(3, 5, 2, 180),
        )
    }

    /// CapMonster Cloud (`https://api.capmonster.cloud`, json protocol): at most 120 polls per
    /// task and none closer than 2 s apart (documented; more may lock the account). We wait
    /// 2 s for images and 5 s for tokens, then poll every 3 s (its SDK's interval).
    pub fn capmonster() -> Provider {
        Provider::json_preset(
            "capmonster",
            "https://api.capmonster.cloud/",
            JsonDialect::CapMonster,
            Limits {
                max_polls_per_task: Some(120),
                min_poll_interval: secs(2),
                rate_limit_wait: secs(2),
                ..Limits::json_protocol()
            },
            json_waits(2, 5, 3, 180),
        )
    }

    /// CapSolver (`https://api.capsolver.com`, json protocol): at most 120 polls per task,
    /// results kept 5 minutes, "retry processing after 3 s"; image tasks are answered in the
    /// submit reply. We wait 3 s, then poll every 3 s; tokens time out after 150 s (its own
    /// task timeout is 120 s).
    pub fn capsolver() -> Provider {
        Provider::json_preset(
            "capsolver",
            "https://api.capsolver.com/",
            JsonDialect::CapSolver,
            Limits {
                max_polls_per_task: Some(120),
                ..Limits::json_protocol()
            },
            json_waits(3, 3, 3, 150),
        )
    }

    /// NextCaptcha (`https://api.nextcaptcha.com`, json protocol). No limits are documented;
    /// its SDKs poll every 0.5-1 s and give up after 45 s. We wait 3 s, then poll every 2 s,
    /// and give tokens 120 s. It has no report method.
    pub fn nextcaptcha() -> Provider {
        Provider::json_preset(
            "nextcaptcha",
            "https://api.nextcaptcha.com/",
            JsonDialect::NextCaptcha,
            Limits::json_protocol(),
            json_waits(3, 3, 2, 120),
        )
    }

    /// 2captcha's API v2 (`https://api.2captcha.com`, json protocol): "wait at least 5
    /// seconds" between polls; first waits as for its form protocol.
    pub fn two_captcha_v2() -> Provider {
        Provider::json_preset(
            "2captcha-v2",
            "https://api.2captcha.com/",
            JsonDialect::TwoCaptchaV2,
            Limits::json_protocol(),
            WaitTable::default(),
        )
    }

    /// A service at any base URL (the folder holding `in.php` and `res.php`, or
    /// `createTask` and `getTaskResult`) speaking `protocol`. Form services get the form
    /// protocol's documented limits and waits, json services the json baseline; batch polling
    /// is off until [`Provider::with_batch_polling`] turns it on.
    pub fn custom_with(base_url: &str, protocol: Protocol) -> Result<Provider> {
        let mut p = match protocol {
            Protocol::Form => Provider::form_preset(
                "custom",
                "https://invalid.invalid/",
                FormDialect::Generic,
                false,
            ),
            Protocol::Json => Provider::json_preset(
                "custom",
                "https://invalid.invalid/",
                JsonDialect::Generic,
                Limits::json_protocol(),
                json_waits(3, 5, 3, 180),
            ),
        };
        p.base_url = parse_base_url(base_url)?;
        p.custom = true;
        Ok(p)
    }

    /// A form-protocol service at any base URL; see [`Provider::custom_with`].
    pub fn custom(base_url: &str) -> Result<Provider> {
        Provider::custom_with(base_url, Protocol::Form)
    }

    /// The preset names, for error messages and documentation.
    pub const NAMES: [&'static str; 9] = [
        "bigcaptcha",
        "captchaai",
        "2captcha",
        "rucaptcha",
        "nextcaptcha",
        "anti-captcha",
        "capmonster",
        "capsolver",
        "2captcha-v2",
    ];

    /// A preset by name (`"2captcha"`), case-insensitive. An unknown name is repeated in the
    /// error unless it is longer than any name could be (a key in the provider's place).
    pub fn from_name(name: &str) -> Result<Provider> {
        match name.trim().to_ascii_lowercase().as_str() {
            "bigcaptcha" => Ok(Provider::bigcaptcha()),
            "captchaai" => Ok(Provider::captchaai()),
            "2captcha" | "twocaptcha" => Ok(Provider::two_captcha()),
            "rucaptcha" => Ok(Provider::rucaptcha()),
            "nextcaptcha" => Ok(Provider::nextcaptcha()),
            "anti-captcha" | "anticaptcha" => Ok(Provider::anti_captcha()),
            "capmonster" | "capmonster-cloud" | "capmonstercloud" => Ok(Provider::capmonster()),
            "capsolver" => Ok(Provider::capsolver()),
            "2captcha-v2" | "twocaptcha-v2" => Ok(Provider::two_captcha_v2()),
            // A value this long is no misspelt name but most likely the API key in the
            // provider's place: it is not repeated.
            _ if name.trim().chars().count() > LONGEST_NAME => Err(Error::usage(format!(
                "unknown provider (a {}-character value, not shown: is it the API key? The \
                 provider comes first, then the key); expected one of {}, or the service's base \
                 URL (http:// or https://)",
                name.trim().chars().count(),
                Provider::NAMES.join(", ")
            ))),
            _ => Err(Error::usage(format!(
                "unknown provider {name:?}; expected one of {}, or the service's base URL (http:// or https://)",
                Provider::NAMES.join(", ")
            ))),
        }
    }

    /// A preset name, or an `http(s)://` URL for a custom form-protocol provider.
    pub fn from_name_or_url(s: &str) -> Result<Provider> {
        let t = s.trim();
        if t.starts_with("http://") || t.starts_with("https://") {
            Provider::custom(t)
        } else {
            Provider::from_name(t)
        }
    }

    /// Keeps the preset's behaviour but sends requests to another base URL (tests, proxies,
    /// on-premise mirrors).
    pub fn with_base_url(mut self, base_url: &str) -> Result<Provider> {
        self.base_url = parse_base_url(base_url)?;
        Ok(self)
    }

    /// Turns batch polling on or off. Only the form protocol has batch polls; asking for them
    /// elsewhere changes nothing.
    pub fn with_batch_polling(mut self, on: bool) -> Provider {
        self.batch_polling = on && self.protocol() == Protocol::Form;
        self
    }

    /// Sets the most ids per batch poll (1..=1000).
    pub fn with_batch_size(mut self, n: usize) -> Provider {
        self.batch_size = n.clamp(1, 1000);
        self
    }

    /// Declares other request limits. Only a custom provider may: a preset's limits are the
    /// service's own, and lifting them gets accounts blocked.
    pub fn with_limits(mut self, limits: Limits) -> Result<Provider> {
        if !self.custom {
            return Err(Error::usage(format!(
                "the request limits of the {} preset cannot be changed (they are what keeps the account from \
                 being blocked); give the service's base URL instead of a preset name to declare other limits",
                self.name
            )));
        }
        self.limits = limits;
        Ok(self)
    }

    /// Sets the form protocol's wire options (`json=1`, `header_acao`, `debug_dump`). Fails
    /// for a json-protocol provider, which has no such options.
    pub fn with_form_options(mut self, options: FormOptions) -> Result<Provider> {
        match &mut self.family {
            Family::Form { options: o, .. } => {
                *o = options;
                Ok(self)
            }
            Family::Json(_) => Err(Error::usage(format!(
                "{} speaks the json protocol, which has no form options (json replies, header_acao, debug_dump)",
                self.name
            ))),
        }
    }

    /// Changes some form protocol wire options, keeping the others (`None` keeps one). Fails
    /// for a json-protocol provider when any is given.
    pub fn with_form_switches(
        self,
        json_replies: Option<bool>,
        header_acao: Option<bool>,
        debug_dump: Option<bool>,
    ) -> Result<Provider> {
        if json_replies.is_none() && header_acao.is_none() && debug_dump.is_none() {
            return Ok(self);
        }
        let mut f = self.form_options().cloned().unwrap_or_default();
        f.json = json_replies.unwrap_or(f.json);
        f.header_acao = header_acao.unwrap_or(f.header_acao);
        f.debug_dump = debug_dump.unwrap_or(f.debug_dump);
        self.with_form_options(f)
    }

    /// Sets the integrating software's id (`soft_id` in the form protocol, `softId` or
    /// `appId` in the json protocol).
    pub fn with_soft_id(mut self, id: impl Into<String>) -> Provider {
        self.soft_id = Some(id.into());
        self
    }

    /// The name (`"custom"` for custom providers).
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The base URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
    /// The protocol family.
    pub fn protocol(&self) -> Protocol {
        match self.family {
            Family::Form { .. } => Protocol::Form,
            Family::Json(_) => Protocol::Json,
        }
    }
    /// The family with its dialect (and a form provider's wire options).
    pub fn family(&self) -> &Family {
        &self.family
    }
    /// Whether batch polls are used.
    pub fn batch_polling(&self) -> bool {
        self.batch_polling
    }
    /// Most ids per batch poll.
    pub fn batch_size(&self) -> usize {
        self.batch_size
    }
    /// The request limits.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }
    /// The default waits of a task kind.
    pub fn waits(&self, kind: TaskKind) -> Waits {
        self.waits.get(kind)
    }
    pub(crate) fn wait_table(&self) -> &WaitTable {
        &self.waits
    }
    /// The form protocol's wire options (`None` for a json provider).
    pub fn form_options(&self) -> Option<&FormOptions> {
        match &self.family {
            Family::Form { options, .. } => Some(options),
            Family::Json(_) => None,
        }
    }
    /// The integrating software's id, if set.
    pub fn soft_id(&self) -> Option<&str> {
        self.soft_id.as_deref()
    }
    /// Whether this is a custom provider.
    pub fn is_custom(&self) -> bool {
        self.custom
    }

    /// The base URL in canonical form, for telling whether two clients talk to one account:
    /// scheme, lowercased host, explicit port, normalised path; every loopback name
    /// (`localhost`, `127.0.0.1`, `[::1]`) is one host.
    pub(crate) fn canonical_url(&self) -> String {
        canonical(&self.base_url)
    }
}

fn canonical(base_url: &str) -> String {
    let Ok(url) = Url::parse(base_url) else {
        return base_url.to_ascii_lowercase();
    };
    let host = match url.host() {
        Some(url::Host::Domain(d)) if d.eq_ignore_ascii_case("localhost") => "loopback".to_owned(),
        Some(url::Host::Domain(d)) => d.trim_end_matches('.').to_ascii_lowercase(),
        Some(url::Host::Ipv4(ip)) if ip.is_loopback() => "loopback".to_owned(),
        Some(url::Host::Ipv4(ip)) => ip.to_string(),
        Some(url::Host::Ipv6(ip)) if ip.is_loopback() => "loopback".to_owned(),
        Some(url::Host::Ipv6(ip)) => match ip.to_ipv4_mapped() {
            Some(v4) if v4.is_loopback() => "loopback".to_owned(),
            Some(v4) => v4.to_string(),
            None => format!("[{ip}]"),
        },
        None => String::new(),
    };
    let port = url.port_or_known_default().unwrap_or(0);
    let mut path = String::new();
    for seg in url.path().split('/').filter(|s| !s.is_empty()) {
        path.push('/');
        path.push_str(seg);
    }
    path.push('/');
    format!("{}://{host}:{port}{path}", url.scheme())
}

/// The endpoints a user may paste instead of the folder that holds them.
/// Longer than any preset name or alias (`capmonster-cloud`, 16) with room for a typo: an
/// unknown provider this long is not repeated in its error ([`Provider::from_name`]).
const LONGEST_NAME: usize = 24;

const ENDPOINTS: [&str; 5] = [
    "in.php",
    "res.php",
    "createTask",
    "getTaskResult",
    "getBalance",
];

fn parse_base_url(s: &str) -> Result<String> {
    let mut url = Url::parse(s.trim()).map_err(|e| {
        Error::usage(format!(
            "the base URL is not a valid URL ({e}); expected something like https://api.example.com/"
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(Error::usage(
            "the base URL must be an http:// or https:// URL with a host",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err(Error::usage(
            "the base URL may not hold a query, fragment or credentials",
        ));
    }
    // Accept `.../in.php` or `.../createTask` and keep the folder.
    let path = url.path().to_owned();
    let folder = match path.rsplit_once('/') {
        Some((dir, last)) if ENDPOINTS.contains(&last) => format!("{dir}/"),
        _ if path.ends_with('/') => path,
        _ => format!("{path}/"),
    };
    url.set_path(&folder);
    Ok(url.to_string())
}

impl std::str::FromStr for Provider {
    type Err = Error;

    /// A preset by name, as [`Provider::from_name`] (`"2captcha".parse()`).
    fn from_str(name: &str) -> Result<Provider> {
        Provider::from_name(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_and_urls() {
        for name in Provider::NAMES {
            let p = Provider::from_name(name).unwrap();
            assert_eq!(p.name(), name);
            assert!(p.base_url().starts_with("https://"));
        }
        let c = Provider::custom("http://127.0.0.1:8080/in.php").unwrap();
        assert_eq!(c.base_url(), "http://127.0.0.1:8080/");
        let c = Provider::custom_with("http://h/api/createTask", Protocol::Json).unwrap();
        assert_eq!(c.base_url(), "http://h/api/");
        assert_eq!(c.protocol(), Protocol::Json);
        assert!(Provider::from_name("nope").is_err());
        assert!(
            Provider::two_captcha()
                .with_limits(Limits::unlimited())
                .is_err()
        );
        assert!(Provider::custom("ftp://x").is_err());
        assert!(
            Provider::capsolver()
                .with_form_options(FormOptions::default())
                .is_err()
        );
        assert_eq!(
            Provider::captchaai().family(),
            &Family::Form {
                dialect: FormDialect::CaptchaAi,
                options: FormOptions::default()
            }
        );
        let e = Provider::from_name("nope").unwrap_err();
        assert!(!e.message().contains("Provider::"));
    }

    #[test]
    fn canonical_urls_join_spellings_of_one_host() {
        let c = |u: &str| canonical(&parse_base_url(u).unwrap());
        assert_eq!(c("http://127.0.0.1:8080"), c("http://localhost:8080/"));
        assert_eq!(c("http://LOCALHOST:8080/x/../"), c("http://[::1]:8080"));
        assert_eq!(c("https://2Captcha.com"), c("https://2captcha.com:443/"));
        assert_eq!(c("https://a.com//api/"), c("https://a.com/api"));
        assert_ne!(c("http://127.0.0.1:8080"), c("http://127.0.0.1:8081"));
        assert_ne!(c("http://a.com/x/"), c("http://a.com/y/"));
    }
}
