//! Proxies given with token tasks, parsed from URLs.
//!
//! Accepted forms: `http://user:pass@host:port`, `https://...`, `socks4://...`, `socks5://...`,
//! and a bare `host:port` or `user:pass@host:port` (taken as HTTP). How a proxy travels is
//! each codec's business (the form protocol's `proxy=user:pass@host:port` and `proxytype`,
//! the json protocol's split fields): no public method here hands out the password in a wire
//! spelling.
//!
//! The password is a [`Secret`]: `Debug` and `Display` show `***`, and parse errors never echo
//! the input (it may hold the password).

use crate::error::{Error, Result};
use crate::secret::Secret;
use std::fmt;
use std::str::FromStr;

/// The proxy protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProxyType {
    /// `http://`
    Http,
    /// `https://`
    Https,
    /// `socks4://`
    Socks4,
    /// `socks5://`
    Socks5,
}

impl ProxyType {
    /// The URL scheme.
    pub fn scheme(self) -> &'static str {
        match self {
            ProxyType::Http => "http",
            ProxyType::Https => "https",
            ProxyType::Socks4 => "socks4",
            ProxyType::Socks5 => "socks5",
        }
    }

    pub(crate) fn from_scheme(s: &str) -> Option<ProxyType> {
        match s.to_ascii_lowercase().as_str() {
            "http" => Some(ProxyType::Http),
            "https" => Some(ProxyType::Https),
            "socks4" | "socks4a" => Some(ProxyType::Socks4),
            "socks5" | "socks5h" => Some(ProxyType::Socks5),
            _ => None,
        }
    }
}

/// A proxy the service's worker should load the captcha through.
#[derive(Clone, PartialEq, Eq)]
pub struct Proxy {
    kind: ProxyType,
    host: String,
    port: u16,
    login: Option<String>,
    password: Option<Secret>,
}

fn bad(message: &str) -> Error {
    Error::invalid_field("proxy", format!("invalid proxy URL: {message}"))
}

impl Proxy {
    /// Parses a proxy URL. Errors are `invalid_task` naming the field `proxy`, and never
    /// repeat the input.
    pub fn parse(input: &str) -> Result<Proxy> {
        let input = input.trim();
        if input.is_empty() {
            return Err(bad("it is empty"));
        }
        if input.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("it contains whitespace or control characters"));
        }
        let (kind, rest) = match input.find("://") {
            Some(i) => {
                let kind = ProxyType::from_scheme(&input[..i])
                    .ok_or_else(|| bad("the scheme must be http, https, socks4 or socks5"))?;
                (kind, &input[i + 3..])
            }
            None => (ProxyType::Http, input),
        };
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.contains(['/', '?', '#']) {
            return Err(bad("a proxy URL has no path, query or fragment"));
        }
        let (userinfo, hostport) = match rest.rfind('@') {
            Some(i) => (Some(&rest[..i]), &rest[i + 1..]),
            None => (None, rest),
        };
        let (login, password) = match userinfo {
            None => (None, None),
            Some(ui) => {
                let (user, pass) = match ui.find(':') {
                    Some(i) => (&ui[..i], Some(&ui[i + 1..])),
                    None => (ui, None),
                };
                let user = decode(user)?;
                if user.is_empty() {
                    return Err(bad("the user name before '@' is empty"));
                }
                let pass = pass.map(decode).transpose()?;
                (Some(user), pass.map(Secret::new))
            }
        };
        let (host, port) = split_host_port(hostport)?;
        Ok(Proxy {
            kind,
            host,
            port,
            login,
            password,
        })
    }

    /// A proxy without credentials.
    pub fn new(kind: ProxyType, host: impl Into<String>, port: u16) -> Result<Proxy> {
        let host = host.into();
        validate_host(&host)?;
        if port == 0 {
            return Err(bad("the port must be between 1 and 65535"));
        }
        Ok(Proxy {
            kind,
            host,
            port,
            login: None,
            password: None,
        })
    }

    /// Adds credentials.
    pub fn with_credentials(
        mut self,
        login: impl Into<String>,
        password: impl Into<String>,
    ) -> Proxy {
        self.login = Some(login.into());
        self.password = Some(Secret::new(password));
        self
    }

    /// The protocol.
    pub fn kind(&self) -> ProxyType {
        self.kind
    }
    /// The host name or address (IPv6 without brackets).
    pub fn host(&self) -> &str {
        &self.host
    }
    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }
    /// The login, if any.
    pub fn login(&self) -> Option<&str> {
        self.login.as_deref()
    }
    /// The password, if any (a secret).
    pub fn password(&self) -> Option<&Secret> {
        self.password.as_ref()
    }
}

