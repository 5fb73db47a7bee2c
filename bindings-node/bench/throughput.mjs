// Solves per second of the Node client beside the Rust core in the same process, and the
// resident memory with 10,000 solves in flight.
//
//   node bindings-node/bench/throughput.mjs        (after tests/run-node built the module)
//
// Runs against the emulator binary (CAPBRIDGE_EMULATOR, else built here in release mode)
// with instant solutions and its request limits lifted (--no-limits --delay-ms 0); the
// clients lift theirs through a custom provider's documented `limits` option, poll after
// 1 ms and use batch polls. Each run gets a fresh emulator and a fresh key. The core alone
// (the same engine and options, no JavaScript per solve: `__coreThroughput`, from a module this
// script builds for itself with the cargo feature `bench`, not the published one) and the Node
// client (`Promise`s, CONCURRENCY in flight) alternate for ROUNDS rounds, because the machine
// is noisy and only ratios within a round mean much; the median ratio is the figure.
//
// Environment: N (solves per run, 10000), CONCURRENCY (1000), ROUNDS (3), IN_FLIGHT (10000).

import { execFileSync, spawn } from 'node:child_process'
import { copyFileSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const PACKAGE = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const REPO = resolve(PACKAGE, '..')
const { Client } = require(PACKAGE)

/** The module with `__coreThroughput`: built here with the cargo feature `bench` (release, for
 * the host triple, as napi builds the published one, so the two share compiled dependencies)
 * and loaded from a copy, beside the published module the Node client uses. */
function benchModule() {
  const host = /^host: (.*)$/m.exec(execFileSync('rustc', ['-vV']).toString())[1]
  execFileSync('cargo', ['build', '-q', '--release', '--target', host, '-p', 'capbridge-node', '--features', 'bench'], { cwd: REPO, stdio: 'inherit' })
  const file = { darwin: 'libcapbridge_node.dylib', win32: 'capbridge_node.dll' }[process.platform] ?? 'libcapbridge_node.so'
  const built = join(process.env.CARGO_TARGET_DIR || join(REPO, 'target'), host, 'release', file)
  const copy = join(tmpdir(), `capbridge-bench-${process.pid}.node`)
  copyFileSync(built, copy)
  return require(copy)
}
const bench = benchModule()

const N = Number(process.env.N ?? 10_000)
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 1000)
const ROUNDS = Number(process.env.ROUNDS ?? 3)
const IN_FLIGHT = Number(process.env.IN_FLIGHT ?? 10_000)
const TASK = { type: 'RecaptchaV2', websiteUrl: 'https://example.com/login', websiteKey: '6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-' }
const UNLIMITED = { submitIntervalMs: 0, submitsPerWindow: 4294967295, pollsPerTask: 1e15, pollAllowance: 1e15 }

function emulatorBinary() {
  if (process.env.CAPBRIDGE_EMULATOR) return process.env.CAPBRIDGE_EMULATOR
  execFileSync('cargo', ['build', '-q', '--release', '-p', 'capbridge-emulator'], { cwd: REPO, stdio: 'inherit' })
  return join(process.env.CARGO_TARGET_DIR || join(REPO, 'target'), 'release', 'capbridge-emulator')
}
const EMULATOR = emulatorBinary()

