//! Tasks: a kind and named fields, set with generic setters, or the core's JSON form. Both
//! reach the core's own parsing and validation (`Task::from_value`).

use crate::boundary::{ffi_boundary, with_error};
use crate::error::{capbridge_error, capbridge_status};
use crate::ffi;
use crate::fields::{self, Fields, Subject};
use base64::Engine as _;
use capbridge_core::{Error, Task, TaskKind};
use serde_json::{Value, json};
use std::ffi::c_char;

/// \brief A captcha to solve: a kind and its fields, built with the `capbridge_task_set_*`
/// functions (or given as JSON to capbridge_task_from_json()).
///
/// Made by capbridge_task_new() or capbridge_task_from_json(), freed with capbridge_task_free().
/// Fields are snake_case, as in every capbridge language.
/// Kinds and fields (generated from capbridge's catalogue of kinds):
///
/// "ImageToText": Text in a picture (jpg, png or gif, 100 bytes to 600 kB, at most 1000 px a
/// side). Fields: image (image bytes: capbridge_task_set_bytes(), or a path or base64 text,
/// required), upload (one of its values), phrase (bool), case_sensitive (bool), numeric (one of
/// its values), math (bool), min_length (integer), max_length (integer), lang (text), comment
/// (text).
///
/// "RecaptchaV2": reCAPTCHA v2: the checkbox, invisible and enterprise variants. Fields:
/// website_url (text, required), website_key (text, required), invisible (bool), data_s (text),
/// enterprise (bool), enterprise_payload (JSON object: capbridge_task_set_json()), api_domain
/// (text), user_agent (text), cookies (cookies: capbridge_task_add_cookie()), proxy (proxy URL:
/// capbridge_task_set_proxy()).
///
/// "RecaptchaV3": reCAPTCHA v3: score based, no challenge. Fields: website_url (text,
/// required), website_key (text, required), action (text), min_score (number), enterprise
/// (bool), enterprise_payload (JSON object: capbridge_task_set_json()), api_domain (text),
/// user_agent (text), cookies (cookies: capbridge_task_add_cookie()), proxy (proxy URL:
/// capbridge_task_set_proxy()).
///
/// "HCaptcha": hCaptcha. Fields: website_url (text, required), website_key (text, required),
/// api_domain (text), invisible (bool), rqdata (text), user_agent (text), proxy (proxy URL:
/// capbridge_task_set_proxy()).
///
/// "FunCaptcha": Arkose Labs FunCaptcha (token method). Fields: website_url (text, required),
/// public_key (text, required), surl (text), data (map: capbridge_task_set_data()), user_agent
/// (text), proxy (proxy URL: capbridge_task_set_proxy()).
///
/// "Turnstile": Cloudflare Turnstile (a widget or a challenge page). Fields: website_url (text,
/// required), website_key (text, required), action (text), cdata (text), page_data (text),
/// user_agent (text), proxy (proxy URL: capbridge_task_set_proxy()).
///
/// "CloudflareChallenge": Cloudflare's challenge page: the answer is the `cf_clearance` cookie,
/// valid only with the proxy and user agent it was earned with. Fields: website_url (text,
/// required), proxy (proxy URL: capbridge_task_set_proxy(), required), user_agent (text,
/// required), html (text), website_key (text).
///
/// "GeeTest": GeeTest v3: the slide puzzle identified by the page's `gt` and a fresh
/// `challenge`. Fields: website_url (text, required), gt (text, required), challenge (text,
/// required), api_server (text), user_agent (text), proxy (proxy URL:
/// capbridge_task_set_proxy()).
///
/// "GeeTestV4": GeeTest v4: identified by the page's `captcha_id`. Fields: website_url (text,
/// required), captcha_id (text, required), init_parameters (JSON object:
/// capbridge_task_set_json()), api_server (text), user_agent (text), proxy (proxy URL:
/// capbridge_task_set_proxy()).
///
/// "AmazonWaf": Amazon WAF's captcha: the values of the page's `window.gokuProps`. Fields:
/// website_url (text, required), website_key (text, required), iv (text, required), context
/// (text, required), challenge_script (text), captcha_script (text), user_agent (text), proxy
/// (proxy URL: capbridge_task_set_proxy()).
///
/// "DataDome": DataDome's captcha: the answer is the `datadome` cookie, valid only with the
/// proxy and user agent it was earned with. Fields: website_url (text, required), captcha_url
/// (text, required), user_agent (text, required), proxy (proxy URL: capbridge_task_set_proxy(),
/// required), datadome_cookie (text).
///
/// "MtCaptcha": MTCaptcha. Fields: website_url (text, required), website_key (text, required),
/// proxy (proxy URL: capbridge_task_set_proxy()).
///
/// "FriendlyCaptcha": Friendly Captcha. Fields: website_url (text, required), website_key
/// (text, required), proxy (proxy URL: capbridge_task_set_proxy()).
///
/// "Coordinates": Points to click in a picture ("click the birds"): the answer is their
/// coordinates. Fields: image (image bytes: capbridge_task_set_bytes(), or a path or base64
/// text, required), instructions (text), instructions_image (image bytes:
/// capbridge_task_set_bytes(), or a path or base64 text), min_clicks (integer), max_clicks
/// (integer), upload (one of its values).
///
/// "Grid": Tiles of a grid to select ("select all squares with buses"): the answer is their
/// numbers, from 1, left to right and top to bottom. Fields: image (image bytes:
/// capbridge_task_set_bytes(), or a path or base64 text, required), rows (integer), columns
/// (integer), instructions (text), instructions_image (image bytes: capbridge_task_set_bytes(),
/// or a path or base64 text), upload (one of its values).
///
/// "TextCaptcha": A question in words ("what is two plus three?"): the answer is text. Fields:
/// text (text, required), language (text).
///
/// "Audio": Words in a recording (an mp3, at most 1 MB): the answer is the text. Fields: audio
/// (mp3 bytes: capbridge_task_set_bytes(), or a path or base64 text, required), language (one
/// of its values, required).
///
/// "Rotate": A picture to turn upright: the answer is the angle. Fields: image (image bytes:
/// capbridge_task_set_bytes(), or a path or base64 text, required), angle_step (integer).
///
/// "Lemin": Lemin's cropped puzzle captcha. Fields: website_url (text, required), captcha_id
/// (text, required), div_id (text, required), api_server (text), user_agent (text), proxy
/// (proxy URL: capbridge_task_set_proxy()).
///
/// "Raw": A provider's own request, sent as given: the form protocol's fields (with `method`)
/// or the json protocol's task object (with `type`). Fields: request (JSON object:
/// capbridge_task_set_json(), required), files (images by part name: capbridge_task_set_json()
/// with base64 text).
///
/// (end of the generated list)
/// Every kind takes pingback and extra fields (capbridge_task_set_extra_string()). The fields
/// are checked when
/// the task is used (or by capbridge_task_validate()): an error names the field. A task may be
/// solved many times, from many threads at once, as long as no thread changes it meanwhile.
pub struct capbridge_task {
    fields: Fields,
}

