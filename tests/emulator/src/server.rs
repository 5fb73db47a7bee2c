//! The HTTP/1.1 server: routing, the request log, faults, and the wire form of replies.
//!
//! Built on hyper directly rather than a framework, because faults need what frameworks hide:
//! closing a connection without a reply, sending half a body under a full `Content-Length`,
//! or never answering at all.
//!
//! | path | protocol |
//! |---|---|
//! | `/in.php`, `/res.php`, and `/<anything>/in.php` (`/bigcaptcha/in.php`, ...) | form |
//! | `/createTask`, `/getTaskResult`, `/getBalance`, `/<report method>` | json, `generic` profile |
//! | `/<profile>/<method>` for the json profiles | json, that profile |
//! | `/emulator/...` | admin API |

use crate::control::Shared;
use crate::counters::Counters;
use crate::faults;
use crate::json::profile::{self, GENERIC, Profile};
use crate::protocol::dialect::FormDialect;
use crate::protocol::params::Params;
use crate::reply::{Style, var_dump};
use crate::reqlog::RequestRecord;
use crate::scripting::Fault;
use crate::state::{CallbackJob, Endpoint, State};
use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode, header};
use hyper_util::rt::TokioIo;
use std::io;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinSet;

pub(crate) type Body = BoxBody<Bytes, io::Error>;

/// Largest request body read: the most a client may send in one in.php upload (20 file parts
/// of 600 kB, as capbridge's `Raw` files allow, in multipart) fits, with room for the fields.
const MAX_BODY: usize = 16 * 1024 * 1024;

pub(crate) fn full(body: impl Into<Bytes>) -> Body {
    Full::new(body.into())
        .map_err(|never| match never {})
        .boxed()
}

