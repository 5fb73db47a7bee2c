//! reCAPTCHA v2 and v3.

use super::{setters, validate, validate_common};
use crate::error::{Error, Result};
use crate::proxy::Proxy;
use std::collections::BTreeMap;

/// reCAPTCHA v2: the checkbox, invisible and enterprise variants.
#[derive(Debug, Clone, PartialEq, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RecaptchaV2 {
    /// Full URL of the page with the captcha (`pageurl`).
    pub website_url: String,
    /// The site key (`googlekey`, the `k` or `data-sitekey` value).
    pub website_key: String,
    /// Invisible reCAPTCHA (`invisible=1`).
    pub invisible: bool,
    /// The `data-s` value some Google services use.
    pub data_s: Option<String>,
    /// reCAPTCHA Enterprise (`enterprise=1`).
    pub enterprise: bool,
    /// Domain the captcha loads from: `google.com` (default) or `recaptcha.net` (`domain`).
    pub api_domain: Option<String>,
    /// The browser user agent to solve with (`userAgent`).
    pub user_agent: Option<String>,
    /// Cookies to solve with, as name/value pairs (sent as `name:value;name2:value2`).
    #[serde(deserialize_with = "super::from_json::cookies")]
    pub cookies: Vec<(String, String)>,
    /// Proxy for the worker.
    #[serde(deserialize_with = "super::from_json::proxy")]
    pub proxy: Option<Proxy>,
    /// Pingback URL.
    pub pingback: Option<String>,
    /// Fields the service takes that this model does not name, sent as given (the json
    /// protocol adds them to the task object; the form protocol sends them as fields).
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl RecaptchaV2 {
    /// A task for the captcha with `website_key` on the page `website_url`.
    pub fn new(website_url: impl Into<String>, website_key: impl Into<String>) -> RecaptchaV2 {
        RecaptchaV2 {
            website_url: website_url.into(),
            website_key: website_key.into(),
            ..RecaptchaV2::default()
        }
    }

    setters!(strings: data_s, api_domain, user_agent; flags: invisible, enterprise);

    /// Adds a cookie.
    pub fn cookie(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.cookies.push((name.into(), value.into()));
        self
    }

    /// Sets the proxy.
    pub fn proxy(mut self, proxy: Proxy) -> Self {
        self.proxy = Some(proxy);
        self
    }

    pub(crate) fn validate(&self) -> Result<()> {
        validate::url("website_url", &self.website_url)?;
        validate::site_key("website_key", &self.website_key)?;
        validate::opt_text("data_s", &self.data_s)?;
        validate::opt_domain("api_domain", &self.api_domain)?;
        validate::opt_text("user_agent", &self.user_agent)?;
        for (name, value) in &self.cookies {
            if name.is_empty()
                || name.contains([':', ';', '='])
                || name.chars().any(char::is_whitespace)
            {
                return Err(Error::invalid_field(
                    "cookies",
                    "a cookie name must be non-empty, without ':', ';', '=' or spaces",
                ));
            }
            if value.contains(';') || value.chars().any(char::is_control) {
                return Err(Error::invalid_field(
                    "cookies",
                    "a cookie value may not hold ';' or control characters",
                ));
            }
        }
        validate_common(&self.pingback, &self.extra)
    }
}

/// reCAPTCHA v3: score based, no challenge.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RecaptchaV3 {
    /// Full URL of the page with the captcha (`pageurl`).
    pub website_url: String,
    /// The site key (`googlekey`, the `render=` value of api.js).
    pub website_key: String,
    /// The action passed to `grecaptcha.execute`; the service's default is `verify`.
    pub action: String,
    /// The score needed, 0.1..=0.9 (`min_score`); unset lets the service choose.
    pub min_score: Option<f64>,
    /// reCAPTCHA Enterprise (`enterprise=1`).
    pub enterprise: bool,
    /// Domain the captcha loads from (`domain`).
    pub api_domain: Option<String>,
    /// Proxy for the worker.
    #[serde(deserialize_with = "super::from_json::proxy")]
    pub proxy: Option<Proxy>,
    /// Pingback URL.
    pub pingback: Option<String>,
    /// Fields the service takes that this model does not name, sent as given (the json
    /// protocol adds them to the task object; the form protocol sends them as fields).
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl Default for RecaptchaV3 {
    fn default() -> Self {
        RecaptchaV3 {
            website_url: String::new(),
            website_key: String::new(),
            action: RecaptchaV3::DEFAULT_ACTION.to_owned(),
            min_score: None,
            enterprise: false,
            api_domain: None,
            proxy: None,
            pingback: None,
            extra: BTreeMap::new(),
        }
    }
}

impl RecaptchaV3 {
    /// The action the service assumes when none is given.
    pub const DEFAULT_ACTION: &'static str = "verify";

    /// A task for the captcha with `website_key` on the page `website_url`, action `verify`.
    pub fn new(website_url: impl Into<String>, website_key: impl Into<String>) -> RecaptchaV3 {
        RecaptchaV3 {
            website_url: website_url.into(),
            website_key: website_key.into(),
            ..RecaptchaV3::default()
        }
    }

    /// Sets the action.
    pub fn action(mut self, action: impl Into<String>) -> Self {
        self.action = action.into();
        self
    }

    /// Sets the minimum score.
    pub fn min_score(mut self, score: f64) -> Self {
        self.min_score = Some(score);
        self
    }

    /// Sets the proxy.
    pub fn proxy(mut self, proxy: Proxy) -> Self {
        self.proxy = Some(proxy);
        self
    }

    setters!(strings: api_domain; flags: enterprise);

    pub(crate) fn validate(&self) -> Result<()> {
        validate::url("website_url", &self.website_url)?;
        validate::site_key("website_key", &self.website_key)?;
        validate::text("action", &self.action)?;
        if let Some(s) = self.min_score
            && !(s.is_finite() && (0.1..=0.9).contains(&s))
        {
            return Err(Error::invalid_field(
                "min_score",
                "must be between 0.1 and 0.9",
            ));
        }
        validate::opt_domain("api_domain", &self.api_domain)?;
        validate_common(&self.pingback, &self.extra)
    }
}