impl capbridge_task {
    /// The core's task, parsed and validated by the core.
    pub(crate) fn to_core(&self) -> Result<Task, Error> {
        Task::from_value(Value::Object(self.fields.map()?))
    }
}

/// Runs a setter on a task; a NULL task has nowhere to remember the failure.
fn set(
    task: *mut capbridge_task,
    f: impl FnOnce(&mut Fields) -> capbridge_status,
) -> capbridge_status {
    match ffi::borrow_mut(task, "task") {
        Ok(t) => f(&mut t.fields),
        Err(_) => capbridge_status::CAPBRIDGE_ERR_USAGE,
    }
}

/// \brief Starts a task of one kind, with no fields yet.
///
/// \param kind a kind's name, as listed at capbridge_task ("ImageToText", "RecaptchaV2",
/// "GeeTest", ..., "Raw").
/// \param err receives the error on failure (an unknown kind); may be NULL.
/// \return a new task the caller frees with capbridge_task_free(); NULL on failure.
///
/// \code{.c}
/// capbridge_task *task = capbridge_task_new("RecaptchaV2", &err);
/// capbridge_task_set_string(task, "website_url", "https://example.com/login");
/// capbridge_task_set_string(task, "website_key", "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-");
/// capbridge_task_set_bool(task, "invisible", true);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_task_new(
    kind: *const c_char,
    err: *mut *mut capbridge_error,
) -> *mut capbridge_task {
    with_error(err, || {
        let kind = ffi::text(kind).map_err(|e| Error::invalid_field("type", e.reason()))?;
        if TaskKind::from_name(kind).is_none() {
            // The core's own words for an unknown kind.
            return Err(match Task::from_value(json!({ "type": kind })) {
                Err(e) => e,
                Ok(_) => Error::invalid_field("type", "is not a task type"),
            });
        }
        let mut map = serde_json::Map::new();
        map.insert("type".to_owned(), Value::String(kind.to_owned()));
        Ok(ffi::to_c(capbridge_task {
            fields: Fields::with_map(Subject::Task, map),
        }))
    })
}

