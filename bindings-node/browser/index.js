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
// Without prepare, a reCAPTCHA v3 found by its badge is solved for `action` and the page's
// grecaptcha.execute is hooked then (by the search), so that the page's next
// execute(sitekey, { action }) (within 100 s) gets the token: `filled` is true. Where the page's
// execute cannot be reached from the frame, `filled` is false. Both are logged (NODE_DEBUG=capbridge).
// So is a Turnstile rendered by a turnstile.render() call without prepare (its callback, action
// and cData were never seen: the solve goes without them and `callbackCalled` is false), once
// per widget.
//
// Every argument is checked before anything is sent: a wrong one rejects with a CaptchaError of
// kind 'usage' naming the function, the option (`option`), what it takes and what it got; a
// misspelt option names the nearest one (`timeout`: timeoutMs, in milliseconds), as the Python
// helpers do for their keywords.
//
// Concurrent calls on one page do not solve a widget twice: each call's search claims what it
// reports; another call's search skips it until the claim ends: the token was written, the
// call gave it up, or, for a call that died (a killed process), its timeoutMs plus 30 s passed
// (10 minutes without one).
//
// Both libraries' frames offer the same calls used here: url(), childFrames(), parentFrame(),
// evaluate(fn, arg).
//
// A page (any frame of it) decides which captchas it shows, and so what solvePage spends: it
// can show widget markup for site keys of its choosing, or run a helper of its own under the
// helper's name (the helper runs in the page's realm). So what a frame reports is checked
// here before anything is sent, `kinds` and `visibleOnly` are applied again here, and
// `maxSolves` (default 10) bounds the solves of one call.

const { randomBytes } = require('node:crypto')
const { readFileSync } = require('node:fs')
const { join } = require('node:path')
const { debuglog } = require('node:util')
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
// Widgets solved per call unless `maxSolves` says otherwise: a page decides what it shows, and
// so how many solves (each one paid) a call would make.
const MAX_SOLVES = 10
// What a record from a page must look like to be solved: site keys as the core accepts them
// (letters, digits, '-', '_', '.'), and shorter than any vendor's.
const SITE_KEY = /^[A-Za-z0-9._-]{1,200}$/
// Optional text fields and their most characters (a challenge page's chlPageData runs to a
// few kilobytes; actions and cData are short).
const TEXTS = Object.freeze([['action', 200], ['cdata', 1000], ['pageData', 20000]])
const FLAGS = Object.freeze(['invisible', 'enterprise', 'visible', 'renderUnseen'])
// The most characters of the caller's `action` (what a record's action may hold: see TEXTS).
const ACTION_MOST = 200
const MISSING = '__capbridge_missing__'
// What prepare adds after the helper: its hooks, in every document, before the page's scripts.
const hooks = (holdMs) => `\n;window.__capbridgeBrowser.installHooks({ executeHoldMs: ${holdMs} })\n`
// How long a held v3 execute waits for solvePage to take it up before the vendor's own answers.
const EXECUTE_HOLD_MS = 60_000
// A call's claim on the widgets its search reported outlasts the call by this much (its last
// page evaluations are bounded by the timeout plus a few seconds); without a timeout, a claim
// lasts CLAIM_UNBOUNDED_MS (longer than any default solve deadline).
const CLAIM_MARGIN_MS = 30_000
const CLAIM_UNBOUNDED_MS = 600_000

// Written to stderr when NODE_DEBUG includes `capbridge`; by default Node logs nothing.
const log = debuglog('capbridge')

let source = null

/** The in-page helper's source (JavaScript; identical to the Python wheel's copy). */
function pageScript() {
  if (source === null) source = readFileSync(join(__dirname, 'page.js'), 'utf8')
  return source
}

function usage(message, option) {
  return new CaptchaError(message, { kind: 'usage', option })
}

