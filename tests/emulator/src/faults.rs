//! Injecting faults into replies: those that replace the service (the request is not
//! processed) and those that spoil the reply after the service did its work.

use crate::scripting::{Fault, FaultKind};
use crate::server::{Body, RequestCopy, Wire, respond};
use bytes::{Bytes, BytesMut};
use http_body_util::{BodyExt, StreamBody};
use hyper::body::Frame;
use hyper::{Response, header};
use std::io;
use std::time::Duration;

const BAD_GATEWAY: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

const GATEWAY_TIMEOUT: &str = "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/// Where a `redirect` fault sends the client.
pub(crate) const REDIRECT_TARGET: &str = "http://redirect.invalid/steal?";

/// Size of an `oversized` body.
pub(crate) const OVERSIZED_BYTES: usize = 2 * 1024 * 1024;

/// Most request-body bytes copied into a redirect's `Location`.
const REDIRECT_BODY_MAX: usize = 8 * 1024;

/// The invalid UTF-8 a `non_utf8` fault inserts.
pub(crate) const INVALID_UTF8: &[u8] = b"\xff\xfe";

/// The reply of a fault that replaces processing ([`FaultKind::replaces_processing`]).
pub(crate) async fn before_processing(f: &Fault, req: &RequestCopy) -> Response<Body> {
    match f.fault {
        FaultKind::Html502 => respond(502, "text/html", BAD_GATEWAY),
        FaultKind::Http500 => respond(500, "text/plain", "Internal Server Error"),
        FaultKind::Empty => respond(200, "text/plain", ""),
        FaultKind::Reply => respond(
            f.status.unwrap_or(200),
            "text/plain; charset=utf-8",
            f.body.clone().unwrap_or_default(),
        ),
        FaultKind::Redirect => {
            let mut r = respond(f.status.unwrap_or(302), "text/html", "");
            let target = f.body.as_deref().unwrap_or(REDIRECT_TARGET);
            if let Ok(v) = header::HeaderValue::from_bytes(&redirect_location(target, req)) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        FaultKind::Oversized => respond(
            f.status.unwrap_or(200),
            "text/plain",
            Bytes::from(vec![b'x'; OVERSIZED_BYTES]),
        ),
        FaultKind::Echo => respond(f.status.unwrap_or(500), "text/plain", echo_body(req)),
        FaultKind::Stall => {
            // Never answers: the connection ends when the client closes it (hyper notices
            // the EOF and drops this future) or when the emulator stops.
            std::future::pending::<()>().await;
            respond(500, "text/plain", "Internal Server Error")
        }
        // Faults after processing do not come here; a plain 500 if one does.
        FaultKind::Drop
        | FaultKind::Truncate
        | FaultKind::Slow
        | FaultKind::Http504After
        | FaultKind::NonUtf8 => respond(500, "text/plain", "Internal Server Error"),
    }
}

/// `target` (`http://redirect.invalid/steal?` by default) + the query + `&` + the body, with
/// bytes a header cannot carry percent-encoded and everything else verbatim (the key shows
/// as it was sent).
fn redirect_location(target: &str, req: &RequestCopy) -> Vec<u8> {
    let mut raw: Vec<u8> = req.query.clone().unwrap_or_default().into_bytes();
    if !req.body.is_empty() {
        if !raw.is_empty() {
            raw.push(b'&');
        }
        raw.extend_from_slice(&req.body[..req.body.len().min(REDIRECT_BODY_MAX)]);
    }
    let mut out = target.as_bytes().to_vec();
    for b in raw {
        if (0x21..=0x7e).contains(&b) {
            out.push(b);
        } else {
            out.extend_from_slice(format!("%{b:02X}").as_bytes());
        }
    }
    out
}

/// The request verbatim: request line, headers, blank line, body.
fn echo_body(req: &RequestCopy) -> Bytes {
    let mut out = BytesMut::new();
    out.extend_from_slice(
        format!("{} {} {}\r\n", req.method, req.path_and_query, req.version).as_bytes(),
    );
    for (name, value) in &req.headers {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(&req.body);
    out.freeze()
}

/// Inserts invalid UTF-8: inside the first JSON string value (after `":"`), else after the
/// first `|` (`OK|\xff\xfe...`), else at the start.
pub(crate) fn spoil_utf8(body: &[u8]) -> Vec<u8> {
    let at = if body.first() == Some(&b'{') {
        find(body, b"\":\"")
            .map(|i| i + 3)
            .or_else(|| find(body, b"\"").map(|i| i + 1))
    } else {
        find(body, b"|").map(|i| i + 1)
    }
    .unwrap_or(0);
    let mut out = Vec::with_capacity(body.len() + INVALID_UTF8.len());
    out.extend_from_slice(&body[..at]);
    out.extend_from_slice(INVALID_UTF8);
    out.extend_from_slice(&body[at..]);
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Faults that spoil a processed reply (or none).
pub(crate) async fn after_processing(
    fault: Option<Fault>,
    wire: Wire,
) -> Result<Response<Body>, io::Error> {
    match fault.map(|f| (f.fault, f.delay_ms)) {
        // An error from the service makes hyper close the connection without a reply.
        Some((FaultKind::Drop, _)) => Err(io::Error::new(
            io::ErrorKind::ConnectionAborted,
            "fault: drop",
        )),
        Some((FaultKind::Truncate, _)) => {
            let full_len = wire.body.len();
            let half = wire.body.slice(..full_len / 2);
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
            Ok(wire.into_response())
        }
        Some((FaultKind::Http504After, _)) => Ok(respond(504, "text/html", GATEWAY_TIMEOUT)),
        Some((FaultKind::NonUtf8, _)) => Ok(Wire {
            body: Bytes::from(spoil_utf8(&wire.body)),
            ..wire
        }
        .into_response()),
        _ => Ok(wire.into_response()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_goes_inside_the_reply() {
        assert_eq!(spoil_utf8(b"OK|123"), b"OK|\xff\xfe123".to_vec());
        assert_eq!(
            spoil_utf8(br#"{"errorId":0,"status":"ready"}"#),
            b"{\"errorId\":0,\"status\":\"\xff\xfeready\"}".to_vec()
        );
        assert_eq!(
            spoil_utf8(br#"{"errorId":0,"taskId":5}"#),
            b"{\"\xff\xfeerrorId\":0,\"taskId\":5}".to_vec()
        );
        assert_eq!(spoil_utf8(b"12.5"), b"\xff\xfe12.5".to_vec());
        assert!(std::str::from_utf8(&spoil_utf8(b"")).is_err());
    }

    #[test]
    fn redirect_location_carries_the_request_verbatim_but_header_safe() {
        let req = RequestCopy {
            method: "POST".into(),
            path_and_query: "/in.php?json=1".into(),
            version: "HTTP/1.1".into(),
            query: Some("json=1".into()),
            headers: header::HeaderMap::new(),
            body: Bytes::from_static(b"key=K&x=a b\n\xff"),
        };
        let loc = redirect_location(REDIRECT_TARGET, &req);
        assert_eq!(
            loc,
            b"http://redirect.invalid/steal?json=1&key=K&x=a%20b%0A%FF".to_vec()
        );
        assert!(header::HeaderValue::from_bytes(&loc).is_ok());
    }
}
