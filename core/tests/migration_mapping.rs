//! The migration guide's mapping tables (NextCaptcha's migration guide: "Task Type Mapping", "Parameter
//! Translation", "Submit Response", "Poll Response"), checked against both codecs: one capbridge
//! task, encoded for NextCaptcha (json) and for the form protocol, must give the type, method,
//! fields and params the guide names.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

use capbridge::codec::form::{self, FormCodec, FormOptions};
use capbridge::codec::json::JsonCodec;
use capbridge::codec::{Accepted, Codec, Outcome, Reply, Request};
use capbridge::secret::Secret;
use capbridge::{ErrorKind, Provider, Task};
use serde_json::{Value, json};
use std::collections::BTreeMap;

const URL: &str = "https://example.com";
const SITEKEY: &str = "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-";

fn key() -> Secret {
    Secret::new("1abc234de56fab7c89012d34e56fa7b8")
}

fn task(json: Value) -> Task {
    Task::from_json(&json.to_string()).unwrap()
}

fn nextcaptcha(task: &Task) -> Value {
    let req = JsonCodec::new(&Provider::nextcaptcha())
        .submit(task, &key())
        .unwrap();
    assert_eq!(req.path, "createTask");
    req.json().unwrap()["task"].clone()
}

fn form_fields(task: &Task) -> BTreeMap<String, String> {
    let req: Request = form::submit_request(
        task,
        &key(),
        &FormOptions::default(),
        None,
        capbridge::FormDialect::Generic,
        "custom",
    )
    .unwrap();
    assert_eq!(req.path, "in.php");
    req.fields().iter().cloned().collect()
}

/// One row of "Task Type Mapping": the json type, the form method, and the params the guide
/// says the form side adds; `json_fields` are the json fields of "Parameter Translation" the
/// task sets, with the form field each maps onto.
struct Row {
    task: Value,
    json_type: &'static str,
    method: &'static str,
    form_params: &'static [(&'static str, &'static str)],
    translated: &'static [(&'static str, &'static str)],
}

#[test]
fn every_row_of_the_type_mapping_holds_in_both_codecs() {
    let proxy = "http://user:pass@1.2.3.4:3128";
    let rows = [
        Row {
            task: json!({"type": "RecaptchaV2", "website_url": URL, "website_key": SITEKEY,
                         "data_s": "sval", "invisible": true}),
            json_type: "RecaptchaV2TaskProxyless",
            method: "userrecaptcha",
            form_params: &[],
            translated: &[
                ("websiteURL", "pageurl"),
                ("websiteKey", "googlekey"),
                ("recaptchaDataSValue", "data-s"),
                ("isInvisible", "invisible"),
            ],
        },
        Row {
            task: json!({"type": "RecaptchaV2", "website_url": URL, "website_key": SITEKEY, "proxy": proxy}),
            json_type: "RecaptchaV2Task",
            method: "userrecaptcha",
            form_params: &[("proxy", "user:pass@1.2.3.4:3128"), ("proxytype", "HTTP")],
            translated: &[("websiteURL", "pageurl"), ("websiteKey", "googlekey")],
        },
        Row {
            task: json!({"type": "RecaptchaV3", "website_url": URL, "website_key": SITEKEY,
                         "action": "login", "min_score": 0.3}),
            json_type: "RecaptchaV3TaskProxyless",
            method: "userrecaptcha",
            form_params: &[("version", "v3"), ("action", "login"), ("min_score", "0.3")],
            translated: &[
                ("websiteURL", "pageurl"),
                ("websiteKey", "googlekey"),
                ("minScore", "min_score"),
                ("pageAction", "action"),
            ],
        },
        Row {
            task: json!({"type": "HCaptcha", "website_url": URL, "website_key": "a5f74b19-9e45-40e0-b45d-47ff91b7a6c2"}),
            json_type: "HCaptchaTaskProxyless",
            method: "hcaptcha",
            form_params: &[],
            translated: &[("websiteURL", "pageurl"), ("websiteKey", "sitekey")],
        },
        Row {
            task: json!({"type": "HCaptcha", "website_url": URL, "website_key": "a5f74b19-9e45-40e0-b45d-47ff91b7a6c2",
                         "proxy": proxy}),
            json_type: "HCaptchaTask",
            method: "hcaptcha",
            form_params: &[("proxy", "user:pass@1.2.3.4:3128"), ("proxytype", "HTTP")],
            translated: &[("websiteURL", "pageurl"), ("websiteKey", "sitekey")],
        },
        Row {
            task: json!({"type": "Turnstile", "website_url": URL, "website_key": "0x4AAAAAAABUYP0XeMJF0xoy"}),
            json_type: "TurnstileTaskProxyless",
            method: "turnstile",
            form_params: &[],
            translated: &[("websiteURL", "pageurl"), ("websiteKey", "sitekey")],
        },
    ];
    for row in rows {
        let t = task(row.task.clone());
        let json_task = nextcaptcha(&t);
        let fields = form_fields(&t);
        let name = row.json_type;
        assert_eq!(json_task["type"], row.json_type, "{name}");
        assert_eq!(
            fields.get("method").map(String::as_str),
            Some(row.method),
            "{name}"
        );
        assert_eq!(
            fields.get("key").map(String::as_str),
            Some(key().expose()),
            "{name}"
        );
        for (param, value) in row.form_params {
            assert_eq!(
                fields.get(*param).map(String::as_str),
                Some(*value),
                "{name}: {param}"
            );
        }
        for (json_field, form_field) in row.translated {
            let j = &json_task[*json_field];
            let f = fields
                .get(*form_field)
                .unwrap_or_else(|| panic!("{name}: no {form_field}"));
            // Same value, in each protocol's own spelling: booleans are `1` on the form side,
            // scores one decimal.
            let as_form = match j {
                Value::String(s) => s.clone(),
                Value::Bool(true) => "1".to_owned(),
                Value::Number(n) => n.to_string(),
                other => panic!("{name}: {json_field} is {other}"),
            };
            assert_eq!(&as_form, f, "{name}: {json_field} -> {form_field}");
        }
        // With a proxy the json side carries the split proxy fields.
        if row.task.get("proxy").is_some() {
            assert_eq!(json_task["proxyType"], "http", "{name}");
            assert_eq!(json_task["proxyAddress"], "1.2.3.4", "{name}");
            assert_eq!(json_task["proxyPort"], 3128, "{name}");
        } else {
            assert!(json_task.get("proxyType").is_none(), "{name}");
            assert!(!fields.contains_key("proxy"), "{name}");
        }
    }
}