/** A caller's value, for a message: as JavaScript writes it when short, else by its type. */
function given(v) {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '...' : v)
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v)
  if (typeof v === 'function') return 'a function'
  if (Array.isArray(v)) return 'an array'
  const name = typeof v === 'object' && typeof v.constructor === 'function' ? v.constructor.name : ''
  return name && name !== 'Object' ? `a value of type ${name}` : `an ${typeof v}`
}

const fold = (s) => s.replace(/[-_]/g, '').toLowerCase()

/**
 * What to add to the error for an unknown option `name` (`known`: the options, those ending in
 * `Ms` durations): the option spelt alike but for case, `_` and `-` (`visible_only`, another
 * library's spelling); for a duration given without its unit (`timeout`), the one in
 * milliseconds, said so, since the same number of seconds would be a thousand times longer;
 * else the most similar option, when near enough (the core's rule, asked of the core, as
 * the Python helpers ask it).
 */
function didYouMean(name, known) {
  const f = fold(name)
  const alike = known.find((k) => fold(k) === f)
  if (alike) return `; did you mean ${alike}?`
  const unit = known.find((k) => k.endsWith('Ms') && fold(k.slice(0, -2)) === f)
  if (unit) return `; did you mean ${unit}? Durations are milliseconds in JavaScript`
  const best = require('../load.js').__nearest(name, known)
  return best ? `; did you mean ${best}?` : ''
}

/** An options object, whose every name is one of `known` (a misspelt one would otherwise be
 * ignored: `timeout` would leave no deadline). */
function checkNames(fn, options, known) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw usage(`${fn}: options: expected an object of options (${known.join(', ')}), got ${given(options)}`, 'options')
  }
  for (const name of Object.keys(options)) {
    if (!known.includes(name)) {
      throw usage(`${fn}: unknown option ${JSON.stringify(name)}${didYouMean(name, known)} (expected ${known.join(', ')})`, name)
    }
  }
}

const PREPARE_OPTIONS = ['executeHoldMs']

/**
 * Adds the helper as an init script: Playwright `addInitScript` (Page or BrowserContext),
 * Puppeteer `evaluateOnNewDocument` (Page). Call it before navigating. `executeHoldMs`: how
 * long a held reCAPTCHA v3 execute waits for solvePage before the vendor's own answers it.
 */
