'use strict'
// `capbridge/browser`: solve the captchas of a page open in Playwright or Puppeteer.
//
// solvePage(page, client, options) runs the in-page helper (page.js, the same file the Python
// wheel ships) in every frame of the page, cross-origin frames included: it finds reCAPTCHA v2,
// v3 and Enterprise, hCaptcha and Turnstile widgets by the vendors' own markers. Each widget
// is solved through the client (its failover, limits, deadlines and events apply; the frame's
// URL is the task's websiteUrl), its token written into the widget's response field and its
// callback called. The API key never enters the page: solves run in this process, the page
// only receives tokens.
//
// prepare(target), given a Playwright Page or BrowserContext or a Puppeteer Page before
// navigation, adds the helper as an init script: it then sees the widgets' render() options
// (callbacks, Turnstile's action, cData and chlPageData) and holds reCAPTCHA v3's
// execute(sitekey, { action }) promise until solvePage resolves it with a solved token.
//
// Both libraries' frames offer the same calls used here: url(), childFrames(), parentFrame(),
// evaluate(fn, arg).

const { readFileSync } = require('node:fs')
const { join } = require('node:path')
const { CaptchaError } = require('../errors.js')

const KINDS = Object.freeze(['RecaptchaV2', 'RecaptchaV3', 'HCaptcha', 'Turnstile'])
// Each page evaluation is bounded: a page whose main thread hangs cannot hold a solve forever.
const EVAL_TIMEOUT_MS = 30_000
// A solve that sent its submit just before the deadline still gets that request's reply (the
// core never cuts a sent submit short); past this much more, solvePage stops waiting.
const SOLVE_GRACE_MS = 2_000
// Writing a token that was paid for gets at least this long, even at the overall deadline;
// beyond it, a page that hangs gets `filled: false` (the token is lost with the page).
const APPLY_GRACE_MS = 1_000
const MISSING = '__capbridge_missing__'
// What prepare adds after the helper: its hooks, in every document, before the page's scripts.
const hooks = (holdMs) => `\n;window.__capbridgeBrowser.installHooks({ executeHoldMs: ${holdMs} })\n`
// How long a held v3 execute waits for solvePage to take it up before the vendor's own answers.
const EXECUTE_HOLD_MS = 60_000

let source = null

/** The in-page helper's source (JavaScript; identical to the Python wheel's copy). */
function pageScript() {
  if (source === null) source = readFileSync(join(__dirname, 'page.js'), 'utf8')
  return source
}

function usage(message, option) {
  return new CaptchaError(message, { kind: 'usage', option })
}

/**
 * Adds the helper as an init script: Playwright `addInitScript` (Page or BrowserContext),
 * Puppeteer `evaluateOnNewDocument` (Page). Call it before navigating. `executeHoldMs`: how
 * long a held reCAPTCHA v3 execute waits for solvePage before the vendor's own answers it.
 */
async function prepare(target, options = {}) {
  if (options === null || typeof options !== 'object') throw usage('prepare: options must be an object', 'options')
  for (const name of Object.keys(options)) {
    if (name !== 'executeHoldMs') throw usage(`prepare: unknown option ${JSON.stringify(name)} (expected executeHoldMs)`, name)
  }
  const hold = options.executeHoldMs ?? EXECUTE_HOLD_MS
  if (typeof hold !== 'number' || !Number.isFinite(hold) || hold < 0 || hold > 600_000) {
    throw usage('prepare: executeHoldMs must be a number of milliseconds from 0 to 600000', 'executeHoldMs')
  }
  const script = pageScript() + hooks(Math.floor(hold))
  if (target && typeof target.addInitScript === 'function') {
    await target.addInitScript({ content: script })
  } else if (target && typeof target.evaluateOnNewDocument === 'function') {
    await target.evaluateOnNewDocument(script)
  } else {
    throw usage('prepare: expected a Playwright Page or BrowserContext, or a Puppeteer Page', 'target')
  }
}

/** `promise`, or a rejection after `ms` (the timer never keeps the process alive). */
function bounded(promise, ms, what) {
  let timer
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new CaptchaError(`solvePage: ${what} took longer than ${ms} ms`, { kind: 'timeout', retryable: true })), ms)
    timer.unref?.()
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

// Runs in the page: calls the helper, or says it is not installed in this document yet.
function callInPage(a) {
  // eslint-disable-next-line no-undef
  const h = window.__capbridgeBrowser
  return h ? h[a.op].apply(h, a.args) : '__capbridge_missing__'
}

async function call(frame, op, args, ms) {
  const arg = { op, args }
  let result = await bounded(frame.evaluate(callInPage, arg), ms, 'the page')
  if (result === MISSING) {
    await bounded(frame.evaluate(pageScript()), ms, 'the page')
    result = await bounded(frame.evaluate(callInPage, arg), ms, 'the page')
  }
  return result
}

/** The URL a widget's task names: its frame's, or for about:blank / srcdoc frames the
 * nearest ancestor's with a web address. */
function webUrl(frame) {
  for (let f = frame, i = 0; f && i < 50; f = f.parentFrame(), i++) {
    const url = f.url()
    if (url.startsWith('http://') || url.startsWith('https://')) return url
  }
  return frame.url()
}

