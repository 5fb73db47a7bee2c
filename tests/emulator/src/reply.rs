//! Rendering replies as the API documentation shows them: plain text (`OK|...`, bare codes) or JSON
//! (`{"status":..,"request":..}`), with the `debug_dump` prefix and `header_acao`.

use serde_json::{Map, Value};

/// A reply before it goes on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: String,
    pub(crate) json: bool,
    pub(crate) acao: bool,
    /// The error code replied, for the counters.
    pub(crate) code: Option<String>,
}

/// How replies to one request are rendered.
#[derive(Debug, Clone, Default)]
pub(crate) struct Style {
    pub(crate) json: bool,
    pub(crate) acao: bool,
    /// The `var_dump` of the request parameters, when `debug_dump=1`.
    pub(crate) dump: Option<String>,
}

/// Short descriptions sent as `error_text` in JSON error replies (clients must ignore extra
/// fields).
fn error_text(code: &str) -> &'static str {
    match code {
        "ERROR_WRONG_USER_KEY" => "The key format is wrong: 32 characters are expected.",
        "ERROR_KEY_DOES_NOT_EXIST" => "The key does not exist.",
        "ERROR_ZERO_BALANCE" => "Your balance is zero.",
        "ERROR_NO_SLOT_AVAILABLE" => "No slot available, try again later.",
        "ERROR_CAPTCHA_UNSOLVABLE" => "The captcha could not be solved.",
        "MAX_USER_TURN" => "Too many requests to in.php.",
        _ => "See the API documentation.",
    }
}

impl Style {
    fn finish(&self, body: String, json: bool, code: Option<&str>) -> Reply {
        let body = match &self.dump {
            Some(d) => format!("{d}{body}"),
            None => body,
        };
        Reply {
            status: 200,
            body,
            json,
            acao: self.acao,
            code: code.map(str::to_owned),
        }
    }

    /// `OK|request` or `{"status":1,"request":..,extras}`.
    pub(crate) fn ok(&self, request: &str, extras: &[(&str, &str)]) -> Reply {
        if self.json {
            let mut m = Map::new();
            m.insert("status".into(), Value::from(1));
            m.insert("request".into(), Value::from(request));
            for (k, v) in extras {
                m.insert((*k).into(), Value::from(*v));
            }
            self.finish(Value::Object(m).to_string(), true, None)
        } else {
            self.finish(format!("OK|{request}"), false, None)
        }
    }

    /// `OK|text`, or `{"status":1,"request":request,extras}` where `request` may be an
    /// object (structured answers).
    pub(crate) fn ok_value(
        &self,
        text: &str,
        request: Value,
        extras: &[(&'static str, String)],
    ) -> Reply {
        if self.json {
            let mut m = Map::new();
            m.insert("status".into(), Value::from(1));
            m.insert("request".into(), request);
            for (k, v) in extras {
                m.insert((*k).into(), Value::from(v.as_str()));
            }
            self.finish(Value::Object(m).to_string(), true, None)
        } else {
            self.finish(format!("OK|{text}"), false, None)
        }
    }

    /// A bare value (balance, `OK_REPORT_RECORDED`) or `{"status":1,"request":value}`.
    pub(crate) fn value(&self, value: &str) -> Reply {
        if self.json {
            let v = serde_json::json!({"status": 1, "request": value});
            self.finish(v.to_string(), true, None)
        } else {
            self.finish(value.to_owned(), false, None)
        }
    }

    /// `CAPCHA_NOT_READY` or `{"status":0,"request":"CAPCHA_NOT_READY"}`.
    pub(crate) fn not_ready(&self) -> Reply {
        if self.json {
            self.finish(
                r#"{"status":0,"request":"CAPCHA_NOT_READY"}"#.to_owned(),
                true,
                None,
            )
        } else {
            self.finish("CAPCHA_NOT_READY".to_owned(), false, None)
        }
    }

    /// An error code, plain or `{"status":0,"request":code,"error_text":..}`.
    pub(crate) fn code(&self, code: &str) -> Reply {
        if self.json {
            let v =
                serde_json::json!({"status": 0, "request": code, "error_text": error_text(code)});
            self.finish(v.to_string(), true, Some(code))
        } else {
            self.finish(code.to_owned(), false, Some(code))
        }
    }

    /// Plain text regardless of `json` (the batch poll format).
    pub(crate) fn plain(&self, text: String) -> Reply {
        self.finish(text, false, None)
    }
}

/// PHP's `var_dump` of the parameters, as the API documentation's debugging example shows it, followed by
/// the two empty arrays it prints.
pub(crate) fn var_dump(params: &[(String, String)]) -> String {
    let mut out = format!("array({}) {{\n", params.len());
    for (k, v) in params {
        out.push_str(&format!("  [\"{k}\"]=>\n  string({}) \"{v}\"\n", v.len()));
    }
    out.push_str("}\narray(0) {\n}\narray(0) {\n}\n");
    out
}