async function prepare(target, options = {}) {
  checkNames('prepare', options, PREPARE_OPTIONS)
  const hold = options.executeHoldMs ?? EXECUTE_HOLD_MS
  if (typeof hold !== 'number' || !Number.isFinite(hold) || hold < 0 || hold > 600_000) {
    throw usage(`prepare: executeHoldMs: expected a number of milliseconds from 0 to 600000, got ${given(options.executeHoldMs)}`, 'executeHoldMs')
  }
  const script = pageScript() + hooks(Math.floor(hold))
  if (target && typeof target.addInitScript === 'function') {
    await target.addInitScript({ content: script })
  } else if (target && typeof target.evaluateOnNewDocument === 'function') {
    await target.evaluateOnNewDocument(script)
  } else {
    throw usage(`prepare: target: expected a Playwright Page or BrowserContext, or a Puppeteer Page, got ${given(target)}`, 'target')
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

// The helper's calls that end claims: a document without the helper holds none (no scan ran
// there, or the frame navigated since), so the helper is not added to it for them.
const ENDING = Object.freeze(['release', 'releaseCall'])

async function call(frame, op, args, ms) {
  const arg = { op, args }
  let result = await bounded(frame.evaluate(callInPage, arg), ms, 'the page')
  if (result === MISSING) {
    if (ENDING.includes(op)) return null
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
  } else if (w.kind === 'Turnstile') {
    if (w.action) t.action = w.action
    if (w.cdata) t.cdata = w.cdata
    if (w.pageData) {
      t.pageData = w.pageData
      // A challenge page's token is bound to the browser that shows it.
      if (userAgent) t.userAgent = userAgent
    }
  } else {
    // plan() refuses these first; a kind no branch knows is never sent as some other task.
    throw refused(`the kind ${shown(w.kind)} is not one solvePage solves`, 'kind')
  }
  return t
}

const SOLVE_PAGE_OPTIONS = ['timeoutMs', 'kinds', 'visibleOnly', 'action', 'maxSolves', 'signal', 'onEvent']

let taskKinds = null

/** Every kind of task capbridge solves (FunCaptcha is one, solved by client.solve). */
function allTaskKinds() {
  if (taskKinds === null) taskKinds = require('../load.js').__taskKinds()
  return taskKinds
}

/** solvePage's options, checked: a value of the wrong type would otherwise pass as another
 * (`visibleOnly: 'no'` is true, `kinds: 5` no kind at all). `undefined` is an option not
 * given; `null` too for `signal` and `onEvent` (none), as fetch takes `signal: null`. */
function checkOptions(options) {
  checkNames('solvePage', options, SOLVE_PAGE_OPTIONS)
  const { timeoutMs, kinds, visibleOnly = false, action = 'verify', maxSolves = MAX_SOLVES, signal, onEvent } = options
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0 && Number.isFinite(timeoutMs))) {
    throw usage(`solvePage: timeoutMs: expected a positive number of milliseconds, got ${given(timeoutMs)}`, 'timeoutMs')
  }
  let chosen = null
  if (kinds !== undefined) {
    if (typeof kinds === 'string') chosen = [kinds]
    else if (kinds !== null && typeof kinds === 'object' && typeof kinds[Symbol.iterator] === 'function') chosen = Array.from(kinds)
    else throw usage(`solvePage: kinds: expected an array of kinds (${KINDS.join(', ')}), got ${given(kinds)}`, 'kinds')
    for (const k of chosen) {
      if (KINDS.includes(k)) continue
      // FunCaptcha is no misspelt HCaptcha: a kind of its own, which pages are not searched for.
      const hint = allTaskKinds().includes(k)
        ? ', which solvePage does not look for (solve it with client.solve)'
        : typeof k === 'string' ? didYouMean(k, KINDS) : ''
      throw usage(`solvePage: kinds: expected some of ${KINDS.join(', ')}, got ${given(k)}${hint}`, 'kinds')
    }
  }
  if (typeof visibleOnly !== 'boolean') throw usage(`solvePage: visibleOnly: expected true or false, got ${given(visibleOnly)}`, 'visibleOnly')
  if (typeof action !== 'string' || !action || action.length > ACTION_MOST) {
    throw usage(`solvePage: action: expected reCAPTCHA v3's action, text of 1 to ${ACTION_MOST} characters, got ${given(action)}`, 'action')
  }
  if (!(Number.isSafeInteger(maxSolves) && maxSolves >= 1)) throw usage(`solvePage: maxSolves: expected a whole number from 1, got ${given(maxSolves)}`, 'maxSolves')
  if (signal != null && !(typeof signal === 'object' && typeof signal.aborted === 'boolean' && typeof signal.addEventListener === 'function')) {
    throw usage(`solvePage: signal: expected an AbortSignal, got ${given(signal)}`, 'signal')
  }
  if (onEvent != null && typeof onEvent !== 'function') {
    throw usage(`solvePage: onEvent: expected a function taking a SolveEvent, got ${given(onEvent)}`, 'onEvent')
  }
  return { timeoutMs, maxSolves, scan: { kinds: chosen, visibleOnly, action } }
}

// ---- what a page reports ---------------------------------------------------------------------
// The helper runs in the page's own realm: a page can define `window.__capbridgeBrowser`
// before the helper does (which then keeps it), or change the built-ins the helper uses. So a
// scan's records are the page's word: each is checked here, the caller's filters are applied
// again here, and the number of solves per call is bounded here.