fn decode(s: &str) -> Result<String> {
    let b = s.as_bytes();
    for (i, _) in s.match_indices('%') {
        let hex = |j: usize| b.get(j).is_some_and(u8::is_ascii_hexdigit);
        if !(hex(i + 1) && hex(i + 2)) {
            return Err(bad(
                "the credentials hold a '%' that is not followed by two hex digits (write %25 for a literal %)",
            ));
        }
    }
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| bad("the credentials are not valid UTF-8 after percent-decoding"))
}

fn split_host_port(hp: &str) -> Result<(String, u16)> {
    let (host, port) = if let Some(rest) = hp.strip_prefix('[') {
        let end = rest
            .find(']')
            .ok_or_else(|| bad("an IPv6 address is missing its closing ']'"))?;
        let host = &rest[..end];
        let after = &rest[end + 1..];
        let port = after
            .strip_prefix(':')
            .ok_or_else(|| bad("the port is missing (host:port)"))?;
        (host, port)
    } else {
        let i = hp
            .rfind(':')
            .ok_or_else(|| bad("the port is missing (host:port)"))?;
        (&hp[..i], &hp[i + 1..])
    };
    validate_host(host)?;
    if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) || port.len() > 5 {
        return Err(bad("the port must be a number between 1 and 65535"));
    }
    let port: u16 = port
        .parse()
        .map_err(|_| bad("the port must be a number between 1 and 65535"))?;
    if port == 0 {
        return Err(bad("the port must be a number between 1 and 65535"));
    }
    Ok((host.to_owned(), port))
}

fn validate_host(host: &str) -> Result<()> {
    if host.is_empty() {
        return Err(bad("the host is empty"));
    }
    if host.len() > 253 {
        return Err(bad("the host name is too long"));
    }
    if host.contains(':') {
        return host
            .parse::<std::net::Ipv6Addr>()
            .map(|_| ())
            .map_err(|_| bad("the host is not a valid IPv6 address"));
    }
    let ok = host.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    });
    if !ok {
        return Err(bad("the host is not a valid host name or address"));
    }
    Ok(())
}

impl FromStr for Proxy {
    type Err = Error;
    fn from_str(s: &str) -> Result<Proxy> {
        Proxy::parse(s)
    }
}

impl TryFrom<&str> for Proxy {
    type Error = Error;
    fn try_from(s: &str) -> Result<Proxy> {
        Proxy::parse(s)
    }
}

impl TryFrom<String> for Proxy {
    type Error = Error;
    fn try_from(s: String) -> Result<Proxy> {
        Proxy::parse(&s)
    }
}

/// `socks5://user:***@host:port`: the password is never shown.
impl fmt::Display for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://", self.kind.scheme())?;
        if let Some(l) = &self.login {
            write!(f, "{l}")?;
            if self.password.is_some() {
                write!(f, ":***")?;
            }
            write!(f, "@")?;
        }
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Proxy({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form() {
        let p = Proxy::parse("http://user:pa%40ss@1.2.3.4:3128").unwrap();
        assert_eq!(p.kind(), ProxyType::Http);
        assert_eq!(p.password().map(|s| s.expose()), Some("pa@ss"));
        assert_eq!(
            Proxy::parse("socks5://host.example:1080").unwrap().kind(),
            ProxyType::Socks5
        );
        assert_eq!(
            Proxy::parse("socks4://h:1").unwrap().kind(),
            ProxyType::Socks4
        );
        assert_eq!(
            Proxy::parse("https://h:443").unwrap().kind(),
            ProxyType::Https
        );
        let bare = Proxy::parse("10.0.0.1:8080").unwrap();
        assert_eq!(
            (bare.kind(), bare.host(), bare.port()),
            (ProxyType::Http, "10.0.0.1", 8080)
        );
        let v6 = Proxy::parse("socks5://u:p@[::1]:9050").unwrap();
        assert_eq!(v6.host(), "::1");
        assert_eq!((v6.host(), v6.port()), ("::1", 9050));
        let bare_creds = Proxy::parse("u:p@h:1").unwrap();
        assert_eq!(bare_creds.login(), Some("u"));
    }

    #[test]
    fn rejects_bad_urls_without_echoing_them() {
        for bad in [
            "",
            "ftp://h:1",
            "http://h",
            "http://h:0",
            "http://h:70000",
            "http://h:x",
            "http://:pw@h:1",
            "http://u:secretpw@:1",
            "http://h:1/path",
            "http://u:secretpw@h h:1",
            "http://[::1:1",
            "http://ex ample:1",
        ] {
            let e = Proxy::parse(bad).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidTask, "{bad}");
            assert_eq!(e.field(), Some("proxy"));
            assert!(!e.to_string().contains("secretpw"), "{e}");
        }
    }

    #[test]
    fn display_and_debug_hide_password() {
        let p = Proxy::parse("socks5://user:hunter2@h:1080").unwrap();
        assert_eq!(p.to_string(), "socks5://user:***@h:1080");
        assert!(!format!("{p:?}").contains("hunter2"));
    }
}
