//! hCaptcha.

use super::{setters, validate, validate_common};
use crate::error::Result;
use crate::proxy::Proxy;
use std::collections::BTreeMap;

/// An hCaptcha. The solution carries the worker's user agent (set it on your side) and, for
/// some sites, a `respKey`.
#[derive(Debug, Clone, PartialEq, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HCaptcha {
    /// Full URL of the page with the captcha (`pageurl`).
    pub website_url: String,
    /// The `data-sitekey` value (`sitekey`).
    pub website_key: String,
    /// Domain the captcha loads from: `hcaptcha.com` (default) or `js.hcaptcha.com` (`domain`).
    pub api_domain: Option<String>,
    /// Invisible hCaptcha (`invisible=1`).
    pub invisible: bool,
    /// The enterprise `rqdata` value (`data`).
    pub rqdata: Option<String>,
    /// Your user agent (`userAgent`; the service may ignore it and return its worker's).
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

impl HCaptcha {
    /// A task for the captcha with `website_key` on the page `website_url`.
    pub fn new(website_url: impl Into<String>, website_key: impl Into<String>) -> HCaptcha {
        HCaptcha {
            website_url: website_url.into(),
            website_key: website_key.into(),
            ..HCaptcha::default()
        }
    }

    /// Sets the proxy.
    pub fn proxy(mut self, proxy: Proxy) -> Self {
        self.proxy = Some(proxy);
        self
    }

    setters!(strings: api_domain, rqdata, user_agent; flags: invisible);

    pub(crate) fn validate(&self) -> Result<()> {
        validate::url("website_url", &self.website_url)?;
        validate::site_key("website_key", &self.website_key)?;
        validate::opt_domain("api_domain", &self.api_domain)?;
        validate::opt_text("rqdata", &self.rqdata)?;
        validate::opt_text("user_agent", &self.user_agent)?;
        validate_common(&self.pingback, &self.extra)
    }
}
