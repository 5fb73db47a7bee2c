//! Arkose Labs FunCaptcha.

use super::{setters, validate, validate_common};
use crate::error::{Error, Result};
use crate::proxy::Proxy;
use std::collections::BTreeMap;

/// A FunCaptcha (token method). Its answers contain `|`, so it is always polled alone.
#[derive(Debug, Clone, PartialEq, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FunCaptcha {
    /// Full URL of the page with the captcha (`pageurl`).
    pub website_url: String,
    /// The `pk` or `data-pkey` value (`publickey`).
    pub public_key: String,
    /// The service URL, `surl` from `fc-token` (optional; the service has a default).
    pub surl: Option<String>,
    /// Custom data, sent as `data[key]=value` pairs (e.g. `blob`).
    pub data: BTreeMap<String, String>,
    /// The user agent to solve with (`userAgent`).
    pub user_agent: Option<String>,
    /// Proxy for the worker.
    #[serde(deserialize_with = "super::from_json::proxy")]
    pub proxy: Option<Proxy>,
    /// Pingback URL.
    pub pingback: Option<String>,
    /// Fields the service takes that this model does not name, sent as given (the json
    /// protocol adds them to the task object; the form protocol sends them as fields).
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl FunCaptcha {
    /// A task for the captcha with `public_key` on the page `website_url`.
    pub fn new(website_url: impl Into<String>, public_key: impl Into<String>) -> FunCaptcha {
        FunCaptcha {
            website_url: website_url.into(),
            public_key: public_key.into(),
            ..FunCaptcha::default()
        }
    }

    /// Adds a `data[key]=value` pair.
    pub fn data(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.data.insert(key.into(), value.into());
        self
    }

    /// Sets the proxy.
    pub fn proxy(mut self, proxy: Proxy) -> Self {
        self.proxy = Some(proxy);
        self
    }

    setters!(strings: surl, user_agent; flags: );

    pub(crate) fn validate(&self) -> Result<()> {
        validate::url("website_url", &self.website_url)?;
        validate::site_key("public_key", &self.public_key)?;
        validate::opt_url("surl", &self.surl)?;
        for (k, v) in &self.data {
            if k.is_empty()
                || !k
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            {
                return Err(Error::invalid_field(
                    "data",
                    "a data key may hold only letters, digits, '_' and '-'",
                ));
            }
            if v.chars().any(char::is_control) {
                return Err(Error::invalid_field(
                    "data",
                    "a data value may not hold control characters",
                ));
            }
        }
        validate::opt_text("user_agent", &self.user_agent)?;
        validate_common(&self.pingback, &self.extra)
    }
}