/// "ImageToTextTask -> method=base64 + body": the case the project started from. NextCaptcha's
/// SDKs have no image type, but the guide lists NextCaptcha's `ImageToTextTask` and maps it to
/// CaptchaAI's `method=base64`; the NextCaptcha preset sends it (issue 19), and the same image
/// travels as the same base64 on both sides.
#[test]
fn the_image_row_holds_where_the_provider_has_images() {
    let t = task(json!({"type": "ImageToText", "image": png_base64(200)}));
    let next = JsonCodec::new(&Provider::nextcaptcha());
    assert!(next.capabilities().solves(capbridge::TaskKind::ImageToText));
    let req = next.submit(&t, &key()).unwrap();
    let body = req.json().unwrap();
    assert_eq!(body["task"]["type"], "ImageToTextTask");
    let fields = form_fields(&t);
    assert_eq!(fields.get("method").map(String::as_str), Some("base64"));
    assert_eq!(
        body["task"]["body"].as_str(),
        fields.get("body").map(String::as_str)
    );
    // The solution comes back as `text`, the answer CaptchaAI's `OK|text` gives.
    let reply = Reply::new(
        200,
        r#"{"errorId":0,"status":"ready","solution":{"text":"W68HP"}}"#,
    );
    match next.read_poll(&reply, Some(capbridge::TaskKind::ImageToText)) {
        Outcome::Done(a) => assert_eq!(a.text, "W68HP"),
        other => panic!("{other:?}"),
    }
}

