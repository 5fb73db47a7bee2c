//! A provider's own request, for what the catalogue does not name (KeyCaptcha, Capy,
//! Cutcaptcha, Tencent, Prosopo, ...): sent as given, with the engine's limits, waits,
//! deadlines and redaction as for any kind. On the form protocol a raw task is always polled
//! alone, with a JSON reply, never in a batch (docs/kinds-choices.md 20).
//!
//! `files` carries the images of a form request that uploads several files (2captcha's
//! `rotatecaptcha` and `vkimage` with `file_1`, `file_2`, ...): the request then goes as
//! multipart/form-data, each image a file part under its own name (at most 600 kB, its format
//! the service's to judge, as the request's fields are), through the same engine. The json
//! protocol has no file parts (its task objects carry images inside, as base64), so `files`
//! go with form requests only (docs/kinds-choices.md 21).

use super::prelude::*;
use crate::error::{Error, Result};
use serde_json::Value;

kind! {
    /// A provider's own request, sent as given: the form protocol's fields (with `method`)
    /// or the json protocol's task object (with `type`). The answer is the provider's
    /// solution as received.
    Raw {
        required {
            /// The form fields (`{"method": "lemin", ...}`) or the json task object (`{"type": "LeminTaskProxyless", ...}`).
            request: json_map,
        }
        optional {
            /// Images sent as multipart file parts beside a form request's fields, by part name (`{"file_1": ..., "file_2": ...}`: `rotatecaptcha` or `vkimage` with several images); each is read as an image field is, at most 600 kB, its format the service's to judge. Form requests only: a json task object carries its images inside, as base64.
            files: image_map,
        }
        rules: Raw::rules,
    }
}

/// Which family a raw request is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RawFamily {
    /// Has `method`: `in.php` fields.
    Form,
    /// Has `type`: a `createTask` task object.
    Json,
}

/// The password of a one-string proxy without `@`: CapSolver's
/// `scheme:host:port:login:password` (the form capbridge writes for it; an IPv6 host in
/// brackets), or `host:port:login:password`. What follows the login, which follows the port.
fn colon_password(s: &str) -> Option<&str> {
    let rest = match s.split_once(':') {
        Some((scheme, rest))
            if ["http", "https", "socks4", "socks5"]
                .iter()
                .any(|k| scheme.eq_ignore_ascii_case(k)) =>
        {
            rest
        }
        _ => s,
    };
    let after_host = match rest.strip_prefix('[') {
        Some(v6) => v6.split_once(']')?.1.strip_prefix(':')?,
        None => rest.split_once(':')?.1,
    };
    let (port, creds) = after_host.split_once(':')?;
    if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (_login, password) = creds.split_once(':')?;
    (!password.is_empty()).then_some(password)
}

