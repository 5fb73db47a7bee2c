//! A `Raw` task's `files`: several images sent as multipart file parts (2captcha's
//! `rotatecaptcha` and `vkimage` with `file_1`, `file_2`, ...), through the engine, against
//! the emulator, which records every part it received. And what is refused before anything
//! is sent: files with a json provider, files that are empty or too large, and names that
//! would send a field twice.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

mod common;
use base64::Engine as _;
use common::*;
use serde_json::{Value, json};

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn request(fields: Value) -> std::collections::BTreeMap<String, Value> {
    fields.as_object().unwrap().clone().into_iter().collect()
}

/// The file parts a task's submit carried, as the emulator recorded them: name, file name,
/// format and bytes.
fn parts(info: &capbridge_emulator::TaskInfo) -> Vec<(String, Option<String>, String, Vec<u8>)> {
    info.files
        .iter()
        .map(|f| {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(&f.base64)
                .unwrap();
            assert_eq!(bytes.len(), f.size);
            (f.name.clone(), f.filename.clone(), f.format.clone(), bytes)
        })
        .collect()
}

#[tokio::test]
async fn several_images_reach_the_service_as_file_parts_beside_the_fields() {
    let emu = emulator(10, 1.0).await;
    let client = fast(&emu, 1.0).build().unwrap();
    let (png, jpg) = (image("captcha.png"), image("captcha.jpg"));

    // Typed: the builder adds one part at a time.
    let rotate = Raw::new(request(json!({"method": "rotatecaptcha", "angle": 30})))
        .file("file_1", png.clone())
        .file("file_2", jpg.clone());
    // From the JSON form every binding hands the core: base64 text.
    let vk = Task::from_json(
        &json!({"type": "Raw", "request": {"method": "vkimage", "steps": "[5,4,7,7,14,22,8]"},
                "files": {"file_1": b64(&jpg), "file_2": b64(&png)}})
        .to_string(),
    )
    .unwrap();

    for (task, method, want) in [
        (
            Task::from(rotate),
            "rotatecaptcha",
            [("file_1", "png", &png), ("file_2", "jpeg", &jpg)],
        ),
        (
            vk,
            "vkimage",
            [("file_1", "jpeg", &jpg), ("file_2", "png", &png)],
        ),
    ] {
        let s = client.solve(task).await.unwrap();
        let info = emu.task(s.task_id.parse().unwrap()).unwrap();
        assert_eq!(info.method, method);
        assert_eq!(info.answer.as_deref(), Some(s.answer.as_str()));
        // Exactly these parts, in order, with the bytes given and a file name of their
        // format; the request's fields as text, none of them a file.
        let want: Vec<_> = want
            .iter()
            .map(|(name, format, bytes)| {
                let ext = if *format == "jpeg" { "jpg" } else { format };
                (
                    (*name).to_owned(),
                    Some(format!("captcha.{ext}")),
                    (*format).to_owned(),
                    (*bytes).clone(),
                )
            })
            .collect();
        assert_eq!(parts(&info), want, "{method}");
        assert_eq!(info.params["method"], method);
        assert!(
            !info
                .params
                .keys()
                .any(|k| k.starts_with("file") || k == "body"),
            "{:?}",
            info.params
        );
    }
    assert_eq!(info_angle(&emu, &client).await % 30, 0);

    // Each submit went as multipart/form-data, once.
    let submits: Vec<_> = emu
        .requests(100)
        .into_iter()
        .filter(|r| r.endpoint == "in")
        .collect();
    assert_eq!(submits.len(), 3, "{submits:?}");
    for r in submits {
        let ct = r.content_type.unwrap_or_default();
        assert!(ct.starts_with("multipart/form-data"), "{ct}");
    }
    assert_eq!(emu.counters().violations_total(), 0);
}

/// Solves one more rotation (a single part) and returns the emulator's angle for it: the
/// kind's rules (the step) reach the service with the parts.
async fn info_angle(emu: &Emulator, client: &Client) -> u64 {
    let task = Raw::new(request(json!({"method": "rotatecaptcha", "angle": "30"})))
        .file("file_1", image("captcha.gif"));
    let s = client.solve(task).await.unwrap();
    let info = emu.task(s.task_id.parse().unwrap()).unwrap();
    assert_eq!(parts(&info).len(), 1);
    info.data.unwrap()["angle"].as_u64().unwrap()
}

