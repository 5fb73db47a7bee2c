//! `in.php`: submit a task.

use super::dialect::FormDialect;
use super::params::{Params, Upload};
use super::validate;
use crate::answers;
use crate::reply::{Reply, Style};
use crate::scripting::Submitted;
use crate::state::{CallbackJob, Outcome, State, TaskId, TaskRec};
use std::net::IpAddr;
use std::time::{Duration, Instant};

impl State {
    /// Handles an `in.php` request.
    pub(crate) fn submit(
        &mut self,
        now: Instant,
        ip: IpAddr,
        p: &Params,
        style: &Style,
        dialect: &'static FormDialect,
    ) -> Reply {
        let key = match self.authorize(now, ip, p.get("key"), style) {
            Ok(k) => k,
            Err(reply) => return reply,
        };
        self.key_counters(&key).in_requests += 1;
        if let Err(reply) = self.count_submit(&key, now, style) {
            return reply;
        }
        let sub = match validate::submission(p, dialect) {
            Ok(s) => s,
            Err(code) => return style.code(code),
        };
        let rule = self.first_rule(&Submitted {
            key: &key,
            method: &sub.method,
            kind: sub.kind.name(),
            sitekey: sub.sitekey.as_deref(),
            pageurl: sub.pageurl.as_deref(),
            profile: "form",
        });
        if let Some(code) = rule.as_ref().and_then(|r| r.submit_error.clone()) {
            self.count_refusal(&key, &code, now);
            return style.code(&code);
        }
        let price = self
            .config
            .prices
            .get(sub.kind.name())
            .copied()
            .unwrap_or_else(|| sub.kind.price());
        let Some(account) = self.accounts.get_mut(&key) else {
            return style.code("ERROR_KEY_DOES_NOT_EXIST");
        };
        if account.balance < price {
            self.count_refusal(&key, "ERROR_ZERO_BALANCE", now);
            return style.code("ERROR_ZERO_BALANCE");
        }
        account.balance -= price;

        let id = self.next_id;
        self.next_id += 1;
        let solve_ms = self.draw_solve_ms(sub.kind, id, rule.as_ref().and_then(|r| r.delay_ms));
        let ready_at = now + self.scaled(Duration::from_millis(solve_ms));
        let mut rng = answers::Rng::new(self.config.seed ^ id.wrapping_mul(0x2545_F491_4F6C_DD1D));
        let generated = answers::generate(sub.kind, &mut rng, &sub.hints);
        let outcome = match rule {
            Some(r) if r.result_error.is_some() => {
                Outcome::Error(r.result_error.unwrap_or_default())
            }
            Some(r) => Outcome::Answer(answers::scripted(
                generated,
                r.answer,
                r.answer_data.as_ref(),
            )),
            None => Outcome::Answer(generated),
        };
        let params = p
            .pairs
            .iter()
            .filter(|(k, _)| k != "key" && k != "body")
            .cloned()
            .collect();
        self.tasks.insert(
            id,
            TaskRec {
                key: key.clone(),
                kind: sub.kind,
                method: sub.method,
                params,
                image: sub
                    .image
                    .as_deref()
                    .map(|b| (crate::image::format_name(b), b.len())),
                files: p.files.iter().map(Upload::info).collect(),
                created: now,
                ready_at,
                outcome,
                solve_ms,
                hints: sub.hints,
                prefix: dialect.name.to_owned(),
                price,
                polls: 0,
                delivered: false,
                report: None,
                created_unix: crate::json::unix_now(),
                callback: None,
                json: None,
            },
        );
        self.keep_file_bytes(id);
        // The pingback: the answer is POSTed as `id` and `code` once solved.
        if let Some(url) = p.non_empty("pingback") {
            self.pending_callbacks.push(CallbackJob {
                id,
                url: url.to_owned(),
                at: ready_at,
            });
        }
        self.issue_token(id, sub.sitekey.as_deref(), sub.pageurl.as_deref());
        self.log_task(&key, TaskId::Number(id));
        self.key_limits.entry(key.clone()).or_default().tasks += 1;
        self.key_counters(&key).tasks += 1;
        self.counters.tasks_accepted += 1;
        style.ok(&id.to_string(), &[])
    }
}
