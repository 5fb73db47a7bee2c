// Types of `capbridge/browser`: solve the captchas of a page open in Playwright or Puppeteer.
// Written by hand. Pages are typed by the few methods used, so that both libraries' pages
// (any version with these calls) fit without this package depending on either.

import type { CaptchaError, Client, EventHandler } from '../index.js'

/** The kinds of captcha `solvePage` finds. */
export type PageCaptchaKind = 'RecaptchaV2' | 'RecaptchaV3' | 'HCaptcha' | 'Turnstile'

/** What `solvePage` uses of a frame (Playwright's and Puppeteer's `Frame` alike). */
export interface PageFrame {
  url(): string
  parentFrame(): PageFrame | null
  childFrames(): PageFrame[]
  evaluate(pageFunction: any, arg?: any): Promise<any>
}

/** A Playwright `Page` or a Puppeteer `Page`. */
export interface AutomationPage {
  frames(): PageFrame[]
  mainFrame(): PageFrame
}

/**
 * Where `prepare` adds its init script: a Playwright `Page` or `BrowserContext`
 * (`addInitScript`), or a Puppeteer `Page` (`evaluateOnNewDocument`).
 */
export type PrepareTarget =
  | { addInitScript(script: any, arg?: any): Promise<unknown> }
  | { evaluateOnNewDocument(pageFunction: any, ...args: any[]): Promise<unknown> }

/** Options of `solvePage`. */
export interface SolvePageOptions {
  /**
   * For everything, in milliseconds (default: each solve's own deadline). A token solved just
   * before it passes still gets a second to be written into the page.
   */
  timeoutMs?: number
  /** Solve only these kinds (checked again on what each frame reports). */
  kinds?: PageCaptchaKind[]
  /**
   * Solve only the widgets shown on the page (not invisible ones, not v3; checked again on
   * what each frame reports).
   */
  visibleOnly?: boolean
  /**
   * Solve at most this many captchas in this call (a whole number from 1; default 10). The
   * others found get a `usage` error whose `option` is `'maxSolves'` and are not sent: the
   * page decides what it shows, and so how many solves a call would pay for.
   */
  maxSolves?: number
  /**
   * reCAPTCHA v3's action when the page's own `execute` call was not seen (`prepare` sees
   * it; default `'verify'`).
   */
  action?: string
  /** Cancels every solve (each result then carries a `cancelled` error). */
  signal?: AbortSignal
  /** Receives every solve's events. */
  onEvent?: EventHandler
}

/** One captcha `solvePage` found, and what became of it. */
export interface PageCaptcha {
  /**
   * The widget's kind; for a record refused as malformed (`error.kind` `'invalid_task'`), what
   * the page reported there (any text, cut to 200 characters; empty when it was not text).
   */
  kind: PageCaptchaKind | (string & {})
  /** The widget's site key (for a refused record, as the page reported it, cut short). */
  websiteKey: string
  /** The URL of the frame holding the widget (the task's `websiteUrl`). */
  frameUrl: string
  /** The service's task id, once there is one (for `client.report`). */
  taskId: string | undefined
  /** The provider that answered (with failover, the one that solved it). */
  provider: string | undefined
  /**
   * The token was written into the widget (or handed to v3's `execute`). For reCAPTCHA v3
   * solved from its badge: the page's `execute` got it, or the page's next `execute` for that
   * site key and action (within 100 s) gets it; false when the page's `execute` cannot be
   * reached from its frame (the token is then only in the badge's field; logged under
   * `NODE_DEBUG=capbridge`).
   */
  filled: boolean
  /**
   * The widget's callback was called with the token and returned without throwing (for v3,
   * the `execute` promise was resolved). False for a Turnstile rendered by `turnstile.render`
   * without `prepare`: its callback (and its `action` and `cData`, so the solve went without
   * them) were never seen (logged under `NODE_DEBUG=capbridge`).
   */
  callbackCalled: boolean
  /**
   * Why the captcha was not solved. A solved captcha that could not be written (the frame
   * navigated away meanwhile) has `filled` false and no error. A record no widget could give
   * (an unknown kind, a missing or malformed site key, fields of the wrong types) has an
   * `invalid_task` error; a widget past `maxSolves` a `usage` error (`option` `'maxSolves'`).
   * Neither was sent.
   */
  error: CaptchaError | undefined
}

/**
 * Finds the captchas in every frame of the page (cross-origin frames included), solves each
 * through `client` (its failover, limits, deadlines and events apply), writes the tokens into
 * the widgets and calls their callbacks. The API key never enters the page. A page decides
 * what it shows (it can even run a helper of its own), so what a frame reports is checked,
 * filtered and capped at `maxSolves` before anything is sent. Rejects only for bad arguments
 * (a `usage` error whose `option` names it; a misspelt option names the nearest one), or when
 * `timeoutMs` passes while the page is still being searched.
 *
 * Widgets another call on the same page is solving are left to it (not in the results): the
 * search claims what it reports for this call until its token is written or the call gives it
 * up (a call that died without doing so: its `timeoutMs` plus 30 s, or 10 minutes without
 * one). Without `prepare`, reCAPTCHA v3's `execute` is hooked when v3 is found, so that the
 * page's next `execute` gets the token (see `PageCaptcha.filled`).
 */
export declare function solvePage(page: AutomationPage, client: Client, options?: SolvePageOptions): Promise<PageCaptcha[]>

/** Options of `prepare`. */
export interface PrepareOptions {
  /**
   * How long a held reCAPTCHA v3 `execute` waits for a `solvePage` to take it up before the
   * vendor's own `execute` answers it, so that the page is never left waiting (milliseconds,
   * 0 to 600000; default 60000).
   */
  executeHoldMs?: number
}

/**
 * Adds the in-page helper as an init script, so that it sees the widgets' `render()` options
 * (callbacks, Turnstile's `action`, `cData`, `chlPageData`) and holds reCAPTCHA v3's
 * `execute(sitekey, { action })` promise until `solvePage` resolves it. A v3 token `solvePage`
 * solved from the badge before the page asked (with `action` the page's action) answers the
 * page's `execute` at once. Call it before navigating; an explicitly rendered Turnstile needs it.
 */
export declare function prepare(target: PrepareTarget, options?: PrepareOptions): Promise<void>

/** The in-page helper's JavaScript source (the same file the Python wheel ships). */
export declare function pageScript(): string

/** The kinds `solvePage` finds. */
export declare const KINDS: readonly PageCaptchaKind[]
