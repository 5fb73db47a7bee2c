//! Cloudflare Turnstile.

use super::{setters, validate, validate_common};
use crate::error::Result;
use crate::proxy::Proxy;
use std::collections::BTreeMap;

/// A Turnstile widget or challenge page. The solution carries the worker's user agent.
#[derive(Debug, Clone, PartialEq, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Turnstile {
    /// Full URL of the page with the captcha (`pageurl`).
    pub website_url: String,
    /// The site key (`sitekey`).
    pub website_key: String,
    /// The `data-action` value (`action`).
    pub action: Option<String>,
    /// The `data-cdata` value (`data`).
    pub cdata: Option<String>,
    /// The `chlPageData` value of challenge pages (`pagedata`).
    pub page_data: Option<String>,
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

impl Turnstile {
    /// A task for the captcha with `website_key` on the page `website_url`.
    pub fn new(website_url: impl Into<String>, website_key: impl Into<String>) -> Turnstile {
        Turnstile {
            website_url: website_url.into(),
            website_key: website_key.into(),
            ..Turnstile::default()
        }
    }

    /// Sets the proxy.
    pub fn proxy(mut self, proxy: Proxy) -> Self {
        self.proxy = Some(proxy);
        self
    }

    setters!(strings: action, cdata, page_data, user_agent; flags: );

    pub(crate) fn validate(&self) -> Result<()> {
        validate::url("website_url", &self.website_url)?;
        validate::site_key("website_key", &self.website_key)?;
        validate::opt_text("action", &self.action)?;
        validate::opt_text("cdata", &self.cdata)?;
        validate::opt_text("page_data", &self.page_data)?;
        validate::opt_text("user_agent", &self.user_agent)?;
        validate_common(&self.pingback, &self.extra)
    }
}
