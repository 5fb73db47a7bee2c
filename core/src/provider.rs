//! Providers: named presets (base URL, protocol, capabilities, request limits) and custom ones.
//!
//! A preset's request limits are the seed's and cannot be lifted: they are what keeps an
//! account from being blocked. A custom provider (any base URL) may declare its own, which is
//! how benchmarks against the local emulator run at full speed.

use crate::error::{Error, Result};
use std::time::Duration;
use url::Url;

/// The wire protocol family a provider speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Protocol {
    /// `in.php` / `res.php`.
    Form,
}

impl Protocol {
    /// Parses `"form"`.
    pub fn from_name(name: &str) -> Result<Protocol> {
        match name {
            "form" => Ok(Protocol::Form),
            "json" => Err(Error::usage(
                "the json protocol (createTask/getTaskResult) is not supported yet; use \"form\"",
            )),
            other => Err(Error::usage(format!(
                "unknown protocol {other:?}; expected \"form\""
            ))),
        }
    }
}

/// The request limits a client keeps for one API key.
///
/// Defaults are the seed's "Request limits": at most 60 `in.php` requests in 3 s and 100 ms
/// between them; `res.php` requests R <= 20 x C + 1200 for C captchas sent; the waits after
/// `ERROR_NO_SLOT_AVAILABLE` (5 s: the seed says 2-3 s in one table and 5 s in another, and we
/// take the safer), `MAX_USER_TURN` (10 s) and `ERROR_ZERO_BALANCE` (60 s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Least time between two `in.php` requests.
    pub submit_interval: Duration,
    /// The sliding window of the submit cap.
    pub submit_window: Duration,
    /// Most `in.php` requests in one window.
    pub submits_per_window: u32,
    /// `res.php` requests allowed per captcha sent (the 20 of R <= 20 x C + 1200).
    pub polls_per_task: u64,
    /// `res.php` requests allowed on top (the 1200).
    pub poll_allowance: u64,
    /// Wait before resubmitting after `ERROR_NO_SLOT_AVAILABLE` (applies to every submit of
    /// the key: the queue is the account's, not the task's).
    pub no_slot_wait: Duration,
    /// Pause of all submits after `MAX_USER_TURN`.
    pub max_user_turn_wait: Duration,
    /// Time during which submits fail at once, unsent, after `ERROR_ZERO_BALANCE`.
    pub zero_balance_wait: Duration,
}

impl Limits {
    /// The seed's limits.
    pub fn seed() -> Limits {
        Limits {
            submit_interval: Duration::from_millis(100),
            submit_window: Duration::from_secs(3),
            submits_per_window: 60,
            polls_per_task: 20,
            poll_allowance: 1200,
            no_slot_wait: Duration::from_secs(5),
            max_user_turn_wait: Duration::from_secs(10),
            zero_balance_wait: Duration::from_secs(60),
        }
    }

    /// No limits at all: for benchmarks against a local emulator with its limits lifted too.
    pub fn unlimited() -> Limits {
        Limits {
            submit_interval: Duration::ZERO,
            submit_window: Duration::from_secs(3),
            submits_per_window: u32::MAX,
            polls_per_task: u64::MAX / 4,
            poll_allowance: u64::MAX / 4,
            no_slot_wait: Duration::ZERO,
            max_user_turn_wait: Duration::ZERO,
            zero_balance_wait: Duration::ZERO,
        }
    }

    /// The seed's limits with every duration multiplied by `factor` (for tests against an
    /// emulator running on a scaled clock).
    pub fn scaled(factor: f64) -> Limits {
        let s = |d: Duration| d.mul_f64(factor.max(0.0));
        let seed = Limits::seed();
        Limits {
            submit_interval: s(seed.submit_interval),
            submit_window: s(seed.submit_window),
            no_slot_wait: s(seed.no_slot_wait),
            max_user_turn_wait: s(seed.max_user_turn_wait),
            zero_balance_wait: s(seed.zero_balance_wait),
            ..seed
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::seed()
    }
}

/// Most task ids in one batch poll (keeps the URL short).
pub const DEFAULT_MAX_BATCH: usize = 100;

/// A captcha service: where it is, what it speaks, what it can do.
#[derive(Debug, Clone, PartialEq)]
pub struct Provider {
    name: String,
    /// Normalised: `http(s)://host[:port]/folder/`, ending in `/`.
    base_url: String,
    protocol: Protocol,
    batch_poll: bool,
    max_batch: usize,
    limits: Limits,
    custom: bool,
}

impl Provider {
    fn preset(name: &str, url: &str, batch_poll: bool) -> Provider {
        Provider {
            name: name.to_owned(),
            base_url: url.to_owned(),
            protocol: Protocol::Form,
            batch_poll,
            max_batch: DEFAULT_MAX_BATCH,
            limits: Limits::seed(),
            custom: false,
        }
    }

    /// BigCaptcha (`https://api.bigcaptcha.com`), the seed's service. Batch polling is not
    /// documented there, so it is off.
    pub fn bigcaptcha() -> Provider {
        Provider::preset("bigcaptcha", "https://api.bigcaptcha.com/", false)
    }

    /// CaptchaAI (`https://ocr.captchaai.com`).
    pub fn captchaai() -> Provider {
        Provider::preset("captchaai", "https://ocr.captchaai.com/", false)
    }