/// \brief A task from the core's JSON form, checked at once.
///
/// \param json an object with a "type" and snake_case fields, as every capbridge language
/// takes it: images as base64 text, a data: URL or a file path; proxies as URLs; cookies as
/// an object, a list of pairs or "name:value;name2:value2".
/// \param err receives the error on failure (CAPBRIDGE_ERR_INVALID_TASK naming the field);
/// may be NULL.
/// \return a new task the caller frees with capbridge_task_free(); NULL on failure. Setters
/// may change it afterwards.
///
/// \code{.c}
/// capbridge_task *task = capbridge_task_from_json(
///   "{\"type\": \"Turnstile\", \"website_url\": \"https://site.example/\","
///   " \"website_key\": \"0x4AAAAAAAC3DHQFLr1GavRN\", \"action\": \"login\"}", &err);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_task_from_json(
    json: *const c_char,
    err: *mut *mut capbridge_error,
) -> *mut capbridge_task {
    with_error(err, || {
        let text = ffi::text(json).map_err(|e| Error::invalid_field("task", e.reason()))?;
        Task::from_json(text)?;
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => Ok(ffi::to_c(capbridge_task {
                fields: Fields::with_map(Subject::Task, map),
            })),
            // The core accepted it, so it is an object; this arm is never taken.
            _ => Err(Error::invalid_field("task", "expected a JSON object")),
        }
    })
}

/// \brief Frees a task. NULL is ignored. Solves already started keep their own copy.
///
/// \param task the task.
///
/// \code{.c}
/// capbridge_task_free(task);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_task_free(task: *mut capbridge_task) {
    ffi_boundary! { ffi::free(task) }
}

/// \brief Checks the task as a solve would, without sending anything.
///
/// \param task the task.
/// \param err receives the error (the first failed setter's, else the core's validation,
/// naming the field); may be NULL.
/// \return CAPBRIDGE_OK, or the error's kind (CAPBRIDGE_ERR_INVALID_TASK, CAPBRIDGE_ERR_PROXY,
/// or CAPBRIDGE_ERR_USAGE for a NULL argument).
///
/// \code{.c}
/// if (capbridge_task_validate(task, &err) != CAPBRIDGE_OK)
///   printf("%s: %s\n", capbridge_error_field(err), capbridge_error_message(err));
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_task_validate(
    task: *const capbridge_task,
    err: *mut *mut capbridge_error,
) -> capbridge_status {
    with_error(err, || {
        ffi::borrow(task, "task")?.to_core()?;
        Ok(capbridge_status::CAPBRIDGE_OK)
    })
}