/**
 * What becomes of each record `{ frame, w }`, in frame and page order: `{ frame, w }` to
 * solve, or `{ frame, w, error, release }` to report without a solve. A malformed record is
 * refused whatever the filters (a helper that is not ours sends one, and ours one for a widget
 * whose site key is malformed: the caller should hear of it); one the caller did not ask for is
 * left out, as our helper would have left it; of the rest, the first `maxSolves` are solved and
 * the others are reported over the cap. Those over the cap, and refused ones with a reference,
 * are given back (the search claimed them for this call; a v3 execute it took up goes back to
 * its hold).
 */
function plan(reported, scan, maxSolves) {
  const out = []
  let solving = 0
  for (const { frame, w } of reported) {
    const error = refusal(w)
    const record = w !== null && typeof w === 'object' && !Array.isArray(w) ? w : {}
    if (error) out.push({ frame, w: record, error, release: isRef(record.ref) })
    else if (!wanted(w, scan)) continue
    else if (solving >= maxSolves) out.push({ frame, w, error: overCap(maxSolves), release: true })
    else {
      solving++
      out.push({ frame, w })
    }
  }
  return out
}

/**
 * Why a record cannot come from a widget our helper found, or null: it has a kind solvePage
 * solves, a site key the core takes, a reference, and fields of the types (and sizes) the
 * helper writes.
 */
function refusal(w) {
  if (w === null || typeof w !== 'object' || Array.isArray(w)) return refused('it is not an object', 'record')
  if (typeof w.kind !== 'string' || !KINDS.includes(w.kind)) return refused(`the kind ${shown(w.kind)} is not one solvePage solves`, 'kind')
  if (typeof w.sitekey !== 'string' || !SITE_KEY.test(w.sitekey)) {
    return refused(`the site key ${shown(w.sitekey)} is not 1 to 200 letters, digits, '-', '_' or '.'`, 'websiteKey')
  }
  if (!isRef(w.ref)) return refused(`the reference ${shown(w.ref)} is not a whole number from 0`, 'ref')
  for (const name of FLAGS) {
    if (w[name] != null && typeof w[name] !== 'boolean') return refused(`${name} is ${shown(w[name])}, not true or false`, name)
  }
  for (const [name, most] of TEXTS) {
    const v = w[name]
    if (v != null && !(typeof v === 'string' && v.length <= most)) return refused(`${name} is not text of at most ${most} characters`, name)
  }
  return null
}

/** A widget's reference as the helper gives it: a whole number from 0. */
function isRef(ref) {
  return Number.isSafeInteger(ref) && ref >= 0
}

function refused(problem, field) {
  return new CaptchaError(`solvePage: a record the page reported was refused, not solved: ${problem}`, { kind: 'invalid_task', field })
}

/** A value from the page, for a message: text quoted and cut to 40 characters, anything else
 * by its type (the page chooses both the size and the content). */
function shown(v) {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '...' : v)
  if (v === undefined) return 'missing'
  if (v === null || typeof v === 'boolean' || typeof v === 'number') return String(v).slice(0, 24)
  return Array.isArray(v) ? 'an array' : `a value of type ${typeof v}`
}

/** The caller's `kinds` and `visibleOnly`, from the record's own fields: a helper that is
 * not ours may have ignored them. Shown means what our helper means: not invisible, not v3,
 * and on screen. */
function wanted(w, scan) {
  if (scan.kinds && !scan.kinds.includes(w.kind)) return false
  const shownOnPage = w.visible === true && !w.invisible && w.kind !== 'RecaptchaV3'
  return shownOnPage || !scan.visibleOnly
}

// A usage error: the caller's own bound stopped it, and raising maxSolves (or calling again:
// solved widgets are not reported twice) is the remedy; nothing failed at a service.
function overCap(maxSolves) {
  return new CaptchaError(`solvePage: not solved: this call already solves maxSolves (${maxSolves}) captchas`, { kind: 'usage', option: 'maxSolves' })
}

/** Logs where a v3 token solved from the badge went (as the helper's apply says, page.js),
 * when the result alone would let it pass unnoticed. */