pub(crate) fn respond(status: u16, content_type: &str, body: impl Into<Bytes>) -> Response<Body> {
    let mut r = Response::new(full(body));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    if let Ok(v) = content_type.parse() {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    r
}

/// Accepts connections until `stop` fires, then closes them all.
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut stop: oneshot::Receiver<()>,
) {
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(a) => a,
                    Err(_) => {
                        // Out of descriptors or a reset during accept: pause instead of spinning.
                        tokio::time::sleep(Duration::from_millis(5)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let shared = shared.clone();
                conns.spawn(async move {
                    let ip = peer.ip();
                    let svc = service_fn(move |req| handle(shared.clone(), ip, req));
                    let _ = http1::Builder::new()
                        .keep_alive(true)
                        .serve_connection(TokioIo::new(stream), svc)
                        .await;
                });
            }
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
    shared.set_stopped();
    conns.abort_all();
}

/// Where a request goes.
enum Route {
    Admin,
    Index,
    NotFound,
    Form {
        endpoint: Endpoint,
        prefix: String,
    },
    Json {
        profile: &'static Profile,
        method: String,
        endpoint: Endpoint,
        prefix: String,
    },
    /// The stand-in widgets and siteverify (`crate::widgets`).
    Browser(crate::widgets::Page),
}

fn route(path: &str) -> Route {
    if path == "/emulator" || path.starts_with("/emulator/") {
        return Route::Admin;
    }
    if path == "/" {
        return Route::Index;
    }
    if let Some(page) = crate::widgets::route(path) {
        return Route::Browser(page);
    }
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let Some((last, before)) = segs.split_last() else {
        return Route::NotFound;
    };
    let form = match *last {
        "in.php" => Some(Endpoint::In),
        "res.php" => Some(Endpoint::Res),
        _ => None,
    };
    if let Some(endpoint) = form {
        return Route::Form {
            endpoint,
            prefix: before.join("/"),
        };
    }
    let (profile, prefix) = match before {
        [] if profile::is_root_method(last) => (&GENERIC, ""),
        [p] => match Profile::by_name(p) {
            Some(profile) => (profile, *p),
            None => return Route::NotFound,
        },
        _ => return Route::NotFound,
    };
    let endpoint = match *last {
        "createTask" => Endpoint::Create,
        "getTaskResult" => Endpoint::Result,
        "getBalance" => Endpoint::Balance,
        m if profile.report_method(m).is_some() => Endpoint::Report,
        _ => Endpoint::JsonOther,
    };
    Route::Json {
        profile,
        method: (*last).to_owned(),
        endpoint,
        prefix: prefix.to_owned(),
    }
}

/// A reply ready for the wire.
pub(crate) struct Wire {
    pub(crate) status: u16,
    pub(crate) content_type: &'static str,
    pub(crate) body: Bytes,
    pub(crate) acao: bool,
}

impl Wire {
    pub(crate) fn into_response(self) -> Response<Body> {
        let mut r = respond(self.status, self.content_type, self.body);
        if self.acao {
            r.headers_mut().insert(
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                header::HeaderValue::from_static("*"),
            );
        }
        r
    }
}

/// What the fault code needs to know of the request.
pub(crate) struct RequestCopy {
    pub(crate) method: String,
    pub(crate) path_and_query: String,
    pub(crate) version: String,
    pub(crate) query: Option<String>,
    pub(crate) headers: header::HeaderMap,
    pub(crate) body: Bytes,
}

async fn handle(
    shared: Arc<Shared>,
    ip: IpAddr,
    req: Request<Incoming>,
) -> Result<Response<Body>, io::Error> {
    let route = route(req.uri().path());
    if let Route::Admin = route {
        return Ok(crate::admin::handle(&shared, req).await);
    }
    let (parts, body) = req.into_parts();
    let (body, too_big) = match Limited::new(body, MAX_BODY).collect().await {
        Ok(c) => (c.to_bytes(), false),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => (Bytes::new(), true),
        Err(e) => return Err(io::Error::other(e)),
    };
    let header = |name: header::HeaderName| {
        parts
            .headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    };
    let content_type = header(header::CONTENT_TYPE);
    let record = RequestRecord {
        seq: 0,
        at_ms: 0,
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        referer: header(header::REFERER),
        user_agent: header(header::USER_AGENT),
        content_type: content_type.clone(),
        body_len: body.len(),
        key: None,
        endpoint: "other".to_owned(),
        prefix: String::new(),
        fault: None,
    };
    let request = RequestCopy {
        method: record.method.clone(),
        path_and_query: parts
            .uri
            .path_and_query()
            .map_or_else(|| record.path.clone(), |p| p.as_str().to_owned()),
        version: format!("{:?}", parts.version),
        query: record.query.clone(),
        headers: parts.headers,
        body,
    };

    match route {
        Route::Admin => Ok(respond(404, "text/plain", "Not Found")),
        Route::Browser(page) => Ok(crate::widgets::serve(&shared, page, &request)),
        Route::Index | Route::NotFound => {
            let mut st = shared.lock();
            st.counters.requests += 1;
            let mut record = record;
            record.at_ms = ms_since(st.started);
            st.requests.push(record);
            Ok(if matches!(route, Route::Index) {
                respond(200, "text/plain; charset=utf-8", INDEX)
            } else {
                respond(404, "text/plain; charset=utf-8", "Not Found")
            })
        }
        Route::Form { endpoint, prefix } => {
            let read = if too_big {
                Err("ERROR_TOO_BIG_CAPTCHA_FILESIZE")
            } else {
                Params::parse(
                    request.query.as_deref(),
                    content_type.as_deref(),
                    request.body.clone(),
                )
                .await
            };
            let (params, read_error) = match read {
                Ok(p) => (p, None),
                Err(code) => (Params::default(), Some(code)),
            };
            let record = RequestRecord {
                key: params.get("key").map(str::to_owned),
                ..record
            };
            let style = Style {
                json: params.flag("json"),
                acao: params.flag("header_acao"),
                dump: params.flag("debug_dump").then(|| var_dump(&params.pairs)),
            };
            serve_one(&shared, &request, record, endpoint, &prefix, |st| {
                let now = st.now();
                let action = match endpoint {
                    Endpoint::In => format!("in:{}", params.get("method").unwrap_or("none")),
                    _ => match (
                        params.get("action").unwrap_or(""),
                        params.get("ids").is_some(),
                    ) {
                        ("get", true) => "res:get_batch".to_owned(),
                        (a @ ("get" | "getbalance" | "reportgood" | "reportbad"), _) => {
                            format!("res:{a}")
                        }
                        _ => "res:other".to_owned(),
                    },
                };
                Counters::bump(&mut st.counters.actions, &action);
                let reply = match (read_error, endpoint) {
                    (Some(code), _) => style.code(code),
                    (None, Endpoint::In) => {
                        st.submit(now, ip, &params, &style, FormDialect::for_prefix(&prefix))
                    }
                    (None, _) => st.res(now, ip, &params, &style),
                };
                if let Some(code) = &reply.code {
                    Counters::bump(&mut st.counters.replies, code);
                }
                Wire {
                    status: reply.status,
                    content_type: if reply.json {
                        "application/json"
                    } else {
                        "text/plain; charset=utf-8"
                    },
                    body: Bytes::from(reply.body),
                    acao: reply.acao,
                }
            })
            .await
        }
        Route::Json {
            profile,
            method,
            endpoint,
            prefix,
        } => {
            let record = RequestRecord {
                key: serde_json::from_slice::<serde_json::Value>(&request.body)
                    .ok()
                    .and_then(|v| v.get("clientKey")?.as_str().map(str::to_owned)),
                ..record
            };
            serve_one(&shared, &request, record, endpoint, &prefix, |st| {
                let action = if profile.serves(&method) {
                    format!("json:{method}")
                } else {
                    "json:other".to_owned()
                };
                Counters::bump(&mut st.counters.actions, &action);
                let reply = if too_big {
                    profile.error(profile.codes.image_too_big)
                } else {
                    let now = st.now();
                    st.json(now, profile, &method, &request.body)
                };
                if let Some(code) = &reply.code {
                    Counters::bump(&mut st.counters.replies, code);
                }
                Wire {
                    status: reply.status,
                    content_type: "application/json",
                    body: Bytes::from(reply.body.to_string()),
                    acao: false,
                }
            })
            .await
        }
    }
}

fn ms_since(t: Instant) -> u64 {
    u64::try_from(t.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// What happened under the lock.
enum Served {
    /// A fault answers instead of the service.
    Replaced(Fault),
    /// The service answered (and a fault may spoil the reply).
    Processed(Option<Fault>, Wire, Vec<CallbackJob>),
}

/// One protocol request: logs it, counts it, picks its fault, and runs `process` (the
/// service) unless the fault replaces it, all under one acquisition of the lock.
async fn serve_one(
    shared: &Arc<Shared>,
    request: &RequestCopy,
    mut record: RequestRecord,
    endpoint: Endpoint,
    prefix: &str,
    process: impl FnOnce(&mut State) -> Wire,
) -> Result<Response<Body>, io::Error> {
    let served = {
        let mut st = shared.lock();
        let batch = endpoint == Endpoint::Res
            && request
                .query
                .as_deref()
                .is_some_and(|q| q.split('&').any(|p| p.starts_with("ids=")));
        let fault = st.take_fault(endpoint, prefix, batch);
        record.at_ms = ms_since(st.started);
        record.endpoint = endpoint.name().to_owned();
        record.prefix = prefix.to_owned();
        record.fault = fault.as_ref().map(|f| f.fault.name().to_owned());
        st.requests.push(record);
        st.counters.requests += 1;
        let label = match (prefix, endpoint.is_json()) {
            ("", false) => "form",
            ("", true) => "generic",
            (p, _) => p,
        };
        Counters::bump(&mut st.counters.prefixes, label);
        match endpoint {
            Endpoint::In => st.counters.in_requests += 1,
            Endpoint::Res => st.counters.res_requests += 1,
            _ => st.counters.json_requests += 1,
        }
        match fault {
            Some(f) if f.fault.replaces_processing() => Served::Replaced(f),
            fault => {
                let wire = process(&mut st);
                Served::Processed(fault, wire, std::mem::take(&mut st.pending_callbacks))
            }
        }
    };
    match served {
        Served::Replaced(f) => Ok(faults::before_processing(&f, request).await),
        Served::Processed(fault, wire, jobs) => {
            for job in jobs {
                tokio::spawn(crate::callback::deliver(shared.clone(), job));
            }
            faults::after_processing(fault, wire).await
        }
    }
}

const INDEX: &str = "capbridge emulator: a local captcha service speaking the form protocol and the json protocol.\n\
form:  POST/GET /in.php  submit a task; GET /res.php action=get|getbalance|reportgood|reportbad (and get&ids=1,2,3)\n\
       also under /bigcaptcha/, /captchaai/, /2captcha/, /rucaptcha/ (each provider's methods)\n\
json:  POST /createTask, /getTaskResult, /getBalance, report methods (tolerant generic profile)\n\
       POST /<profile>/createTask ... for anti-captcha, capmonster, capsolver, nextcaptcha, 2captcha-v2\n\
admin: GET  /emulator/counters, /emulator/config, /emulator/tasks/ID, /emulator/tasks?key=KEY, /emulator/requests?limit=N,\n\
            /emulator/submits?key=KEY, /emulator/profiles\n\
       POST /emulator/reset, /emulator/config, /emulator/accounts, /emulator/rules, /emulator/faults, /emulator/delays\n\
       DELETE /emulator/rules, /emulator/faults\n";