fn png_base64(n: usize) -> String {
    use base64::Engine as _;
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.resize(n, 0);
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The guide's own request examples: NextCaptcha's JSON body and CaptchaAI's form fields.
#[test]
fn the_guides_request_examples() {
    let key = Secret::new("next_captcha_key");
    let t = task(json!({"type": "RecaptchaV2", "website_url": URL, "website_key": SITEKEY}));
    let req = JsonCodec::new(&Provider::nextcaptcha())
        .submit(&t, &key)
        .unwrap();
    assert_eq!(
        req.json().unwrap(),
        &json!({"clientKey": "next_captcha_key", "task": {
            "type": "RecaptchaV2TaskProxyless", "websiteURL": URL, "websiteKey": SITEKEY}})
    );
    let req = form::submit_request(
        &t,
        &Secret::new("YOUR_API_KEY"),
        &FormOptions::default(),
        None,
        capbridge::FormDialect::Generic,
        "custom",
    )
    .unwrap();
    let fields: BTreeMap<String, String> = req.fields().iter().cloned().collect();
    let want: BTreeMap<String, String> = [
        ("key", "YOUR_API_KEY"),
        ("method", "userrecaptcha"),
        ("googlekey", SITEKEY),
        ("pageurl", URL),
        ("json", "1"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    assert_eq!(fields, want);
}

/// "clientKey -> key", "taskId -> id": the poll carries the same id in both protocols, and
/// the guide's response tables read alike.
#[test]
fn polls_and_replies_map_as_the_guide_says() {
    let json = JsonCodec::new(&Provider::nextcaptcha());
    let form = FormCodec::new(&Provider::captchaai());
    let id = "1781234567890";
    let j = json.poll(id, None, &key());
    assert_eq!(j.path, "getTaskResult");
    assert_eq!(j.json().unwrap()["taskId"], json!(1781234567890u64));
    assert_eq!(j.json().unwrap()["clientKey"], key().expose());
    let f = form.poll(id, None, &key());
    assert_eq!(f.field("id"), Some(id));
    assert_eq!(f.field("key"), Some(key().expose()));

    // Submit: errorId === 0 + taskId (integer) <-> status === 1 + request (string).
    let got = json.read_submit(
        &Reply::new(200, r#"{"errorId":0,"taskId":1781234567890}"#),
        capbridge::TaskKind::RecaptchaV2,
    );
    assert!(
        matches!(got, Outcome::Done(Accepted::Id(ref i)) if i == id),
        "{got:?}"
    );
    let got = form.read_submit(
        &Reply::new(200, r#"{"status":1,"request":"1781234567890"}"#),
        capbridge::TaskKind::RecaptchaV2,
    );
    assert!(
        matches!(got, Outcome::Done(Accepted::Id(ref i)) if i == id),
        "{got:?}"
    );
    // Not ready: status "processing" <-> CAPCHA_NOT_READY.
    let got = json.read_poll(
        &Reply::new(200, r#"{"errorId":0,"status":"processing"}"#),
        None,
    );
    assert!(matches!(got, Outcome::Pending), "{got:?}");
    let got = form.read_poll(
        &Reply::new(200, r#"{"status":0,"request":"CAPCHA_NOT_READY"}"#),
        None,
    );
    assert!(matches!(got, Outcome::Pending), "{got:?}");
    // Ready: solution.gRecaptchaResponse <-> request.
    let got = json.read_poll(
        &Reply::new(
            200,
            r#"{"errorId":0,"status":"ready","solution":{"gRecaptchaResponse":"03AGdBq2"}}"#,
        ),
        None,
    );
    assert!(
        matches!(got, Outcome::Done(ref a) if a.text == "03AGdBq2"),
        "{got:?}"
    );
    let got = form.read_poll(
        &Reply::new(200, r#"{"status":1,"request":"03AGdBq2"}"#),
        None,
    );
    assert!(
        matches!(got, Outcome::Done(ref a) if a.text == "03AGdBq2"),
        "{got:?}"
    );
    // Error: errorDescription/errorCode <-> request holds the code; the same code, one kind.
    let got = json.read_submit(
        &Reply::new(
            200,
            r#"{"errorId":1,"errorCode":"ERROR_KEY_DOES_NOT_EXIST","errorDescription":"bad key"}"#,
        ),
        capbridge::TaskKind::RecaptchaV2,
    );
    let Outcome::Failed { error: je, .. } = got else {
        panic!("{got:?}")
    };
    let got = form.read_submit(
        &Reply::new(200, r#"{"status":0,"request":"ERROR_KEY_DOES_NOT_EXIST"}"#),
        capbridge::TaskKind::RecaptchaV2,
    );
    let Outcome::Failed { error: fe, .. } = got else {
        panic!("{got:?}")
    };
    assert_eq!((je.kind(), je.code()), (fe.kind(), fe.code()));
    assert_eq!(je.kind(), ErrorKind::Auth);
}
