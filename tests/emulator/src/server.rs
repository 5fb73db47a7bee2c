//! The HTTP/1.1 server: routing, faults, and the wire form of replies.
//!
//! Built on hyper directly rather than a framework, because faults need what frameworks hide:
//! closing a connection without a reply, or sending half a body under a full
//! `Content-Length`.

use crate::control::Shared;
use crate::protocol::params::Params;
use crate::reply::{Reply, Style, var_dump};
use crate::scripting::{Fault, FaultKind};
use crate::state::Endpoint;
use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Frame, Incoming};
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
    conns.abort_all();
}

fn endpoint_of(path: &str) -> Option<Endpoint> {
    let last = path.rsplit('/').next().unwrap_or("");
    match last {
        "in.php" => Some(Endpoint::In),
        "res.php" => Some(Endpoint::Res),
        _ => None,
    }
}

async fn handle(
    shared: Arc<Shared>,
    ip: IpAddr,
    req: Request<Incoming>,
) -> Result<Response<Body>, io::Error> {
    let path = req.uri().path().to_owned();
    if path.starts_with("/emulator/") || path == "/emulator" {
        return Ok(crate::admin::handle(&shared, req).await);
    }
    let Some(endpoint) = endpoint_of(&path) else {
        shared.lock().counters.requests += 1;
        if path == "/" {
            return Ok(respond(200, "text/plain; charset=utf-8", INDEX));
        }
        return Ok(respond(404, "text/plain; charset=utf-8", "Not Found"));
    };
    let fault = shared.lock().take_fault(endpoint);
    if let Some(f) = &fault
        && let Some(r) = before_processing(f)
    {
        let mut st = shared.lock();
        st.counters.requests += 1;
        match endpoint {
            Endpoint::In => st.counters.in_requests += 1,
            Endpoint::Res => st.counters.res_requests += 1,
        }
        return Ok(r);
    }
    let query = req.uri().query().map(str::to_owned);
    let ct = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let read = Params::read(query.as_deref(), ct.as_deref(), req.into_body()).await;
    let (params, read_error) = match read {
        Ok(p) => (p, None),
        Err(code) => (Params::default(), Some(code)),
    };
    let style = Style {
        json: params.flag("json"),
        acao: params.flag("header_acao"),
        dump: params.flag("debug_dump").then(|| var_dump(&params.pairs)),
    };
    let reply = {
        let mut st = shared.lock();
        let now = Instant::now();
        st.counters.requests += 1;
        let action = match endpoint {
            Endpoint::In => {
                st.counters.in_requests += 1;
                format!("in:{}", params.get("method").unwrap_or("none"))
            }
            Endpoint::Res => {
                st.counters.res_requests += 1;
                match (
                    params.get("action").unwrap_or(""),
                    params.get("ids").is_some(),
                ) {
                    ("get", true) => "res:get_batch".to_owned(),
                    (a @ ("get" | "getbalance" | "reportgood" | "reportbad"), _) => {
                        format!("res:{a}")
                    }
                    _ => "res:other".to_owned(),
                }
            }
        };
        crate::counters::Counters::bump(&mut st.counters.actions, &action);
        let reply = match (read_error, endpoint) {
            (Some(code), _) => style.code(code),
            (None, Endpoint::In) => st.submit(now, ip, &params, &style),
            (None, Endpoint::Res) => st.res(now, ip, &params, &style),
        };
        if let Some(code) = &reply.code {
            crate::counters::Counters::bump(&mut st.counters.replies, code);
        }
        reply
    };
    after_processing(fault, reply).await
}

/// Faults that replace processing. `None` for those that happen after it.
fn before_processing(f: &Fault) -> Option<Response<Body>> {
    match f.fault {
        FaultKind::Html502 => Some(respond(502, "text/html", BAD_GATEWAY)),
        FaultKind::Http500 => Some(respond(500, "text/plain", "Internal Server Error")),
        FaultKind::Empty => Some(respond(200, "text/plain", "")),
        FaultKind::Reply => Some(respond(
            f.status.unwrap_or(200),
            "text/plain; charset=utf-8",
            f.body.clone().unwrap_or_default(),
        )),
        FaultKind::Drop | FaultKind::Truncate | FaultKind::Slow => None,
    }
}

fn to_response(reply: &Reply) -> Response<Body> {
    let ct = if reply.json {
        "application/json"
    } else {
        "text/plain; charset=utf-8"
    };
    let mut r = respond(reply.status, ct, reply.body.clone());
    if reply.acao {
        r.headers_mut().insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            header::HeaderValue::from_static("*"),
        );
    }
    r
}

async fn after_processing(fault: Option<Fault>, reply: Reply) -> Result<Response<Body>, io::Error> {
    match fault.map(|f| (f.fault, f.delay_ms)) {
        // An error from the service makes hyper close the connection without a reply.
        Some((FaultKind::Drop, _)) => Err(io::Error::new(
            io::ErrorKind::ConnectionAborted,
            "fault: drop",
        )),
        Some((FaultKind::Truncate, _)) => {
            let full_len = reply.body.len();
            let half = Bytes::from(reply.body.into_bytes()).slice(..full_len / 2);
            // Half the body goes out; the error comes a moment later, after hyper has flushed
            // it (an immediate error would abort before anything is written).
            let frames = futures_util::stream::unfold(Some(half), |half| async move {
                match half {
                    Some(h) => Some((Ok(Frame::data(h)), None)),
                    None => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        let e = io::Error::new(io::ErrorKind::UnexpectedEof, "fault: truncate");
                        Some((Err(e), None))
                    }
                }
            });
            let body = StreamBody::new(frames).boxed();
            let mut r = Response::new(body);
            r.headers_mut()
                .insert(header::CONTENT_LENGTH, header::HeaderValue::from(full_len));
            Ok(r)
        }
        Some((FaultKind::Slow, delay)) => {
            tokio::time::sleep(Duration::from_millis(delay.unwrap_or(5_000))).await;
            Ok(to_response(&reply))
        }
        _ => Ok(to_response(&reply)),
    }
}

const BAD_GATEWAY: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

const INDEX: &str = "capbridge emulator: a local captcha service speaking the form protocol.\n\
POST/GET /in.php   submit a task\n\
GET      /res.php  action=get|getbalance|reportgood|reportbad (and get&ids=1,2,3)\n\
GET      /emulator/counters, /emulator/config, /emulator/tasks/ID, /emulator/submits?key=KEY\n\
POST     /emulator/reset, /emulator/config, /emulator/accounts, /emulator/rules, /emulator/faults, /emulator/delays\n\
DELETE   /emulator/rules, /emulator/faults\n";
