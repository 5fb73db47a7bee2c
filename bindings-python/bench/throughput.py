"""Solves per second and Python-side cost per solve, beside the Rust core alone.

    python bindings-python/bench/throughput.py          (from a venv with the capbridge wheel)

Runs against the emulator binary (``CAPBRIDGE_EMULATOR``, else built in release mode) with
instant solutions and its request limits lifted; the clients lift theirs too (``limits={...}``
for a base URL, a custom provider's documented option) and use batch polls. Each run
gets a fresh emulator and a fresh key. The core alone (``bench/core_throughput.rs`` beside
this script, run by ``cargo bench -p capbridge-python --bench core_throughput``: the same
engine, no Python) and ``AsyncClient`` under ``asyncio.gather`` are run in alternation for a
few rounds, because the machine is noisy and only ratios within a round mean much. Then the
blocking ``Client`` from a thread pool.

Environment: N (solves per run, 10000), CONCURRENCY (1000), ROUNDS (3).
"""

from __future__ import annotations

import asyncio
import json
import os
import pathlib
import resource
import secrets
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import List, Tuple

import capbridge

REPO = pathlib.Path(__file__).resolve().parents[2]
N = int(os.environ.get("N", "10000"))
CONCURRENCY = int(os.environ.get("CONCURRENCY", "1000"))
ROUNDS = int(os.environ.get("ROUNDS", "3"))
TASK = capbridge.RecaptchaV2("https://example.com/login", "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-")
UNLIMITED: capbridge.Limits = {
    "submit_interval": 0, "submits_per_window": 10**9, "polls_per_task": 10**12,
    "poll_allowance": 10**12, "no_slot_wait": 0, "rate_limit_wait": 0, "zero_balance_wait": 0,
}
FAST = dict(limits=UNLIMITED, initial_delay=0.001, poll_interval=0.001, batch_polling=True)
DETAILS: List[str] = []


def emulator_binary() -> str:
    path = os.environ.get("CAPBRIDGE_EMULATOR")
    if path:
        return path
    subprocess.run(["cargo", "build", "-q", "--release", "-p", "capbridge-emulator"], cwd=REPO, check=True)
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return str(target / "release" / "capbridge-emulator")


def proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process, from /proc."""
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Emulator:
    def __init__(self, binary: str) -> None:
        self.proc = subprocess.Popen([binary, "--port", "0", "--no-limits", "--delay-ms", "0", "--balance", "1e9"],
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        self.cpu0 = proc_cpu(self.proc.pid)
        self.own0 = proc_cpu(os.getpid())

    def report(self, label: str, n: int, own_cpu: float = -1.0) -> str:
        with urllib.request.urlopen(self.url + "emulator/counters") as r:
            c = json.loads(r.read())
        emu = (proc_cpu(self.proc.pid) - self.cpu0) / n * 1e6
        own = (proc_cpu(os.getpid()) - self.own0 if own_cpu < 0 else own_cpu) / n * 1e6
        reqs = (c["in_requests"] + c["res_requests"]) / n
        return f"    {label}: {reqs:.3f} requests per solve; CPU per solve: this process {own:.0f} µs, emulator {emu:.0f} µs"

    def __enter__(self) -> "Emulator":
        return self

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait()


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def core_command() -> List[str]:
    """The core benchmark's binary, built once (``cargo bench --no-run``)."""
    out = subprocess.run(
        ["cargo", "bench", "-q", "-p", "capbridge-python", "--bench", "core_throughput", "--no-run",
         "--message-format", "json"], cwd=REPO, check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg["target"]["name"] == "core_throughput" and msg.get("executable"):
            return [msg["executable"]]
    raise SystemExit("could not build the core benchmark")


def core(binary: str, command: List[str]) -> float:
    with Emulator(binary) as emu:
        cpu0 = children_cpu()
        out = subprocess.run([*command, emu.url, secrets.token_hex(16), str(N), str(CONCURRENCY)],
                             check=True, capture_output=True, text=True).stdout.split()
        secs, solved = float(out[0]), int(out[1])
        assert solved == N, solved
        DETAILS.append(emu.report("core (its own process)", N, children_cpu() - cpu0))
        return N / secs


def run_async(binary: str) -> Tuple[float, float]:
    async def solve_all() -> None:
        async with capbridge.AsyncClient(emu.url, secrets.token_hex(16), **FAST) as c:
            # CONCURRENCY workers, each solving its share in turn: the same bound on solves in
            # flight as the core run, without asyncio.Semaphore (whose wake-ups cost O(waiters)
            # per release on Python 3.11 and would dominate the measurement).
            async def worker(count: int) -> int:
                for _ in range(count):
                    await c.solve(TASK)
                return count

            share = [N // CONCURRENCY + (1 if i < N % CONCURRENCY else 0) for i in range(CONCURRENCY)]
            done = await asyncio.gather(*(worker(k) for k in share))
            assert sum(done) == N

    with Emulator(binary) as emu:
        cpu0, t0 = time.thread_time(), time.perf_counter()
        asyncio.run(solve_all())
        wall, cpu = time.perf_counter() - t0, time.thread_time() - cpu0
        DETAILS.append(emu.report("AsyncClient (this process)", N))
        return N / wall, cpu / N


def run_blocking(binary: str, n: int, threads: int) -> Tuple[float, float]:
    with Emulator(binary) as emu, capbridge.Client(emu.url, secrets.token_hex(16), **FAST) as c:
        t0, cpu0 = time.perf_counter(), time.process_time()
        with ThreadPoolExecutor(threads) as pool:
            sols = list(pool.map(lambda _: c.solve(TASK), range(n)))
        assert len(sols) == n
        return n / (time.perf_counter() - t0), (time.process_time() - cpu0) / n


def main() -> None:
    binary = emulator_binary()
    command = core_command()
    print(f"capbridge Python binding throughput: {N} solves of reCAPTCHA v2 per run, instant solutions, "
          f"at most {CONCURRENCY} in flight, limits lifted on both sides; Python {sys.version.split()[0]}; "
          f"the core runs in its own process (bench/core_throughput.rs)")
    ratios = []
    for r in range(1, ROUNDS + 1):
        core_rate = core(binary, command)
        async_rate, async_cpu = run_async(binary)
        ratios.append(async_rate / core_rate)
        print(f"  round {r}: core {core_rate:>6.0f} solves/s | AsyncClient {async_rate:>6.0f} solves/s "
              f"({async_rate / core_rate:.0%}), {async_cpu * 1e6:.1f} µs of Python main-thread CPU per solve, "
              f"{(1 / async_rate - 1 / core_rate) * 1e6:+.1f} µs wall per solve")
    for d in DETAILS[-2:]:
        print(d)
    blocking_n = min(N, 3000)
    blocking_rate, blocking_cpu = run_blocking(binary, blocking_n, 64)
    print(f"  blocking Client from 64 threads, {blocking_n} solves: {blocking_rate:.0f} solves/s "
          f"({blocking_rate / core_rate:.0%} of the last core run), {blocking_cpu * 1e6:.0f} µs of process CPU per solve, "
          f"{(1 / blocking_rate - 1 / core_rate) * 1e6:+.1f} µs wall per solve vs the core")
    median = sorted(ratios)[len(ratios) // 2]
    print(f"  AsyncClient / core, median of {ROUNDS} rounds: {median:.0%} "
          f"(target >= 80%: {'met' if median >= 0.8 else 'NOT met'})")


if __name__ == "__main__":
    main()