    /// 2captcha (`https://2captcha.com`), with batch polling.
    pub fn two_captcha() -> Provider {
        Provider::preset("2captcha", "https://2captcha.com/", true)
    }

    /// rucaptcha (`https://rucaptcha.com`), with batch polling.
    pub fn rucaptcha() -> Provider {
        Provider::preset("rucaptcha", "https://rucaptcha.com/", true)
    }

    /// A form-protocol service at any base URL (the folder holding `in.php` and `res.php`).
    /// Batch polling is off until [`Provider::batch_poll`] turns it on.
    pub fn custom(base_url: &str) -> Result<Provider> {
        let mut p = Provider::preset("custom", "https://invalid.invalid/", false);
        p.base_url = parse_base_url(base_url)?;
        p.custom = true;
        Ok(p)
    }

    /// The preset names, for error messages and documentation.
    pub const NAMES: [&'static str; 4] = ["bigcaptcha", "captchaai", "2captcha", "rucaptcha"];

    /// A preset by name (`"2captcha"`), case-insensitive.
    pub fn from_name(name: &str) -> Result<Provider> {
        match name.trim().to_ascii_lowercase().as_str() {
            "bigcaptcha" => Ok(Provider::bigcaptcha()),
            "captchaai" => Ok(Provider::captchaai()),
            "2captcha" | "twocaptcha" => Ok(Provider::two_captcha()),
            "rucaptcha" => Ok(Provider::rucaptcha()),
            "nextcaptcha" | "anti-captcha" | "anticaptcha" | "capmonster" | "capsolver" => {
                Err(Error::usage(format!(
                    "provider {name:?} speaks the json protocol, which is not supported yet"
                )))
            }
            _ => Err(Error::usage(format!(
                "unknown provider {name:?}; expected one of {} or a base URL",
                Provider::NAMES.join(", ")
            ))),
        }
    }

    /// A preset name, or an `http(s)://` URL for a custom provider.
    pub fn from_name_or_url(s: &str) -> Result<Provider> {
        if s.starts_with("http://") || s.starts_with("https://") {
            Provider::custom(s)
        } else {
            Provider::from_name(s)
        }
    }

    /// Keeps the preset's behaviour but sends requests to another base URL (tests, proxies,
    /// on-premise mirrors).
    pub fn with_base_url(mut self, base_url: &str) -> Result<Provider> {
        self.base_url = parse_base_url(base_url)?;
        Ok(self)
    }

    /// Turns batch polling (`action=get&ids=...`) on or off.
    pub fn batch_poll(mut self, on: bool) -> Provider {
        self.batch_poll = on;
        self
    }

    /// Sets the most ids per batch poll (1..=1000).
    pub fn max_batch(mut self, n: usize) -> Provider {
        self.max_batch = n.clamp(1, 1000);
        self
    }

    /// Declares other request limits. Only a custom provider may: a preset's limits are the
    /// service's own, and lifting them gets accounts blocked.
    pub fn with_limits(mut self, limits: Limits) -> Result<Provider> {
        if !self.custom {
            return Err(Error::usage(format!(
                "the request limits of the {} preset cannot be changed; use Provider::custom(url) for a service with other limits",
                self.name
            )));
        }
        self.limits = limits;
        Ok(self)
    }

    /// The name (`"custom"` for custom providers).
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The base URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
    /// The protocol.
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }
    /// Whether batch polls are used.
    pub fn supports_batch_poll(&self) -> bool {
        self.batch_poll
    }
    /// Most ids per batch poll.
    pub fn batch_size(&self) -> usize {
        self.max_batch
    }
    /// The request limits.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }
    /// Whether this is a custom provider.
    pub fn is_custom(&self) -> bool {
        self.custom
    }

    /// The URL of a script (`in.php`, `res.php`).
    pub(crate) fn endpoint_url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }
}

fn parse_base_url(s: &str) -> Result<String> {
    let mut url =
        Url::parse(s.trim()).map_err(|e| Error::usage(format!("invalid base URL: {e}")))?;
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
    // Accept `.../in.php` or `.../res.php` and keep the folder.
    let path = url.path().to_owned();
    let folder = match path.rsplit_once('/') {
        Some((dir, last)) if last.ends_with(".php") => format!("{dir}/"),
        _ if path.ends_with('/') => path,
        _ => format!("{path}/"),
    };
    url.set_path(&folder);
    Ok(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_and_urls() {
        for name in Provider::NAMES {
            let p = Provider::from_name(name).unwrap();
            assert_eq!(p.name(), name);
            assert!(p.endpoint_url("in.php").ends_with(".com/in.php"));
        }
        let c = Provider::custom("http://127.0.0.1:8080/in.php").unwrap();
        assert_eq!(c.endpoint_url("res.php"), "http://127.0.0.1:8080/res.php");
        let c = Provider::custom("http://h/api").unwrap();
        assert_eq!(c.endpoint_url("res.php"), "http://h/api/res.php");
        assert!(Provider::from_name("nope").is_err());
        assert!(
            Provider::two_captcha()
                .with_limits(Limits::unlimited())
                .is_err()
        );
        assert!(Provider::custom("ftp://x").is_err());
    }
}