/// \brief Sets a text field ("website_url", "website_key", "user_agent", "action", ...).
///
/// \param task the task.
/// \param field the field's snake_case name.
/// \param value its text (copied).
/// \return CAPBRIDGE_OK; CAPBRIDGE_ERR_INVALID_TASK for a NULL or non-UTF-8 value,
/// CAPBRIDGE_ERR_USAGE for a NULL task or name. A failure is also remembered: using the task
/// (solve, submit, validate) then fails with it.
///
/// \code{.c}
/// capbridge_task_set_string(task, "website_url", "https://example.com/login");
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_task_set_string(
    task: *mut capbridge_task,
    field: *const c_char,
    value: *const c_char,
) -> capbridge_status {
    ffi_boundary! { set(task, |f| f.set_with(field, |_| fields::text_value(value))) }
}

/// \brief Sets a true/false field ("invisible", "enterprise", "phrase", "case_sensitive",
/// "math").
///
/// \param task the task.
/// \param field the field's name.
/// \param value the flag.
/// \return CAPBRIDGE_OK, or CAPBRIDGE_ERR_USAGE for a NULL task or name (remembered).
///
/// \code{.c}
/// capbridge_task_set_bool(task, "invisible", true);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_task_set_bool(
    task: *mut capbridge_task,
    field: *const c_char,
    value: bool,
) -> capbridge_status {
    ffi_boundary! { set(task, |f| f.set_with(field, |_| Ok(Value::Bool(value)))) }
}

/// \brief Sets a whole-number field ("min_length", "max_length", "numeric").
///
/// \param task the task.
/// \param field the field's name.
/// \param value the number (the core checks its range).
/// \return CAPBRIDGE_OK, or CAPBRIDGE_ERR_USAGE for a NULL task or name (remembered).
///
/// \code{.c}
/// capbridge_task_set_int(task, "min_length", 4);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_task_set_int(
    task: *mut capbridge_task,
    field: *const c_char,
    value: i64,
) -> capbridge_status {
    ffi_boundary! { set(task, |f| f.set_with(field, |_| Ok(Value::from(value)))) }
}

/// \brief Sets a number field ("min_score").
///
/// \param task the task.
/// \param field the field's name.
/// \param value the number; NaN and infinities are refused.
/// \return CAPBRIDGE_OK; CAPBRIDGE_ERR_INVALID_TASK for a number that is not finite,
/// CAPBRIDGE_ERR_USAGE for a NULL task or name (remembered).
///
/// \code{.c}
/// capbridge_task_set_double(task, "min_score", 0.7);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_task_set_double(
    task: *mut capbridge_task,
    field: *const c_char,
    value: f64,
) -> capbridge_status {
    ffi_boundary! { set(task, |f| f.set_with(field, |_| fields::double_value(value))) }
}

/// \brief Sets a field to any JSON value (an object of cookies, a whole "data" object, ...).
///
/// \param task the task.
/// \param field the field's name.
/// \param json the value as JSON text (copied).
/// \return CAPBRIDGE_OK; CAPBRIDGE_ERR_INVALID_TASK for JSON that does not parse,
/// CAPBRIDGE_ERR_USAGE for a NULL task or name (remembered).
///
/// \code{.c}
/// capbridge_task_set_json(task, "cookies", "{\"NID\": \"abc\", \"SID\": \"x=y\"}");
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_task_set_json(
    task: *mut capbridge_task,
    field: *const c_char,
    json: *const c_char,
) -> capbridge_status {
    ffi_boundary! { set(task, |f| f.set_with(field, |_| fields::json_value(json))) }
}

/// \brief Removes a field (back to its default).
///
/// \param task the task.
/// \param field the field's name; removing a field that is not set does nothing.
/// \return CAPBRIDGE_OK, or CAPBRIDGE_ERR_USAGE for a NULL task or name (remembered).
///
/// \code{.c}
/// capbridge_task_unset(task, "proxy");
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_task_unset(
    task: *mut capbridge_task,
    field: *const c_char,
) -> capbridge_status {
    ffi_boundary! { set(task, |f| f.unset(field)) }
}

