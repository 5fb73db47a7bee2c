//! Events that belong to a client rather than to a solve: the key's limits moving between
//! Redis and this process (`shared_limits`). The core tells them only to the client's own
//! handler (`ClientBuilder::on_event_handler`), on an engine thread.
//!
//! That thread must not wait for the GIL: the handler ignores every other step at once (no
//! GIL), converts the event, queues it, and a short-lived delivery thread takes the GIL and
//! hands the queue, in order, to the Python layer's function (which logs it on the
//! `capbridge` logger and calls the client's `on_event`). These events are rare (Redis going
//! away, coming back), so a thread per burst costs nothing that matters.

use crate::types::Event;
use pyo3::prelude::*;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

struct Queue {
    items: VecDeque<(Arc<Py<PyAny>>, Event)>,
    /// A delivery thread is running (in the process `pid`: a forked child has none).
    draining: bool,
    pid: u32,
}

static QUEUE: Mutex<Queue> = Mutex::new(Queue {
    items: VecDeque::new(),
    draining: false,
    pid: 0,
});

fn queue() -> std::sync::MutexGuard<'static, Queue> {
    QUEUE.lock().unwrap_or_else(|p| p.into_inner())
}

/// The client-level handler: `deliver(event)` is called for each `shared_limits` event.
pub(crate) fn handler(deliver: Py<PyAny>) -> capbridge::EventHandler {
    let deliver = Arc::new(deliver);
    Arc::new(move |e: &capbridge::Event| {
        if !matches!(e.step, capbridge::Step::SharedLimits { .. }) {
            return; // solve events reach Python through each solve's own callback
        }
        push(deliver.clone(), Event::from(e));
    })
}

fn push(deliver: Arc<Py<PyAny>>, event: Event) {
    let mut q = queue();
    let pid = std::process::id();
    if q.pid != pid {
        // A forked child: the parent's delivery thread does not exist here.
        q.pid = pid;
        q.draining = false;
    }
    q.items.push_back((deliver, event));
    if q.draining {
        return;
    }
    q.draining = true;
    let spawned = std::thread::Builder::new()
        .name("capbridge-notices".into())
        .spawn(drain);
    if spawned.is_err() {
        q.draining = false;
        q.items.clear();
    }
}

fn drain() {
    loop {
        let next = {
            let mut q = queue();
            match q.items.pop_front() {
                Some(item) => item,
                None => {
                    q.draining = false;
                    return;
                }
            }
        };
        let (deliver, event) = next;
        // Not at interpreter shutdown: then the event is dropped.
        let _ = Python::try_attach(|py| {
            let cb = deliver.bind(py);
            if let Err(err) = Bound::new(py, event).and_then(|ev| cb.call1((ev,))) {
                err.write_unraisable(py, Some(cb));
            }
        });
    }
}
