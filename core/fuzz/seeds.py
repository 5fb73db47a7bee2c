#!/usr/bin/env python3
"""Turns the shared test vectors (tests/vectors/*.json) into seed corpora and dictionaries
for the fuzz targets of this folder.

    python3 seeds.py [--vectors DIR] [--out corpus] [--dicts dicts]

Each seed is written as <out>/<target>/<sha1 of its bytes> (libFuzzer's own naming, so seeds
and the inputs the fuzzer adds never collide and rerunning adds nothing twice). Input
formats (see src/lib.rs):

* form_reply, json_reply: 2 bytes of HTTP status (big-endian, status - 100), 1 extra byte
  (form: the batch poll's id count; json: Retry-After seconds, 0 for none), then the body;
* task_json: a task's JSON text (images inlined as base64, as the bindings send them);
* proxy_parse, money_parse: the text;
* client_options: a JSON object of client options.
"""

import argparse
import base64
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
KEY = "1abc234de56fab7c89012d34e56fa7b8"
TARGETS = ["form_reply", "json_reply", "task_json", "proxy_parse", "money_parse", "client_options"]


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def reply_input(status, extra, body):
    return (status - 100).to_bytes(2, "big") + bytes([extra & 0xFF]) + body


def case_body(case):
    if "body_hex" in case:
        return bytes.fromhex(case["body_hex"])
    if "json" in case:
        return compact(case["json"]).encode()
    return case.get("body", "").encode()


class Vectors:
    def __init__(self, folder):
        self.folder = folder

    def load(self, name):
        with open(os.path.join(self.folder, name), encoding="utf-8") as f:
            return json.load(f)

    def inline(self, value):
        """The conventions of tests/vectors/README.md: @images/<file> and @pad:png:N."""
        if isinstance(value, str):
            if value.startswith("@images/"):
                with open(os.path.join(self.folder, value[1:]), "rb") as f:
                    return base64.b64encode(f.read()).decode()
            if value.startswith("@pad:png:"):
                n = int(value.split(":")[2])
                png = b"\x89PNG\r\n\x1a\n"
                return base64.b64encode((png + bytes(max(0, n - len(png))))[:n]).decode()
            return value
        if isinstance(value, list):
            return [self.inline(v) for v in value]
        if isinstance(value, dict):
            return {k: self.inline(v) for k, v in value.items()}
        return value


def keys_of(value, out):
    if isinstance(value, dict):
        for k, v in value.items():
            out.add(k)
            keys_of(v, out)
    elif isinstance(value, list):
        for v in value:
            keys_of(v, out)


