//! Callbacks: the form protocol's `pingback` and the json protocol's `callbackUrl`. Once a
//! task is solved, its result is POSTed to the URL: the getTaskResult reply as JSON (json; CapMonster
//! documents "the same content as getTaskResult", the other providers do not say), or the
//! `id` and `code` form fields (form, as 2captcha's pingback). Best effort, one try, a 2 s
//! timeout, and only to `http://127.0.0.1`, `http://localhost` or `http://[::1]`: the
//! emulator never calls out of the machine.

use crate::control::Shared;
use crate::state::CallbackJob;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const TIMEOUT: Duration = Duration::from_secs(2);

/// `(host:port to connect to, Host header, path)` of a local http URL.
fn local_target(url: &str) -> Result<(String, String, String), &'static str> {
    let rest = url
        .strip_prefix("http://")
        .ok_or("not an http:// URL (https is not supported)")?;
    let (authority, path) = match rest.find(['/', '?']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let path = if path.starts_with('?') {
        format!("/{path}")
    } else {
        path.to_owned()
    };
    if authority.contains('@') {
        return Err("credentials in the URL");
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, rest) = v6.split_once(']').ok_or("bad host")?;
        (h, rest.strip_prefix(':').unwrap_or(""))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, p),
            None => (authority, ""),
        }
    };
    let port: u16 = if port.is_empty() {
        80
    } else {
        port.parse().map_err(|_| "bad port")?
    };
    let ip = match host.to_ascii_lowercase().as_str() {
        "127.0.0.1" | "localhost" => "127.0.0.1".to_owned(),
        "::1" => "[::1]".to_owned(),
        _ => return Err("not a local address"),
    };
    Ok((format!("{ip}:{port}"), authority.to_owned(), path))
}

async fn post(url: &str, content_type: &str, body: &[u8]) -> Result<String, String> {
    let (addr, host, path) = local_target(url).map_err(|e| format!("skipped: {e}"))?;
    let attempt = async {
        let mut s = TcpStream::connect(&addr).await?;
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nUser-Agent: capbridge-emulator\r\nConnection: close\r\n\r\n",
            body.len()
        );
        s.write_all(head.as_bytes()).await?;
        s.write_all(body).await?;
        s.flush().await?;
        // The reply is not checked, only its status line read (best effort).
        let mut buf = [0u8; 64];
        let n = s.read(&mut buf).await.unwrap_or(0);
        let status = String::from_utf8_lossy(&buf[..n])
            .split_whitespace()
            .nth(1)
            .map(str::to_owned);
        Ok::<_, std::io::Error>(status)
    };
    match tokio::time::timeout(TIMEOUT, attempt).await {
        Ok(Ok(Some(status))) => Ok(format!("sent (HTTP {status})")),
        Ok(Ok(None)) => Ok("sent (no reply)".to_owned()),
        Ok(Err(e)) => Err(format!("failed: {e}")),
        Err(_) => Err("failed: timeout".to_owned()),
    }
}

/// Waits until the task is solved, POSTs its result, and records the outcome. The task's
/// time is read again whenever a test moves it ([`Shared::finish_pending`],
/// [`Shared::advance`]), so a held task's callback goes when the test lets the task go.
pub(crate) async fn deliver(shared: Arc<Shared>, job: CallbackJob) {
    let mut stopped = shared.stopped();
    let mut moved = shared.clock_moved();
    let work = async {
        loop {
            moved.borrow_and_update();
            let wait = {
                let st = shared.lock();
                let at = st.tasks.get(&job.id).map_or(job.at, |t| t.ready_at);
                at.saturating_duration_since(st.now())
            };
            if wait.is_zero() {
                break;
            }
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                // Ends the loop's wait when the clock moved; a closed channel (the emulator
                // is gone) is the stop's to handle, so it only sleeps then.
                changed = moved.changed() => if changed.is_err() {
                    tokio::time::sleep(wait).await;
                }
            }
        }
        let payload = {
            let st = shared.lock();
            st.callback_payload(job.id, st.now())
        };
        let Some((ct, body)) = payload else {
            return;
        };
        let outcome = post(&job.url, ct, &body).await;
        let mut st = shared.lock();
        match &outcome {
            Ok(_) => st.counters.callbacks_sent += 1,
            Err(e) if e.starts_with("skipped") => st.counters.callbacks_skipped += 1,
            Err(_) => st.counters.callbacks_failed += 1,
        }
        if let Some(t) = st.tasks.get_mut(&job.id) {
            t.callback = Some(outcome.unwrap_or_else(|e| e));
        }
    };
    tokio::select! {
        _ = work => {}
        _ = stopped.wait_for(|s| *s) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::local_target;

    #[test]
    fn only_local_http_urls() {
        assert_eq!(
            local_target("http://127.0.0.1:8081/cb?x=1").unwrap(),
            (
                "127.0.0.1:8081".to_owned(),
                "127.0.0.1:8081".to_owned(),
                "/cb?x=1".to_owned()
            )
        );
        assert_eq!(local_target("http://localhost").unwrap().2, "/");
        assert_eq!(local_target("http://[::1]:9/").unwrap().0, "[::1]:9");
        for bad in [
            "https://127.0.0.1/",
            "http://example.com/",
            "http://10.0.0.1/",
            "http://user:pw@127.0.0.1/",
            "http://127.0.0.1:99999/",
            "http://127.0.0.1.evil.com/",
        ] {
            assert!(local_target(bad).is_err(), "{bad}");
        }
    }
}
