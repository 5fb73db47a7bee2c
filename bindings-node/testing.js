'use strict'
// capbridge/testing: the local emulator of every captcha service, inside the npm package, to
// test a scraper offline and for free against each provider's dialect, without Rust or a clone
// of the repository. It runs in this process on a thread of its own (the native module's) and
// serves real HTTP on 127.0.0.1; settings are the capbridge-emulator binary's flags by name
// ({ timeScale: 0.01 } or { 'time-scale': 0.01 }); the admin API (faults, rules, delays,
// accounts, counters, the requests it got) is reached over HTTP, as for the binary.

const native = require('./load.js')

/** Every task kind the package solves (the core's list). */
const TASK_KINDS = Object.freeze(native.__taskKinds())

/** A key the emulator accepts as an account (any 32 characters are one, by default). */
const DEFAULT_API_KEY = '0123456789abcdef0123456789abcdef'

/** The providers whose dialect the emulator serves under its own prefix (`urlFor`). */
const DIALECTS = Object.freeze(native.__emulatorDialects())

/** Settings as the native side takes them: [name, text] pairs, `account` repeated. */
function settingPairs(settings) {
  if (settings === undefined || settings === null) return []
  if (typeof settings !== 'object' || Array.isArray(settings)) {
    throw new TypeError('startEmulator(settings): settings is an object, such as { timeScale: 0.01 }')
  }
  const pairs = []
  for (const [name, value] of Object.entries(settings)) {
    if (value === undefined) continue
    if (Array.isArray(value)) {
      // [min, max] for delayMs; a list of accounts for `account`.
      if (value.length === 2 && value.every((v) => typeof v === 'number')) {
        pairs.push([name, `${value[0]}-${value[1]}`])
      } else {
        for (const item of value) pairs.push([name, String(item)])
      }
    } else if (typeof value === 'boolean') {
      pairs.push([name, value ? 'true' : 'false'])
    } else {
      pairs.push([name, String(value)])
    }
  }
  return pairs
}

class Emulator {
  #id
  #closed = false

  constructor(id, url) {
    this.#id = id
    /** The base URL, `http://127.0.0.1:PORT/`. */
    this.url = url
    /** A key the emulator accepts as an account (with its default settings). */
    this.apiKey = DEFAULT_API_KEY
  }

  /**
   * The base URL of a provider's dialect (`'capsolver'`, `'2captcha'`, ...), for `baseUrl`;
   * `''` is `url`. A name the emulator serves no dialect under throws, naming those it does:
   * its URL would answer every request with 404, reported far from the typo.
   */
  urlFor(prefix) {
    const p = String(prefix).replace(/^\/+|\/+$/g, '')
    if (p && !DIALECTS.includes(p)) {
      throw new Error(`emu.urlFor: unknown provider "${p}" (known: ${DIALECTS.join(', ')}; '' for url itself)`)
    }
    return p ? `${this.url}${p}/` : this.url
  }

  /**
   * One request to the admin API (`/emulator/<path>`); resolves to its JSON reply. Rejects
   * once `close()` was called, saying so (the request would fail as a bare `fetch failed`).
   */
  async admin(method, path, body) {
    if (this.#closed) {
      throw new Error(`emulator admin ${method} ${path}: the emulator was closed (close() was called)`)
    }
    const reply = await fetch(this.url + 'emulator/' + String(path).replace(/^\/+/, ''), {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    })
    const text = await reply.text()
    if (!reply.ok) throw new Error(`emulator admin ${method} ${path}: HTTP ${reply.status} ${text}`)
    return JSON.parse(text)
  }

  counters() {
    return this.admin('GET', 'counters')
  }

  config() {
    return this.admin('GET', 'config')
  }

  configure(fields) {
    return this.admin('POST', 'config', fields)
  }

  async fault(fault) {
    await this.admin('POST', 'faults', fault)
  }

  async clearFaults() {
    await this.admin('DELETE', 'faults')
  }

  async rule(rule) {
    await this.admin('POST', 'rules', rule)
  }

  async clearRules() {
    await this.admin('DELETE', 'rules')
  }

  async delay(minMs, maxMs = minMs, kind = undefined) {
    await this.admin('POST', 'delays', { min_ms: minMs, max_ms: maxMs, ...(kind === undefined ? {} : { kind }) })
  }

  async account(key, { balance, exists = true } = {}) {
    await this.admin('POST', 'accounts', { key, exists, ...(balance === undefined ? {} : { balance }) })
  }

  async balance(key) {
    return (await this.admin('GET', 'accounts/' + encodeURIComponent(key))).balance
  }

  task(taskId) {
    return this.admin('GET', 'tasks/' + encodeURIComponent(taskId))
  }

  async tasks(key) {
    return (await this.admin('GET', 'tasks?key=' + encodeURIComponent(key))).ids
  }

  async requests(limit = 100) {
    return (await this.admin('GET', `requests?limit=${Math.trunc(limit)}`)).requests
  }

  async reset() {
    await this.admin('POST', 'reset')
  }

  /** Stops serving; a second call does nothing. */
  close() {
    if (this.#closed) return
    this.#closed = true
    native.__stopEmulator(this.#id)
  }
}

if (typeof Symbol.dispose === 'symbol') {
  Emulator.prototype[Symbol.dispose] = Emulator.prototype.close
}

/**
 * Starts the emulator in this process. Settings are the capbridge-emulator binary's flags by
 * name: `{ timeScale: 0.01, delayMs: [50, 200], noLimits: true, strictAccounts: true,
 * account: ['<key>:5'], balance: 0, seed: 7, port: 0 }`. An unknown name or a bad value
 * throws an error that names it.
 */
function startEmulator(settings) {
  const started = native.__startEmulator(settingPairs(settings))
  return new Emulator(started.id, started.url)
}

module.exports = { startEmulator, Emulator, TASK_KINDS, DEFAULT_API_KEY }