impl Raw {
    /// Passwords the request holds in the providers' spellings (`proxyPassword`; the form
    /// protocol's `proxy=login:password@host:port`; CapSolver's
    /// `proxy=scheme:host:port:login:password`), masked like a typed task's proxy.
    pub(crate) fn secrets(&self) -> Vec<&str> {
        let mut out = Vec::new();
        for (k, v) in &self.request {
            let Value::String(s) = v else { continue };
            match k.as_str() {
                "proxyPassword" | "password" => out.push(s.as_str()),
                "proxy" => {
                    // CapSolver's `scheme:host:port:login:password` first: its login or
                    // password may hold an `@` (`me@mail.com`), which the other form reads
                    // wrongly. Else `login:password@host:port`, possibly behind a `scheme://`.
                    let s = s.split_once("://").map_or(s.as_str(), |(_, r)| r);
                    if let Some(password) = colon_password(s) {
                        out.push(password);
                    } else if let Some((creds, _)) = s.rsplit_once('@')
                        && let Some((_, password)) = creds.split_once(':')
                        && !password.is_empty()
                    {
                        out.push(password);
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// The family the request is written for.
    pub(crate) fn family(&self) -> RawFamily {
        if self.request.contains_key("method") {
            RawFamily::Form
        } else {
            RawFamily::Json
        }
    }

    /// Adds an image sent as the multipart file part `name` (`file_1`, `file_2`, ...).
    pub fn file(mut self, name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        self.files.insert(name.into(), bytes.into());
        self
    }

    /// What `files` may not be: the parts of a json request (which has none), or parts that
    /// would send a field twice: a field of the request or of `extra`, or one the client
    /// writes itself.
    fn files_rules(&self) -> Result<()> {
        if !self.files.is_empty() && self.family() == RawFamily::Json {
            return Err(Error::invalid_field(
                "files",
                "are multipart parts of a form request (in.php fields with a method); a json task object (with a type) carries its images inside, as base64",
            ));
        }
        for name in self.files.keys() {
            let clash = if crate::dialect::client_field(name).is_some() {
                "the client writes that field itself"
            } else if self.request.contains_key(name) {
                "request has a field of that name"
            } else if self.extra.contains_key(name) {
                "extra has a field of that name"
            } else {
                continue;
            };
            return Err(Error::invalid_field(
                "files",
                format!("may not hold a part named {name}: {clash}"),
            ));
        }
        Ok(())
    }

    fn rules(&self) -> Result<()> {
        let text =
            |k: &str| matches!(self.request.get(k), Some(Value::String(s)) if !s.trim().is_empty());
        match (text("method"), text("type")) {
            (true, true) => Err(Error::invalid_field(
                "request",
                "has both method (form protocol) and type (json protocol): give the one your provider speaks",
            )),
            (false, false) => Err(Error::invalid_field(
                "request",
                "needs method (the form protocol's in.php fields) or type (the json protocol's task object)",
            )),
            _ => {
                // The client writes these itself; a request carrying them would send the key,
                // the protocol's switches or the pingback twice (the client's own receiver
                // sets the pingback of a task that has none).
                for k in self.request.keys() {
                    if let Some(instead) = crate::dialect::client_field(k) {
                        return Err(Error::invalid_field(
                            "request",
                            format!("may not hold {k}: the client writes it itself ({instead})"),
                        ));
                    }
                }
                self.files_rules()
            }
        }
    }
}

/// The catalogue entry.
pub(crate) static SPEC: KindSpec = KindSpec {
    kind: TaskKind::Raw,
    doc: Raw::DOC,
    fields: Raw::FIELDS,
    answer: "the token or text when the solution has one, else the solution as compact JSON",
    data: &[],
    class: Class::Raw,
    form_waits: (10, 180),
    example: r#"{"type": "Raw", "request": {"method": "lemin", "captcha_id": "CROPPED_3dfdd5c_d1872b526b794d83ba3b365eb15a200b", "div_id": "lemin-cropped-captcha", "pageurl": "https://example.com/"}}"#,
    wire: Wire {
        form: &[(
            &[
                FormDialect::TwoCaptcha,
                FormDialect::CaptchaAi,
                FormDialect::BigCaptcha,
                FormDialect::Generic,
            ],
            FormWire {
                method: FormMethod::Raw,
                // Unknown answers may hold `|` or extra fields: polled alone, as JSON.
                poll: FormPoll::AloneJson,
                decode: Decode::Raw,
                ..FormWire::named("")
            },
        )],
        json: &[(
            &[
                JsonDialect::AntiCaptcha,
                JsonDialect::CapMonster,
                JsonDialect::CapSolver,
                JsonDialect::NextCaptcha,
                JsonDialect::TwoCaptchaV2,
                JsonDialect::Generic,
            ],
            JsonWire {
                decode: Decode::Raw,
                ..JsonWire::new(
                    TypeNames {
                        proxyless: None,
                        proxied: None,
                    },
                    &[],
                )
            },
        )],
    },
};

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets_of(proxy: &str) -> Vec<String> {
        let mut request = serde_json::Map::new();
        request.insert("type".into(), Value::from("ReCaptchaV2Task"));
        request.insert("proxy".into(), Value::from(proxy));
        let raw = Raw::new(request.into_iter().collect());
        raw.secrets().into_iter().map(str::to_owned).collect()
    }

    #[test]
    fn proxy_passwords_in_every_one_string_form() {
        for (proxy, password) in [
            ("user:pw1@1.2.3.4:3128", Some("pw1")),
            ("http://user:pw2@1.2.3.4:3128", Some("pw2")),
            ("socks5:1.2.3.4:1080:user:pw3", Some("pw3")),
            ("HTTP:1.2.3.4:8080:user:p:w:4", Some("p:w:4")),
            ("socks5:[2001:db8::1]:1080:user:pw5", Some("pw5")),
            ("1.2.3.4:3128:user:pw6", Some("pw6")),
            ("socks5:1.2.3.4:1080", None),
            ("1.2.3.4:3128", None),
            ("http:proxy.example:port:user:x", None),
            // An `@` in the login or the password of the colon form.
            ("http:1.2.3.4:8080:me@mail.com:secret", Some("secret")),
            ("socks5:1.2.3.4:1080:user:p@ss", Some("p@ss")),
            ("user:p:w@1.2.3.4:3128", Some("p:w")),
        ] {
            assert_eq!(
                secrets_of(proxy),
                password.map(str::to_owned).into_iter().collect::<Vec<_>>(),
                "{proxy}"
            );
        }
    }

    fn refusal(task: &crate::task::Task) -> String {
        task.validate().unwrap_err().to_string()
    }

    #[test]
    fn fields_the_client_writes_are_refused_where_a_caller_could_give_them() {
        let form = |k: &str| {
            let mut request = serde_json::Map::new();
            request.insert("method".into(), Value::from("lemin"));
            request.insert(k.into(), Value::from("x"));
            Raw::new(request.into_iter().collect())
        };
        let why = refusal(&form("pingback").into());
        assert!(
            why.contains("may not hold pingback") && why.contains("pingback field"),
            "{why}"
        );
        let why = refusal(&form("soft_id").into());
        assert!(why.contains("(option soft_id)"), "{why}");
        let mut object = serde_json::Map::new();
        object.insert("type".into(), Value::from("LeminTaskProxyless"));
        object.insert("callbackUrl".into(), Value::from("https://cb.example.com/"));
        let why = refusal(&Raw::new(object.into_iter().collect()).into());
        assert!(why.contains("may not hold callbackUrl"), "{why}");
        let typed = crate::task::RecaptchaV2::new("https://example.com/", "k")
            .extra("json", "1")
            .into();
        let why = refusal(&typed);
        assert!(
            why.contains("extra") && why.contains("json_replies"),
            "{why}"
        );
        // A field the caller may use is not refused.
        form("captcha_id").validate().unwrap();
    }
}