#[tokio::test]
async fn a_file_of_no_known_format_is_the_services_to_judge() {
    let emu = emulator(10, 1.0).await;
    let client = fast(&emu, 1.0).build().unwrap();
    // A Raw request is sent as given: bytes capbridge cannot name go typed as bytes, and the
    // service answers with its own code.
    let bytes = vec![b'B'; 200];
    let task = Raw::new(request(json!({"method": "rotatecaptcha"})))
        .file("file_1", image("captcha.png"))
        .file("file_2", bytes);
    let e = client.solve(task).await.unwrap_err();
    assert_eq!(e.code(), Some("ERROR_IMAGE_TYPE_NOT_SUPPORTED"), "{e}");
    assert_eq!(emu.counters().in_requests, 1);
}

#[tokio::test]
async fn files_are_refused_at_json_providers_before_anything_is_sent() {
    let emu = emulator(10, 1.0).await;
    let json_provider = Provider::custom_with(emu.url(), Protocol::Json).unwrap();
    let client = Client::builder(json_provider, KEY)
        .timeout(HANG)
        .build()
        .unwrap();
    let png = image("captcha.png");
    // A json task object has no file parts: its images go inside it, as base64.
    let typed = Raw::new(request(json!({"type": "RotateTask"}))).file("file_1", png.clone());
    let e = client.solve(typed).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidTask, "{e}");
    assert_eq!(e.field(), Some("files"), "{e}");
    assert!(e.message().contains("base64"), "{e}");
    // A form request with files, given to a json provider: refused as a form request.
    let form = Raw::new(request(json!({"method": "rotatecaptcha"}))).file("file_1", png);
    let e = client.solve(form).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Usage, "{e}");
    assert!(emu.requests(100).is_empty(), "{:?}", emu.requests(100));
}

#[test]
fn files_that_are_empty_too_large_or_would_send_a_field_twice_are_refused() {
    let png = b64(&image("captcha.png"));
    let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
    big.resize(capbridge::task::MAX_IMAGE_BYTES + 1, 0);
    let many: serde_json::Map<String, Value> = (1..=capbridge::task::MAX_IMAGE_PARTS + 1)
        .map(|n| (format!("file_{n}"), Value::from(png.clone())))
        .collect();
    let cases = [
        ("an empty part name", json!({"": png})),
        ("a quote in a name", json!({"file\"1": png})),
        ("a field of the request", json!({"angle": png})),
        ("a field of extra", json!({"lang": png})),
        ("the key", json!({"key": png})),
        ("json", json!({"json": png})),
        ("soft_id", json!({"soft_id": png})),
        ("not base64", json!({"file_1": "***not base64***"})),
        ("empty", json!({"file_1": ""})),
        ("too large", json!({"file_1": b64(&big)})),
        ("not text", json!({"file_1": 5})),
        ("not a map", json!(["file_1"])),
        ("too many", Value::Object(many)),
    ];
    for (what, files) in cases {
        let task = json!({"type": "Raw", "request": {"method": "rotatecaptcha", "angle": "40"},
                          "extra": {"lang": "en"}, "files": files});
        let e = Task::from_json(&task.to_string()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidTask, "{what}: {e}");
        assert_eq!(e.field(), Some("files"), "{what}: {e}");
        assert!(
            !e.message().contains(&png[..40]),
            "{what}: the image in {e}"
        );
    }
    // No files, or an empty map: a plain raw request.
    for files in [json!({}), Value::Null] {
        let task = json!({"type": "Raw", "request": {"method": "rotatecaptcha"}, "files": files});
        assert!(Task::from_json(&task.to_string()).is_ok(), "{files}");
    }
    // The same rules for a task built in Rust.
    let raw =
        Raw::new(request(json!({"method": "rotatecaptcha"}))).file("key", image("captcha.png"));
    let e = Task::from(raw).validate().unwrap_err();
    assert_eq!(e.field(), Some("files"), "{e}");
}

#[test]
fn a_raw_task_shows_its_files_by_name_and_size_only() {
    let png = image("captcha.png");
    let raw = Raw::new(request(json!({"method": "rotatecaptcha"}))).file("file_1", png.clone());
    let shown = format!("{:?}", Task::from(raw));
    assert!(
        shown.contains(&format!("\"file_1\": <{} bytes>", png.len())),
        "{shown}"
    );
    assert!(!shown.contains(&b64(&png)[..40]), "{shown}");
}