function told(base, w, applied) {
  const where = applied && typeof applied === 'object' ? applied.v3 : undefined
  const q = JSON.stringify
  if (where === 'next-execute-late') {
    log('solvePage: reCAPTCHA v3 %s in %s was solved without prepare(): the token goes to the page\'s next grecaptcha.execute() for the action %s (made within 100 s); an execute the page made before this call got the vendor\'s token. Call prepare() before the page loads.', q(base.websiteKey), q(loggedUrl(base.frameUrl)), q(clipped(w.action)))
  } else if (where === 'no-hook') {
    log('solvePage: reCAPTCHA v3 %s in %s was solved, but the page\'s grecaptcha.execute() cannot be reached from that frame: the token is only in the badge\'s field (filled: false). Call prepare() before the page loads.', q(base.websiteKey), q(loggedUrl(base.frameUrl)))
  }
}

/** Logs each Turnstile the search found rendered by a turnstile.render() call nobody saw (see
 * page.js, renderUnseen), when it is found (a page says so once per widget), whatever becomes
 * of its solve: solved, it would look a success (filled, no error) with nothing to say that
 * the site's callback was not called and the token lacks the page's action and cData. */
function toldUnseen(found) {
  for (const { frame, w, error } of found) {
    if (w.renderUnseen !== true || w.kind !== 'Turnstile' || error?.kind === 'invalid_task') continue
    log('solvePage: Turnstile %s in %s was rendered by a turnstile.render() call that was not seen (no prepare() before the page loaded, and no data-sitekey markup to read): the callback, action and cData given to render() are unknown, so the token is solved without the action and cData, and the callback is not called (callbackCalled: false); the site may refuse the token. Call prepare() before the page loads.', JSON.stringify(clipped(w.sitekey)), JSON.stringify(loggedUrl(webUrl(frame))))
  }
}

/** A frame's URL as a log shows it: its origin and path, without the user name and password,
 * query or fragment (page URLs carry session and reset tokens; the result holds the URL). */
function loggedUrl(url) {
  let u
  try {
    u = new URL(url)
  } catch {
    return ''
  }
  // about:blank, data: ... have no host (and an origin of "null").
  return u.host ? `${u.protocol}//${u.host}${u.pathname}`.slice(0, 200) : u.protocol
}

/** A record's text as a result shows it: at most 200 characters, empty for what is not text
 * (a refused record's fields are the page's choice). */
function clipped(v) {
  return typeof v === 'string' ? v.slice(0, 200) : ''
}

/**
 * Finds the captchas in every frame of a Playwright or Puppeteer page, solves each through
 * `client`, writes the tokens and calls the widgets' callbacks. Resolves with one result per
 * captcha found (an empty array for a page without one). What a frame reports is checked, the
 * filters applied again and the solves capped at `maxSolves` before anything is sent.
 */