/// \brief Sets the image of an ImageToText task from bytes (jpg, png or gif).
///
/// \param task the task.
/// \param bytes the image (copied); may be NULL only when `len` is 0.
/// \param len its size in bytes (the core accepts 100 B to 600 kB).
/// \return CAPBRIDGE_OK; CAPBRIDGE_ERR_INVALID_TASK for NULL bytes, CAPBRIDGE_ERR_USAGE for a
/// NULL task (remembered). A file path works too: capbridge_task_set_string(task, "image",
/// "captcha.png").
///
/// \code{.c}
/// capbridge_task *task = capbridge_task_new("ImageToText", &err);
/// capbridge_task_set_image(task, png, png_len);
/// capbridge_task_set_int(task, "numeric", 1);   // digits only
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_task_set_image(
    task: *mut capbridge_task,
    bytes: *const u8,
    len: usize,
) -> capbridge_status {
    ffi_boundary! {
        set(task, |f| match ffi::bytes(bytes, len) {
            // A data: URL is the one text form of image bytes the core reads unambiguously.
            Some(b) => f.set_with(c"image".as_ptr(), |_| {
                Ok(Value::String(format!(
                    "data:application/octet-stream;base64,{}",
                    base64::engine::general_purpose::STANDARD.encode(b)
                )))
            }),
            None => f.fail("image", "the image bytes are NULL".to_owned()),
        })
    }
}

/// \brief Sets a field that holds bytes (an image, an mp3 recording) from a buffer.
///
/// \param task the task.
/// \param field the field's name ("image", "audio", "instructions_image").
/// \param bytes the bytes; copied, so the caller keeps ownership of the buffer.
/// \param len their size in bytes (the core checks the size and format per field).
/// \return CAPBRIDGE_OK; CAPBRIDGE_ERR_INVALID_TASK for NULL bytes, CAPBRIDGE_ERR_USAGE for a
/// NULL task or name (remembered). A file path works too: capbridge_task_set_string(task,
/// "audio", "captcha.mp3").
///
/// \code{.c}
/// capbridge_task *task = capbridge_task_new("Audio", &err);
/// capbridge_task_set_bytes(task, "audio", mp3, mp3_len);
/// capbridge_task_set_string(task, "language", "en");
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_task_set_bytes(
    task: *mut capbridge_task,
    field: *const c_char,
    bytes: *const u8,
    len: usize,
) -> capbridge_status {
    ffi_boundary! {
        set(task, |f| match ffi::bytes(bytes, len) {
            // A data: URL is the one text form of bytes the core reads unambiguously.
            Some(b) => f.set_with(field, |_| {
                Ok(Value::String(format!(
                    "data:application/octet-stream;base64,{}",
                    base64::engine::general_purpose::STANDARD.encode(b)
                )))
            }),
            None => f.set_with(field, |_| Err("the bytes are NULL".to_owned())),
        })
    }
}

/// \brief Sets the proxy the service's worker solves through.
///
/// \param task the task.
/// \param url "http://user:pass@1.2.3.4:3128", "socks5://host:1080", "host:port", ... (the
/// password never appears in errors or events).
/// \return CAPBRIDGE_OK; CAPBRIDGE_ERR_INVALID_TASK for a NULL or non-UTF-8 URL,
/// CAPBRIDGE_ERR_USAGE for a NULL task (remembered). The URL itself is checked when the task
/// is used.
///
/// \code{.c}
/// capbridge_task_set_proxy(task, "http://user:pass@1.2.3.4:3128");
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_task_set_proxy(
    task: *mut capbridge_task,
    url: *const c_char,
) -> capbridge_status {
    ffi_boundary! { set(task, |f| f.set_with(c"proxy".as_ptr(), |_| fields::text_value(url))) }
}

