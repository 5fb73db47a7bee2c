// Shared fixtures of the Node suite: the real emulator binary on 127.0.0.1, scripted over its
// admin API, the shared test vectors, and client options with millisecond waits.
//
// The suite runs on small, busy machines, so a test decides from what happened, never from
// how fast: it waits for the emulator to show a state (`eventually`) instead of sleeping a
// guess, holds tasks pending until it lets them go (`Emulator.finish`), and its only clocks
// are guards against a hang (`HANG_MS`).

import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

export const PACKAGE = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const REPO = resolve(PACKAGE, '..')
export const VECTORS = join(REPO, 'tests', 'vectors')
export const KEY = '1abc234de56fab7c89012d34e56fa7b8'
export const PAGE = 'https://example.com/login'
export const SITEKEY = '6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-'
export const V2 = Object.freeze({ type: 'RecaptchaV2', websiteUrl: PAGE, websiteKey: SITEKEY })

/**
 * How long a step may take before a test calls it hung: far beyond what any load makes of a
 * step that takes milliseconds. It turns a hang into a failure with a name; it is not a speed.
 */
export const HANG_MS = 60_000

/** An emulator solve delay no test outlives: such tasks are pending until `finish()`. */
export const HELD = '3600000'

/** Millisecond waits: tests take milliseconds, not the services' documented seconds. */
export const FAST = Object.freeze({
  initialDelayMs: 20,
  pollIntervalMs: 20,
  timeoutMs: HANG_MS, // a guard: tests that mean a deadline give their own
  retry: { baseDelayMs: 10, maxDelayMs: 100 },
})

/** A custom provider's limits, lifted (for emulators started with --no-limits). */
export const UNLIMITED = Object.freeze({
  submitIntervalMs: 0,
  submitsPerWindow: 4294967295,
  pollsPerTask: 1e15,
  pollAllowance: 1e15,
  noSlotWaitMs: 0,
  rateLimitWaitMs: 0,
  zeroBalanceWaitMs: 0,
})

/** A key no client of this process has used (clients of one key share its limits). */
export function freshKey() {
  return randomBytes(16).toString('hex')
}

export function emulatorBinary() {
  if (process.env.CAPBRIDGE_EMULATOR) return process.env.CAPBRIDGE_EMULATOR
  const target = process.env.CARGO_TARGET_DIR || join(REPO, 'target')
  return join(target, 'debug', 'capbridge-emulator')
}

/** A running `capbridge-emulator` process. */
export class Emulator {
  static async start(...args) {
    const proc = spawn(emulatorBinary(), ['--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
    const lines = createInterface({ input: proc.stdout })
    const url = await new Promise((ok, fail) => {
      proc.once('error', fail)
      proc.once('exit', (code) => fail(new Error(`the emulator exited (${code})`)))
      lines.once('line', ok)
    })
    if (!url.startsWith('http://127.0.0.1:')) throw new Error(`unexpected first line: ${url}`)
    return new Emulator(proc, url)
  }

  constructor(proc, url) {
    this.proc = proc
    this.url = url
  }

  async admin(method, path, body) {
    const r = await fetch(this.url + 'emulator/' + path, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const v = await r.json()
    if (!r.ok) throw new Error(`admin ${method} ${path}: ${JSON.stringify(v)}`)
    return v
  }

  counters() {
    return this.admin('GET', 'counters')
  }
  rule(rule) {
    return this.admin('POST', 'rules', rule)
  }
  fault(fault) {
    return this.admin('POST', 'faults', fault)
  }
  account(key, fields = {}) {
    return this.admin('POST', 'accounts', { key, ...fields })
  }
  task(id) {
    return this.admin('GET', `tasks/${encodeURIComponent(id)}`)
  }
  async taskIds(key) {
    return (await this.admin('GET', `tasks?key=${key}`)).ids
  }
  /** Solves every pending task now; how many there were. */
  async finish() {
    return (await this.admin('POST', 'finish')).finished
  }

  async stop() {
    if (this.proc.exitCode !== null) return
    const exited = new Promise((ok) => this.proc.once('exit', ok))
    this.proc.kill('SIGTERM')
    await exited
  }
}

/** Options of a client of `emu` (form protocol at its root) with fast waits. */
export function fast(emu, extra = {}) {
  return { provider: emu.url, apiKey: KEY, ...FAST, ...extra }
}

/** The shared vectors. */
export const TASK_VECTORS = JSON.parse(readFileSync(join(VECTORS, 'tasks.json'), 'utf8'))

/** A vector's image reference (`@images/x.png`, `@pad:png:N`) as base64 text. */
export function expandImage(value) {
  if (value.startsWith('@pad:png:')) {
    const n = Number(value.split(':')[2])
    const bytes = Buffer.alloc(n)
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes, 0, 0, Math.min(8, n))
    return bytes.toString('base64')
  }
  if (value.startsWith('@')) return readFileSync(join(VECTORS, value.slice(1))).toString('base64')
  return value
}

/** A vector's value with each `@images/x.png` as the base64 of that file, anywhere in it. */
export function expandAll(v) {
  if (typeof v === 'string') return v.startsWith('@') ? expandImage(v) : v
  if (Array.isArray(v)) return v.map(expandAll)
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expandAll(x)]))
  return v
}

/** snake_case -> camelCase, for turning the vectors' field names into Node's. */
export function camel(name) {
  return name.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())
}

/** A vector's task (snake_case JSON) as a Node task object (camelCase, images expanded). */
export function nodeTask(task) {
  const out = {}
  for (const [k, v] of Object.entries(task)) {
    out[camel(k)] = k === 'image' && typeof v === 'string' ? expandImage(v) : v
  }
  return out
}

export function image(name) {
  return readFileSync(join(VECTORS, 'images', name))
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms))

/**
 * Resolves once `check()` (which may be async) holds, checking every 10 ms; rejects naming
 * `what` after `HANG_MS`.
 */
export async function eventually(what, check, withinMs = HANG_MS) {
  const until = performance.now() + withinMs
  while (!(await check())) {
    if (performance.now() > until) throw new Error(`not within ${withinMs} ms: ${what}`)
    await sleep(10)
  }
}

/**
 * Type-checks one file as a TypeScript user's editor would (`strict`, NodeNext; `.mjs` files
 * with `checkJs`): in a folder of its own outside the package, where `capbridge` is installed
 * as a link to it. Returns tsc's output, empty when it passed.
 */
export function typeCheck(name, code) {
  const dir = mkdtempSync(join(tmpdir(), 'capbridge-tsc-'))
  try {
    mkdirSync(join(dir, 'node_modules'))
    symlinkSync(PACKAGE, join(dir, 'node_modules', 'capbridge'), 'dir')
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
    writeFileSync(join(dir, name), code)
    const js = name.endsWith('.mjs') || name.endsWith('.js')
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, allowJs: js, checkJs: js, module: 'nodenext',
        moduleResolution: 'nodenext', target: 'es2022', types: ['node'],
        typeRoots: [join(PACKAGE, 'node_modules', '@types')],
      },
      files: [name],
    }))
    const tsc = join(PACKAGE, 'node_modules', 'typescript', 'bin', 'tsc')
    const r = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8', timeout: 120_000 })
    return r.status === 0 ? '' : `${r.stdout}${r.stderr}` || `tsc exited with ${r.status}`
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
