//! Which provider and task kind a task id belongs to, for the verbs that get only an id
//! (`result`, `wait`, `report`): a failover client must ask the provider that has the task,
//! and some protocols poll or report each kind differently. Also the answers a provider gave
//! in its submit reply (CapSolver's images), so that `result` can hand them out.
//!
//! Bounded: the oldest entries go first once it holds [`CAPACITY`] ids.

use crate::solution::Solution;
use crate::task::TaskKind;
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// Most task ids remembered.
pub(crate) const CAPACITY: usize = 100_000;
/// Most answers from submit replies remembered.
const ANSWERS: usize = 1_000;

#[derive(Default)]
pub(crate) struct Memory {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    tasks: HashMap<String, (usize, TaskKind)>,
    order: VecDeque<String>,
    answers: HashMap<String, Solution>,
    answer_order: VecDeque<String>,
}

impl Memory {
    /// Remembers that `task_id` of `kind` lives at provider number `backend`.
    pub(crate) fn remember(&self, task_id: &str, backend: usize, kind: TaskKind) {
        let mut m = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if m.tasks
            .insert(task_id.to_owned(), (backend, kind))
            .is_none()
        {
            m.order.push_back(task_id.to_owned());
        }
        while m.order.len() > CAPACITY {
            if let Some(old) = m.order.pop_front() {
                m.tasks.remove(&old);
            }
        }
    }

    /// Where `task_id` lives and its kind, if remembered.
    pub(crate) fn lookup(&self, task_id: &str) -> Option<(usize, TaskKind)> {
        let m = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        m.tasks.get(task_id).copied()
    }

    /// Keeps an answer given in a submit reply.
    pub(crate) fn keep_answer(&self, s: &Solution) {
        let mut m = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if m.answers.insert(s.task_id.clone(), s.clone()).is_none() {
            m.answer_order.push_back(s.task_id.clone());
        }
        while m.answer_order.len() > ANSWERS {
            if let Some(old) = m.answer_order.pop_front() {
                m.answers.remove(&old);
            }
        }
    }

    /// An answer given in a submit reply.
    pub(crate) fn answer(&self, task_id: &str) -> Option<Solution> {
        let m = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        m.answers.get(task_id).cloned()
    }
}