async function emulator(...args) {
  const proc = spawn(EMULATOR, ['--port', '0', '--no-limits', '--balance', '1e9', ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
  const url = await new Promise((ok) => createInterface({ input: proc.stdout }).once('line', ok))
  return {
    url,
    counters: async () => (await fetch(url + 'emulator/counters')).json(),
    stop: () => new Promise((ok) => {
      proc.once('exit', ok)
      proc.kill('SIGTERM')
    }),
  }
}

const options = (url, extra = {}) => ({
  provider: url,
  apiKey: randomBytes(16).toString('hex'),
  limits: UNLIMITED,
  initialDelayMs: 1,
  pollIntervalMs: 1,
  batchPolling: true,
  ...extra,
})

async function core() {
  const emu = await emulator('--delay-ms', '0')
  try {
    return N / bench.__coreThroughput(options(emu.url), TASK, N, CONCURRENCY)
  } finally {
    await emu.stop()
  }
}

async function node() {
  const emu = await emulator('--delay-ms', '0')
  try {
    const client = new Client(options(emu.url))
    let next = 0
    let solved = 0
    const cpu0 = process.cpuUsage()
    const js0 = jsThreadCpu()
    const t0 = performance.now()
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) {
        next++
        await client.solve(TASK)
        solved++
      }
    }))
    const seconds = (performance.now() - t0) / 1000
    const cpu = process.cpuUsage(cpu0)
    const jsUs = ((jsThreadCpu() - js0) / N) * 1e6
    if (solved !== N) throw new Error(`node: ${solved} of ${N} solved`)
    const c = await emu.counters()
    return { rate: N / seconds, cpuUs: (cpu.user + cpu.system) / N, jsUs, requests: (c.in_requests + c.res_requests) / N }
  } finally {
    await emu.stop()
  }
}

/** CPU seconds of this process's JavaScript thread (its main thread: tid = pid), from /proc. */
function jsThreadCpu() {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(')').pop().trim().split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return NaN
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

async function memory() {
  // Solves take 3 s at the emulator, so all of them are in flight together.
  const emu = await emulator('--delay-ms', '3000')
  try {
    const client = new Client(options(emu.url, { initialDelayMs: 2500, pollIntervalMs: 250, timeoutMs: 120_000 }))
    await client.solve({ ...TASK, websiteKey: 'warm-up' }).catch(() => {})
    globalThis.gc?.()
    const base = process.memoryUsage().rss
    let peak = base
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss)
    }, 20)
    const t0 = performance.now()
    const all = Array.from({ length: IN_FLIGHT }, () => client.solve(TASK))
    const submitted = performance.now() - t0
    const done = await Promise.allSettled(all)
    clearInterval(sampler)
    const ok = done.filter((r) => r.status === 'fulfilled').length
    return { base, peak, ok, submittedMs: submitted, totalMs: performance.now() - t0 }
  } finally {
    await emu.stop()
  }
}

const mb = (b) => (b / 1e6).toFixed(1)
console.log(`capbridge Node binding: ${N} solves per run, ${CONCURRENCY} in flight, ${ROUNDS} rounds, instant solutions, batch polls`)
const ratios = []
const cores = []
const nodes = []
for (let round = 1; round <= ROUNDS; round++) {
  // Alternate which goes first, so that neither always meets a warmer machine.
  let c
  let n
  if (round % 2) {
    c = await core()
    n = await node()
  } else {
    n = await node()
    c = await core()
  }
  cores.push(c)
  nodes.push(n.rate)
  ratios.push(n.rate / c)
  console.log(
    `  round ${round}: core ${c.toFixed(0)} solves/s, Node ${n.rate.toFixed(0)} solves/s (${((100 * n.rate) / c).toFixed(0)}%);` +
      ` CPU per solve: ${n.cpuUs.toFixed(0)} µs (process), ${n.jsUs.toFixed(0)} µs of it on the JS thread; ${n.requests.toFixed(3)} requests per solve`,
  )
}
console.log(`solves per second: core ${median(cores).toFixed(0)}, Node ${median(nodes).toFixed(0)}; Node reaches ${(100 * median(ratios)).toFixed(0)}% of the core (median of ${ROUNDS} rounds)`)

const m = await memory()
console.log(
  `resident memory with ${IN_FLIGHT} solves in flight: peak ${mb(m.peak)} MB (${mb(m.base)} MB before, ` +
    `+${mb(m.peak - m.base)} MB, ${((m.peak - m.base) / IN_FLIGHT / 1e3).toFixed(1)} KB per solve); ` +
    `${m.ok} solved in ${(m.totalMs / 1000).toFixed(1)} s, all submitted by the JS thread in ${m.submittedMs.toFixed(0)} ms`,
)