def seeds(v):
    out = {t: [] for t in TARGETS}
    dicts = {t: set() for t in TARGETS}

    # Replies of the form protocol.
    replies = v.load("replies.json")["cases"]
    for c in replies:
        ids = c.get("ids", 1)
        extra = len(ids) if isinstance(ids, list) else int(ids)
        out["form_reply"].append(reply_input(c["status"], extra, case_body(c)))
        exp = c.get("expect", {})
        if isinstance(exp, dict) and isinstance(exp.get("balance"), str):
            out["money_parse"].append(exp["balance"].encode())
        if c["call"] == "balance" and "body" in c:
            out["money_parse"].append(c["body"].encode())
    codes = v.load("error_codes.json")
    for c in codes["codes"]:
        dicts["form_reply"].add(c["code"])
        dicts["json_reply"].add(c["code"])
        out["form_reply"].append(reply_input(200, 1, c["code"].encode()))
        out["form_reply"].append(reply_input(200, 1, compact({"status": 0, "request": c["code"]}).encode()))
    for u in codes.get("unknown", []):
        code = u["code"] if isinstance(u, dict) else u
        dicts["form_reply"].add(code)

    # Replies of the json protocol.
    jr = v.load("json_replies.json")
    for c in jr["cases"]:
        extra = min(int(c.get("retry_after_secs") or 0), 255)
        out["json_reply"].append(reply_input(c["status"], extra, case_body(c)))
        exp = c.get("expect", {})
        if isinstance(exp, dict) and isinstance(exp.get("balance"), str):
            out["money_parse"].append(exp["balance"].encode())
        if "json" in c:
            keys_of(c["json"], dicts["json_reply"])
            cost = c["json"].get("cost") if isinstance(c["json"], dict) else None
            if cost is not None:
                out["money_parse"].append(str(cost).encode())
            bal = c["json"].get("balance") if isinstance(c["json"], dict) else None
            if bal is not None:
                out["money_parse"].append(str(bal).encode())
    for code in jr.get("listed_codes", []):
        dicts["json_reply"].add(code)

    # Tasks, in both families' vectors.
    tasks = v.load("tasks.json")
    jtasks = v.load("json_tasks.json")
    all_tasks = [c["task"] for c in tasks["encode"] + tasks["invalid"]]
    all_tasks += [c["task"] for c in jtasks["encode"] + jtasks["refused"] if "task" in c]
    for t in all_tasks:
        out["task_json"].append(compact(v.inline(t)).encode())
        keys_of(t, dicts["task_json"])
        if isinstance(t, dict) and isinstance(t.get("proxy"), str):
            out["proxy_parse"].append(t["proxy"].encode())
        if isinstance(t, dict) and isinstance(t.get("type"), str):
            dicts["task_json"].add(t["type"])

    # Proxies.
    proxies = v.load("proxies.json")
    for p in proxies["valid"]:
        out["proxy_parse"].append(p["url"].encode())
    for p in proxies["invalid"]:
        out["proxy_parse"].append(p.encode())
    dicts["proxy_parse"] |= {"http://", "https://", "socks4://", "socks5://", "socks5h://", "@", ":", "[", "]", "%40", "%3A", "%25", "::1"}

    # Client options: the form options of tasks.json and every provider of json_tasks.json,
    # plus one of each option kind (options.rs documents them).
    providers = sorted({c["provider"] for c in jtasks["encode"] if "provider" in c})
    for name in ["2captcha", "bigcaptcha", "captchaai", "rucaptcha"] + providers:
        p = name if name != "generic" else "http://127.0.0.1:8080/"
        o = {"provider": p, "api_key": KEY}
        if name == "generic":
            o["protocol"] = "json"
        out["client_options"].append(compact(o).encode())
    for c in tasks["encode"]:
        opts = c.get("options")
        if opts:
            o = {"provider": "2captcha", "api_key": KEY, "json_replies": opts.get("json", False),
                 "header_acao": opts.get("header_acao", False), "debug_dump": opts.get("debug_dump", False)}
            if opts.get("soft_id") is not None:
                o["soft_id"] = opts["soft_id"]
            out["client_options"].append(compact(o).encode())
    for o in [
        {"provider": "http://127.0.0.1:9/", "api_key": KEY, "protocol": "form", "timeout_ms": 90000,
         "poll_interval": 0.5, "initial_delay": 0, "request_timeout": 30, "max_concurrent_requests": 8,
         "batch_polling": True, "limits": {"submit_interval_ms": 0, "submits_per_window": 1000,
                                           "no_slot_wait": 5, "max_polls_per_task": 120},
         "retry": {"base_delay_ms": 10, "max_delay": 1, "unknown_submit_retries": 0, "max_attempts": 2},
         "failover": {"busy_for": 30, "outage_attempts": 3, "on_unsolvable": False},
         "providers": [{"provider": "capsolver", "api_key": KEY}]},
        {"provider": "2captcha", "api_key": KEY, "base_url": "http://127.0.0.1:8080/2captcha/"},
        {"provider": "2captcha", "api_key": KEY, "shared_limits": "redis://127.0.0.1:6379/0"},
        {"provider": "2captcha", "api_key": KEY, "timout": 3},
        {"timeout": 120, "initial_delay_ms": 5000, "poll_interval": 5},
    ]:
        out["client_options"].append(compact(o).encode())
    dicts["client_options"] |= {
        "provider", "api_key", "protocol", "base_url", "providers", "failover", "timeout",
        "initial_delay", "poll_interval", "request_timeout", "max_concurrent_requests",
        "batch_polling", "json_replies", "header_acao", "debug_dump", "soft_id", "limits", "retry",
        "shared_limits", "_ms", "submit_interval", "submit_window", "submits_per_window",
        "polls_per_task", "poll_allowance", "max_polls_per_task", "min_poll_interval",
        "balance_interval", "no_slot_wait", "rate_limit_wait", "zero_balance_wait", "base_delay",
        "max_delay", "unknown_submit_retries", "max_attempts", "busy_for", "outage_attempts",
        "on_unsolvable", "json", "form", "http://", "https://",
    } | set(providers)

    # Money.
    for m in ["0.000700", " 12 ", "-1.5", "+3", ".5", "007.10", "1e-4", "1.25E2", "12E3", "-0.0", "9.99915", "0"]:
        out["money_parse"].append(m.encode())
    dicts["money_parse"] |= {"e", "E", "e-", "e+", ".", "-", "+", "0", "00000000"}

    dicts["form_reply"] |= {"OK|", "OK", "OK_REPORT_RECORDED", "CAPCHA_NOT_READY", "ERROR: 100", "{\"status\":",
                            "\"request\":", "\"useragent\"", "\"respKey\"", "\"price\"", "<title>", "</title>",
                            "array(", "|", "\ufeff"}
    dicts["json_reply"] |= {"errorId", "errorCode", "errorDescription", "taskId", "status", "solution",
                            "gRecaptchaResponse", "token", "text", "answers", "balance", "cost", "userAgent",
                            "respKey", "ready", "processing", "idle", "pending", "failed", "success",
                            "CAPTCHA_NOT_READY", "<title>", "null"}
    dicts["task_json"] |= {"RecaptchaV2", "RecaptchaV3", "HCaptcha", "FunCaptcha", "Turnstile", "ImageToText",
                           "data:image/png;base64,", "http://", "https://", "socks5://"}
    return out, dicts