/// \brief Adds a cookie to a RecaptchaV2 task (kept in the order added).
///
/// \param task the task.
/// \param name the cookie's name.
/// \param value its value.
/// \return CAPBRIDGE_OK; CAPBRIDGE_ERR_INVALID_TASK for a NULL or non-UTF-8 name or value,
/// CAPBRIDGE_ERR_USAGE for a NULL task (remembered).
///
/// \code{.c}
/// capbridge_task_add_cookie(task, "NID", "abc");
/// capbridge_task_add_cookie(task, "SID", "x=y");
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_task_add_cookie(
    task: *mut capbridge_task,
    name: *const c_char,
    value: *const c_char,
) -> capbridge_status {
    ffi_boundary! {
        set(task, |f| {
            let pair = fields::text_part(name, "the cookie name").and_then(|n| {
                fields::text_part(value, "the cookie value").map(|v| json!([n, v]))
            });
            f.push("cookies", pair)
        })
    }
}

/// \brief Sets one entry of a FunCaptcha task's "data" (sent as data[key]=value).
///
/// \param task the task.
/// \param key the entry's key ("blob", ...).
/// \param value its value.
/// \return CAPBRIDGE_OK; CAPBRIDGE_ERR_INVALID_TASK for a NULL or non-UTF-8 key or value,
/// CAPBRIDGE_ERR_USAGE for a NULL task (remembered).
///
/// \code{.c}
/// capbridge_task_set_data(task, "blob", blob);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_task_set_data(
    task: *mut capbridge_task,
    key: *const c_char,
    value: *const c_char,
) -> capbridge_status {
    ffi_boundary! {
        set(task, |f| {
            let entry = fields::text_part(key, "the data key")
                .and_then(|k| fields::text_part(value, "the data value").map(|v| (k, v)));
            f.edit_object("data", |m| {
                let (k, v) = entry?;
                m.insert(k, Value::String(v));
                Ok(())
            })
        })
    }
}

/// \brief Adds a field the service takes that capbridge does not name, sent as given (the
/// escape hatch for service options capbridge does not know yet).
///
/// \param task the task.
/// \param name the service's own name for it.
/// \param value its text.
/// \return CAPBRIDGE_OK; CAPBRIDGE_ERR_INVALID_TASK for a NULL or non-UTF-8 name or value,
/// CAPBRIDGE_ERR_USAGE for a NULL task (remembered).
///
/// \code{.c}
/// capbridge_task_set_extra_string(task, "s", "custom");
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_task_set_extra_string(
    task: *mut capbridge_task,
    name: *const c_char,
    value: *const c_char,
) -> capbridge_status {
    ffi_boundary! {
        set(task, |f| {
            let entry = fields::text_part(name, "the extra field's name")
                .and_then(|n| match fields::text_value(value) {
                    Ok(v) => Ok((n, v)),
                    Err(e) => Err(format!("the value of {n:?} {e}")),
                });
            f.edit_object("extra", |m| {
                let (n, v) = entry?;
                m.insert(n, v);
                Ok(())
            })
        })
    }
}

/// \brief Adds an extra field (see capbridge_task_set_extra_string()) with any JSON value.
///
/// \param task the task.
/// \param name the service's own name for it.
/// \param json its value as JSON text (a json-protocol service gets it as that JSON value).
/// \return CAPBRIDGE_OK; CAPBRIDGE_ERR_INVALID_TASK for a NULL name or JSON that does not
/// parse, CAPBRIDGE_ERR_USAGE for a NULL task (remembered).
///
/// \code{.c}
/// capbridge_task_set_extra_json(task, "isInvisible", "true");
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_task_set_extra_json(
    task: *mut capbridge_task,
    name: *const c_char,
    json: *const c_char,
) -> capbridge_status {
    ffi_boundary! {
        set(task, |f| {
            let entry = fields::text_part(name, "the extra field's name")
                .and_then(|n| match fields::json_value(json) {
                    Ok(v) => Ok((n, v)),
                    Err(e) => Err(format!("{n:?}: {e}")),
                });
            f.edit_object("extra", |m| {
                let (n, v) = entry?;
                m.insert(n, v);
                Ok(())
            })
        })
    }
}