function task(w, url, userAgent) {
  const t = { type: w.kind, websiteUrl: url, websiteKey: w.sitekey }
  if (w.kind === 'RecaptchaV2') {
    if (w.invisible) t.invisible = true
    if (w.enterprise) t.enterprise = true
  } else if (w.kind === 'RecaptchaV3') {
    t.action = w.action || 'verify'
    if (w.enterprise) t.enterprise = true
  } else if (w.kind === 'HCaptcha') {
    if (w.invisible) t.invisible = true
  } else {
    if (w.action) t.action = w.action
    if (w.cdata) t.cdata = w.cdata
    if (w.pageData) {
      t.pageData = w.pageData
      // A challenge page's token is bound to the browser that shows it.
      if (userAgent) t.userAgent = userAgent
    }
  }
  return t
}

function checkOptions(options) {
  if (options === null || typeof options !== 'object') throw usage('solvePage: options must be an object', 'options')
  const { timeoutMs, kinds, visibleOnly = false, action = 'verify' } = options
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0 && Number.isFinite(timeoutMs))) {
    throw usage('solvePage: timeoutMs must be a positive number of milliseconds', 'timeoutMs')
  }
  let chosen = null
  if (kinds !== undefined) {
    chosen = typeof kinds === 'string' ? [kinds] : Array.from(kinds)
    for (const k of chosen) {
      if (!KINDS.includes(k)) throw usage(`solvePage: unknown kind ${JSON.stringify(k)}; expected some of ${KINDS.join(', ')}`, 'kinds')
    }
  }
  if (typeof action !== 'string' || !action) throw usage('solvePage: action must be a non-empty string', 'action')
  return { timeoutMs, scan: { kinds: chosen, visibleOnly: !!visibleOnly, action } }
}

/**
 * Finds the captchas in every frame of a Playwright or Puppeteer page, solves each through
 * `client`, writes the tokens and calls the widgets' callbacks. Resolves with one result per
 * captcha found (an empty array for a page without one).
 */
async function solvePage(page, client, options = {}) {
  if (!page || typeof page.frames !== 'function') throw usage('solvePage: expected a Playwright or Puppeteer Page', 'page')
  if (!client || typeof client.solve !== 'function') throw usage('solvePage: expected a capbridge Client', 'client')
  const { timeoutMs, scan } = checkOptions(options)
  const deadline = timeoutMs === undefined ? null : Date.now() + timeoutMs
  const left = () => (deadline === null ? null : deadline - Date.now())
  const cap = (ms) => (deadline === null ? ms : Math.max(0, Math.min(ms, left())))
  const timedOut = () => new CaptchaError('solvePage: the overall timeout passed before this captcha was solved', { kind: 'timeout', retryable: true })

  const found = []
  for (const frame of page.frames()) {
    if (cap(1) <= 0) throw timedOut()
    let widgets
    try {
      const childUrls = frame.childFrames().map((c) => c.url())
      widgets = await call(frame, 'scan', [{ ...scan, childUrls }], cap(EVAL_TIMEOUT_MS))
    } catch (e) {
      if (cap(1) <= 0) throw timedOut()
      continue // a frame that navigated, detached or hangs: the others still count
    }
    if (Array.isArray(widgets)) for (const w of widgets) if (w && typeof w === 'object') found.push({ frame, w })
  }
  let userAgent = null
  if (found.some(({ w }) => w.kind === 'Turnstile' && w.pageData)) {
    try {
      userAgent = String(await bounded(page.mainFrame().evaluate(() => navigator.userAgent), cap(EVAL_TIMEOUT_MS), 'the page'))
    } catch (e) {
      if (cap(1) <= 0) throw timedOut()
      throw e
    }
  }

  const one = async ({ frame, w }) => {
    const url = webUrl(frame)
    const base = {
      kind: w.kind,
      websiteKey: w.sitekey,
      frameUrl: url,
      taskId: undefined,
      provider: undefined,
      filled: false,
      callbackCalled: false,
      error: undefined,
    }
    let solution
    try {
      const ms = left()
      if (ms !== null && ms < 1) return { ...base, error: timedOut() }
      const opts = {}
      if (ms !== null) opts.timeoutMs = Math.max(1, Math.floor(ms))
      if (options.signal) opts.signal = options.signal
      if (options.onEvent) opts.onEvent = options.onEvent
      const solving = client.solve(task(w, url, userAgent), opts)
      solution = await (ms === null ? solving : bounded(solving, ms + SOLVE_GRACE_MS, 'the solve'))
    } catch (e) {
      if (!(e instanceof CaptchaError)) throw e
      // A held v3 execute this widget took up waits for the next solvePage again, then for
      // the vendor's own execute, instead of for a token that is not coming.
      await call(frame, 'release', [w.ref], Math.max(APPLY_GRACE_MS, cap(EVAL_TIMEOUT_MS))).catch(() => {})
      return { ...base, taskId: e.taskId, error: e }
    }
    let applied = null
    try {
      const ms = Math.max(APPLY_GRACE_MS, cap(EVAL_TIMEOUT_MS))
      applied = await call(frame, 'apply', [w.ref, solution.answer, { respKey: solution.respKey ?? '' }], ms)
    } catch {
      // The frame navigated away or detached meanwhile: solved, not written.
    }
    return {
      ...base,
      taskId: solution.taskId,
      provider: solution.provider,
      filled: !!(applied && applied.filled),
      callbackCalled: !!(applied && applied.callbackCalled),
    }
  }
  return Promise.all(found.map(one))
}

module.exports = { solvePage, prepare, pageScript, KINDS }