async function solvePage(page, client, options = {}) {
  if (!page || typeof page.frames !== 'function') throw usage(`solvePage: page: expected a Playwright or Puppeteer Page, got ${given(page)}`, 'page')
  if (!client || typeof client.solve !== 'function') throw usage(`solvePage: client: expected a capbridge Client, got ${given(client)}`, 'client')
  const { timeoutMs, maxSolves, scan } = checkOptions(options)
  const deadline = timeoutMs === undefined ? null : Date.now() + timeoutMs
  const left = () => (deadline === null ? null : deadline - Date.now())
  const cap = (ms) => (deadline === null ? ms : Math.max(0, Math.min(ms, left())))
  const timedOut = () => new CaptchaError('solvePage: the overall timeout passed before this captcha was solved', { kind: 'timeout', retryable: true })

  // This call's claim on what its search reports: an id of its own, and how long the page
  // keeps it should the call die without releasing it.
  const claim = randomBytes(12).toString('hex')
  const claimMs = (deadline === null ? CLAIM_UNBOUNDED_MS : Math.max(0, left())) + CLAIM_MARGIN_MS
  const reported = []
  // The frames whose scan answered, and those whose scan did not (it timed out or failed): a
  // page that was only slow still runs that scan, which claims what it reports for this call.
  const searched = []
  const stalled = []
  // Ends every claim this call still holds in these frames, at once in each (bounded: a frame
  // that does not answer keeps them until they expire).
  const releaseCall = (frames) => Promise.all(frames.map((f) => call(f, 'releaseCall', [claim], APPLY_GRACE_MS).catch(() => {})))
  let found
  let userAgent = null
  try {
    for (const frame of page.frames()) {
      if (cap(1) <= 0) throw timedOut()
      let widgets
      stalled.push(frame) // until its scan answers
      try {
        const childUrls = frame.childFrames().map((c) => c.url())
        widgets = await call(frame, 'scan', [{ ...scan, claim, claimMs, childUrls }], cap(EVAL_TIMEOUT_MS))
      } catch (e) {
        if (cap(1) <= 0) throw timedOut()
        continue // a frame that navigated, detached or hangs: the others still count
      }
      stalled.pop()
      if (Array.isArray(widgets)) {
        searched.push(frame)
        for (const w of widgets) reported.push({ frame, w })
      }
    }
    found = plan(reported, scan, maxSolves)
    toldUnseen(found)
    if (found.some(({ w, error }) => !error && w.kind === 'Turnstile' && w.pageData)) {
      try {
        userAgent = String(await bounded(page.mainFrame().evaluate(() => navigator.userAgent), cap(EVAL_TIMEOUT_MS), 'the page'))
      } catch (e) {
        if (cap(1) <= 0) throw timedOut()
        throw e
      }
    }
  } catch (e) {
    // The call stops before solving what it found: its claims end now, not at their expiry.
    await releaseCall([...searched, ...stalled])
    throw e
  }

  // The widget's claim ends (another call may solve it), and a held v3 execute it took up
  // waits for the next solvePage again, then for the vendor's own execute, instead of for a
  // token that is not coming.
  const release = (frame, w) => call(frame, 'release', [w.ref], Math.max(APPLY_GRACE_MS, cap(EVAL_TIMEOUT_MS))).catch(() => {})

  const one = async ({ frame, w, error, release: giveBack }) => {
    const url = webUrl(frame)
    const base = {
      kind: clipped(w.kind),
      websiteKey: clipped(w.sitekey),
      frameUrl: url,
      taskId: undefined,
      provider: undefined,
      filled: false,
      callbackCalled: false,
      error: undefined,
    }
    if (error) {
      if (giveBack) await release(frame, w)
      return { ...base, error }
    }
    let solution
    try {
      const ms = left()
      if (ms !== null && ms < 1) throw timedOut() // given back below, as a failed solve
      const opts = {}
      if (ms !== null) opts.timeoutMs = Math.max(1, Math.floor(ms))
      if (options.signal) opts.signal = options.signal
      if (options.onEvent) opts.onEvent = options.onEvent
      const solving = client.solve(task(w, url, userAgent), opts)
      solution = await (ms === null ? solving : bounded(solving, ms + SOLVE_GRACE_MS, 'the solve'))
    } catch (e) {
      await release(frame, w)
      if (!(e instanceof CaptchaError)) throw e
      return { ...base, taskId: e.taskId, error: e }
    }
    let applied = null
    try {
      const ms = Math.max(APPLY_GRACE_MS, cap(EVAL_TIMEOUT_MS))
      applied = await call(frame, 'apply', [w.ref, solution.answer, { respKey: solution.respKey ?? '' }], ms)
    } catch {
      // The frame navigated away or detached meanwhile: solved, not written.
    }
    told(base, w, applied)
    return {
      ...base,
      taskId: solution.taskId,
      provider: solution.provider,
      filled: !!(applied && applied.filled),
      callbackCalled: !!(applied && applied.callbackCalled),
    }
  }
  try {
    return await Promise.all(found.map(one))
  } finally {
    // What a scan that did not answer claimed meanwhile ends with the call.
    await releaseCall(stalled)
  }
}

module.exports = { solvePage, prepare, pageScript, KINDS }