def dict_line(token):
    raw = token.encode() if isinstance(token, str) else token
    esc = "".join(chr(b) if 0x20 <= b < 0x7F and b not in (0x22, 0x5C) else f"\\x{b:02X}" for b in raw)
    return f'"{esc}"'


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vectors", default=os.path.join(HERE, "..", "..", "tests", "vectors"))
    ap.add_argument("--out", default=os.path.join(HERE, "corpus"))
    ap.add_argument("--dicts", default=os.path.join(HERE, "dicts"))
    args = ap.parse_args()
    out, dicts = seeds(Vectors(args.vectors))
    # Inputs that once crashed a target (committed under regressions/<target>/): every run
    # replays them first, as part of the seed corpus.
    regressions = os.path.join(HERE, "regressions")
    for target in TARGETS:
        folder = os.path.join(regressions, target)
        if os.path.isdir(folder):
            for name in sorted(os.listdir(folder)):
                with open(os.path.join(folder, name), "rb") as f:
                    out[target].append(f.read())
    os.makedirs(args.dicts, exist_ok=True)
    for target in TARGETS:
        folder = os.path.join(args.out, target)
        os.makedirs(folder, exist_ok=True)
        new = 0
        for data in out[target]:
            path = os.path.join(folder, hashlib.sha1(data).hexdigest())
            if not os.path.exists(path):
                with open(path, "wb") as f:
                    f.write(data)
                new += 1
        with open(os.path.join(args.dicts, target + ".dict"), "w", encoding="ascii") as f:
            for token in sorted(t for t in dicts[target] if t):
                f.write(dict_line(token) + "\n")
        print(f"{target}: {len(set(out[target]))} seeds ({new} new), {len(dicts[target])} dictionary words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
