//! `in.php` methods that take several images at once, over raw HTTP: 2captcha-python's
//! `rotate(files=[...])` and `vkimage([...], steps)` send them as the multipart file parts
//! `file_1`, `file_2`, ... with `method=rotatecaptcha` or `method=vkimage`. The emulator takes
//! them, checks each as an image, and lists every part it received in the task's `files`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

mod common;
use common::*;
use serde_json::Value;

/// A multipart submit with a key and `json=1`: text fields, then file parts `(part name, file
/// name, bytes)`; the JSON reply.
async fn submit(
    http: &Http,
    prefix: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &str, Vec<u8>)],
) -> Value {
    let mut params = vec![("key", KEY), ("json", "1")];
    params.extend_from_slice(fields);
    http.multipart_parts(&format!("{prefix}in.php"), &params, files)
        .await
        .json()
}

async fn info(http: &Http, id: &Value) -> Value {
    let id = id.as_str().unwrap();
    http.admin(reqwest::Method::GET, &format!("tasks/{id}"), None)
        .await
}

#[tokio::test]
async fn several_numbered_images_are_taken_and_recorded_part_by_part() {
    let emu = fast().await;
    let http = Http::new(&emu);
    let (png, jpg, gif) = (
        image("captcha.png"),
        image("captcha.jpg"),
        image("captcha.gif"),
    );
    for (prefix, fields, kind) in [
        (
            "",
            vec![("method", "rotatecaptcha"), ("angle", "30")],
            "Rotate",
        ),
        (
            "2captcha/",
            vec![("method", "vkimage"), ("steps", "[5,4,7,7,14,22,8]")],
            "VkImage",
        ),
    ] {
        let files = [
            ("file_1", "a.png", png.clone()),
            ("file_2", "b.jpg", jpg.clone()),
            ("imginstructions", "hint.gif", gif.clone()),
        ];
        let v = submit(&http, prefix, &fields, &files).await;
        assert_eq!(v["status"], 1, "{kind}: {v}");
        let i = info(&http, &v["request"]).await;
        assert_eq!(i["kind"], kind, "{i}");
        // The parts as they arrived, in order, bytes included; none among the fields.
        let got: Vec<(String, String, usize, Vec<u8>)> = i["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["name"].as_str().unwrap().to_owned(),
                    f["format"].as_str().unwrap().to_owned(),
                    f["size"].as_u64().unwrap() as usize,
                    base64::Engine::decode(
                        &base64::engine::general_purpose::STANDARD,
                        f["base64"].as_str().unwrap(),
                    )
                    .unwrap(),
                )
            })
            .collect();
        let want = vec![
            (
                "file_1".to_owned(),
                "png".to_owned(),
                png.len(),
                png.clone(),
            ),
            (
                "file_2".to_owned(),
                "jpeg".to_owned(),
                jpg.len(),
                jpg.clone(),
            ),
            (
                "imginstructions".to_owned(),
                "gif".to_owned(),
                gif.len(),
                gif.clone(),
            ),
        ];
        assert_eq!(got, want, "{kind}");
        assert_eq!(i["files"][0]["filename"], "a.png");
        let params: Vec<&str> = i["params"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert!(!params.iter().any(|k| k.starts_with("file")), "{params:?}");
        assert_eq!(i["image"][0], "png", "the first image: {i}");
        // Solved, in the kind's shape: an angle of the step, or a step of the slider.
        let reply = http
            .wait(KEY, v["request"].as_str().unwrap(), true)
            .await
            .json();
        assert_eq!(reply["status"], 1, "{reply}");
        let answer: u32 = reply["request"].as_str().unwrap().parse().unwrap();
        match kind {
            "Rotate" => assert_eq!(answer % 30, 0),
            _ => assert!(answer < 7, "{answer}"),
        }
    }
}

#[tokio::test]
async fn each_image_is_checked_and_vkimage_needs_its_steps() {
    let emu = fast().await;
    let http = Http::new(&emu);
    let png = image("captcha.png");
    let rotate = [("method", "rotatecaptcha")];
    // A bad second image gets the code a single one would.
    for (bytes, name, code) in [
        (b"tiny".to_vec(), "b.png", "ERROR_ZERO_CAPTCHA_FILESIZE"),
        (png.clone(), "b.bmp", "ERROR_WRONG_FILE_EXTENSION"),
        (
            image("too_wide.png"),
            "b.png",
            "ERROR_TOO_BIG_CAPTCHA_FILESIZE",
        ),
    ] {
        let files = [("file_1", "a.png", png.clone()), ("file_2", name, bytes)];
        let v = submit(&http, "", &rotate, &files).await;
        assert_eq!(v["request"], code, "{v}");
    }
    // vkimage: steps are required, a JSON list of numbers.
    let files = [
        ("file_1", "a.png", png.clone()),
        ("file_2", "b.png", png.clone()),
    ];
    for steps in [None, Some(""), Some("5,4"), Some("[]")] {
        let mut fields = vec![("method", "vkimage")];
        fields.extend(steps.map(|s| ("steps", s)));
        let v = submit(&http, "", &fields, &files).await;
        assert_eq!(v["request"], "ERROR_BAD_PARAMETERS", "steps {steps:?}: {v}");
    }
    // One image as base64 is taken too (2captcha-python's `vkimage(b64, steps)`).
    let b = b64(&png);
    let v = submit(
        &http,
        "",
        &[("method", "vkimage"), ("steps", "[1,2]"), ("body", &b)],
        &[],
    )
    .await;
    assert_eq!(v["status"], 1, "{v}");
    // CaptchaAI offers neither method.
    let v = submit(
        &http,
        "captchaai/",
        &[("method", "vkimage"), ("steps", "[1]")],
        &files,
    )
    .await;
    assert_eq!(v["request"], "ERROR_BAD_PARAMETERS", "{v}");
    let v = submit(&http, "captchaai/", &rotate, &files).await;
    assert_eq!(v["request"], "ERROR_BAD_PARAMETERS", "{v}");
}
