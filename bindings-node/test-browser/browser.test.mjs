// capbridge/browser in headless Chromium, driven by Playwright (playwright-core) and Puppeteer
// (puppeteer-core), one Chromium for both: the page matrix (every page posts its form to the
// test's site, which verifies the tokens through the emulator's siteverify: a page passes only
// when the site accepted them), failover, the API key's absence from every page, the options.

import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, describe, test } from 'node:test'
import { CaptchaError, Client } from 'capbridge'
import { pageScript, prepare, solvePage } from 'capbridge/browser'
import { chromium as playwright } from 'playwright-core'
import puppeteer from 'puppeteer-core'
import { Emulator, REPO, eventually, freshKey } from '../test/helpers.mjs'
import { Chromium, MANIFEST, Site } from './site.mjs'

const FAST = { initialDelayMs: 50, pollIntervalMs: 50 }
const V3_SUBMIT_KEY = '6LcV3SubmitAAAA-execute-in-submit-handler7'
const ASKING = () => document.getElementById('status').textContent === 'asking for a token'
const VIEWPORT = { width: 1060, height: 260 }

let emu, site, browser

before(async () => {
  emu = await Emulator.start('--delay-ms', '50-150')
  site = await Site.start(emu)
  browser = await Chromium.start()
})

after(async () => {
  // Each one stopped even when another fails to: a server left running would hold the
  // process open until the runner's timeout.
  const stopped = await Promise.allSettled([browser?.stop(), site?.stop(), emu?.stop()])
  const failed = stopped.find((s) => s.status === 'rejected')
  if (failed) throw failed.reason
})

// The two libraries, behind the few calls the tests need.
const DRIVERS = {
  playwright: {
    async connect() {
      this.browser = await playwright.connectOverCDP(browser.endpoint)
    },
    async disconnect() {
      await this.browser.close()
    },
    async open(name, { prepared = true } = {}) {
      const context = await this.browser.newContext({ viewport: VIEWPORT })
      if (prepared) await prepare(context) // a BrowserContext: every page of it
      const page = await context.newPage()
      await page.goto(site.url(`/pages/${name}.html`))
      await page.waitForFunction('window.pageReady === true')
      return { page, close: () => context.close() }
    },
    async verdict(frame) {
      await frame.waitForSelector('#verdict')
      return JSON.parse(await frame.textContent('#verdict'))
    },
  },
  puppeteer: {
    async connect() {
      this.browser = await puppeteer.connect({ browserURL: browser.endpoint, defaultViewport: VIEWPORT })
    },
    async disconnect() {
      await this.browser.disconnect()
    },
    async open(name, { prepared = true } = {}) {
      const context = await this.browser.createBrowserContext()
      const page = await context.newPage()
      if (prepared) await prepare(page)
      await page.goto(site.url(`/pages/${name}.html`))
      await page.waitForFunction('window.pageReady === true', { timeout: 30_000 })
      return { page, close: () => context.close() }
    },
    async verdict(frame) {
      await frame.waitForSelector('#verdict', { timeout: 30_000 })
      return JSON.parse(await frame.$eval('#verdict', (e) => e.textContent))
    },
  },
}

/** The frame holding a page's form: the main one, or the iframe of the framed form. */
function formFrame(page, spec) {
  if (spec.form === 'main') return page.mainFrame()
  const frame = page.frames().find((f) => f.url().includes('/pages/inner.html'))
  assert.ok(frame, 'no framed form')
  return frame
}

async function checkResults(results, spec, { provider } = {}) {
  assert.deepEqual(
    results.map((r) => [r.kind, r.websiteKey]),
    spec.expect.map((e) => [e.kind, e.sitekey]),
  )
  for (const [i, r] of results.entries()) {
    const e = spec.expect[i]
    assert.equal(r.error, undefined, String(r.error))
    assert.ok(r.filled, JSON.stringify(r))
    assert.ok(r.taskId)
    assert.equal(r.callbackCalled, e.callback, JSON.stringify(r))
    if (provider) assert.equal(r.provider, provider)
    if (e.frame) assert.ok(r.frameUrl.endsWith(site.render(e.frame)), r.frameUrl)
    const task = await emu.task(r.taskId)
    // form: the fields as sent; json: the project's names.
    assert.equal(task.params.pageurl ?? task.params.website_url, r.frameUrl)
    for (const [name, value] of Object.entries(e.params ?? {})) assert.equal(task.params[name], value, name)
  }
}

// hostile.html defines window.__capbridgeBrowser itself: its scan reports a record of an
// unknown kind, a Turnstile record without a site key, then 25 made-up widgets (refs 0..11
// Turnstile shown, 12..14 Turnstile hidden, 15..24 RecaptchaV2 / HCaptcha / RecaptchaV3 in
// turn, all claiming to be shown) whatever it is asked. What reaches the emulator is what was
// paid for.
const HOSTILE_TURNSTILE = Array.from({ length: 15 }, (_, i) => `0x4AAAAAAAHostileTurnstile${String(i).padStart(2, '0')}`)

/** The kind of every task the emulator received for `key`, in order. */
async function taskKinds(key) {
  return Promise.all((await emu.taskIds(key)).map(async (id) => (await emu.task(id)).kind))
}

/** The page's two records no widget could give: refused as invalid tasks, nothing sent. */
function checkRefused(results) {
  assert.deepEqual(results.map((r) => [r.kind, r.websiteKey, r.error?.kind, r.error?.field, r.filled, r.taskId]), [
    ['NotAKind', 'WHATEVER', 'invalid_task', 'kind', false, undefined],
    ['Turnstile', '', 'invalid_task', 'websiteKey', false, undefined],
  ])
  assert.ok(results.every((r) => r.error instanceof CaptchaError))
}

function checkCapped(results) {
  for (const r of results) {
    assert.ok(r.error instanceof CaptchaError, JSON.stringify(r))
    assert.deepEqual([r.error.kind, r.error.option, r.filled, r.taskId], ['usage', 'maxSolves', false, undefined])
  }
}

for (const [library, driver] of Object.entries(DRIVERS)) {
  describe(library, () => {
    before(() => driver.connect())
    after(() => driver.disconnect())

    for (const name of Object.keys(MANIFEST).sort()) {
      test(`the page matrix: ${name}`, async () => {
        const spec = MANIFEST[name]
        const { page, close } = await driver.open(name)
        try {
          const client = new Client({ provider: emu.url, apiKey: freshKey(), ...FAST })
          const results = await solvePage(page, client, { timeoutMs: 120_000, ...spec.solve })
          await checkResults(results, spec)
          const frame = formFrame(page, spec)
          if (spec.submit) await frame.click(spec.submit)
          const verdict = await driver.verdict(frame)
          assert.ok(verdict.accepted, JSON.stringify(verdict, null, 1))
          assert.equal(verdict.checks.length, spec.verify.length)
        } finally {
          await close()
        }
      })
    }

    test('a client whose first provider has no money solves through the second', async () => {
      const broke = freshKey()
      await emu.account(broke, { balance: 0 })
      const events = []
      const client = new Client({
        providers: [
          { provider: '2captcha', apiKey: broke, baseUrl: emu.url + '2captcha/' },
          { provider: 'capsolver', apiKey: freshKey(), baseUrl: emu.url + 'capsolver/' },
        ],
        ...FAST,
      })
      const spec = MANIFEST.implicit
      const { page, close } = await driver.open('implicit')
      try {
        const results = await solvePage(page, client, { onEvent: (e) => events.push(e) })
        await checkResults(results, spec, { provider: 'capsolver' })
        await page.mainFrame().click('#submit')
        assert.ok((await driver.verdict(page.mainFrame())).accepted)
      } finally {
        await close()
      }
      const switched = events.find((e) => e.step === 'switched_provider')
      assert.ok(switched, 'no switch')
      assert.deepEqual([switched.provider, switched.to, switched.errorKind], ['2captcha', 'capsolver', 'balance'])
    })

    test('no page can read the API key', async () => {
      const key = freshKey()
      const client = new Client({ provider: emu.url, apiKey: key, ...FAST })
      let tokensSeen = 0
      let frames = 0
      for (const name of ['several', 'iframe-cross', 'turnstile']) {
        const { page, close } = await driver.open(name)
        try {
          const results = await solvePage(page, client)
          assert.ok(results.length > 0 && results.every((r) => r.filled))
          const answers = await Promise.all(results.map(async (r) => (await emu.task(r.taskId)).answer))
          for (const frame of page.frames()) {
            if (!(await frame.evaluate(() => typeof window.capbridgeCollect === 'function'))) continue
            const dump = await frame.evaluate(() => window.capbridgeCollect())
            frames++
            // The search works: it reaches the tokens the page received, its globals, the DOM.
            tokensSeen += answers.filter((a) => dump.includes(a)).length
            assert.ok(dump.includes('capbridgeCollect') && dump.includes('pageReady'))
            for (const part of [key, key.slice(0, 12), key.slice(10, 22), key.slice(-12)]) {
              assert.ok(!dump.includes(part), `the API key is readable in ${name}`)
            }
          }
        } finally {
          await close()
        }
      }
      assert.ok(frames >= 3 && tokensSeen >= 4, `${frames} frames, ${tokensSeen} tokens`)
    })

    test('an explicitly rendered Turnstile is found without prepare, by its iframe', async () => {
      const client = new Client({ provider: emu.url, apiKey: freshKey(), ...FAST })
      const { page, close } = await driver.open('turnstile', { prepared: false })
      try {
        const results = await solvePage(page, client)
        assert.deepEqual(
          results.map((r) => [r.kind, r.websiteKey, r.filled, r.callbackCalled]),
          [['Turnstile', '0x4AAAAAAATurnstileExplicit07', true, false]],
        )
      } finally {
        await close()
      }
    })

    test("a challenge page is solved as this browser (its user agent goes with the task)", async () => {
      const client = new Client({ provider: emu.url, apiKey: freshKey(), ...FAST })
      const { page, close } = await driver.open('challenge')
      try {
        const results = await solvePage(page, client)
        assert.deepEqual(results.map((r) => [r.kind, r.filled, r.callbackCalled, r.error]), [['Turnstile', true, true, undefined]])
        const { params } = await emu.task(results[0].taskId)
        assert.deepEqual([params.action, params.data, params.pagedata], ['managed', 'ray-8c0ffee', 'chl-page-data-3gAFo2l2'])
        assert.equal(params.userAgent, await page.evaluate(() => navigator.userAgent))
      } finally {
        await close()
      }
    })

    test("the real widgets' markup is found without their scripts", async () => {
      const client = new Client({ provider: emu.url, apiKey: freshKey(), ...FAST })
      const { page, close } = await driver.open('real-markup', { prepared: false })
      try {
        const results = await solvePage(page, client)
        assert.deepEqual(results.map((r) => [r.kind, r.websiteKey, r.filled, r.error]), [
          ['RecaptchaV2', '6LcRealMarkupAAA-google-anchor-frame-0016', true, undefined],
          ['HCaptcha', 'a5f74b19-9e45-40e0-b45d-47ff91b7a6c2', true, undefined],
          ['Turnstile', '0x4AAAAAAADnPIDROrmt1Wwj', true, undefined],
        ])
        // Every response field got its widget's token (hCaptcha's reCAPTCHA-compatible one too).
        const empty = await page.mainFrame().evaluate(() => [...document.querySelectorAll('[name$=-response]')].filter((e) => !e.value).length)
        assert.equal(empty, 0)
      } finally {
        await close()
      }
    })

    test('a page running its own helper gets only the kinds asked for, and at most maxSolves', async () => {
      const solve = async (key, options) => {
        const { page, close } = await driver.open('hostile')
        try {
          const client = new Client({ provider: emu.url, apiKey: key, ...FAST })
          const results = await solvePage(page, client, { timeoutMs: 120_000, ...options })
          return { results, calls: await page.evaluate(() => window.hostileCalls) }
        } finally {
          await close()
        }
      }
      // Turnstile only: of its 15, the first 10 (the default cap) are solved, the rest reported.
      let key = freshKey()
      let { results, calls } = await solve(key, { kinds: ['Turnstile'] })
      checkRefused(results.slice(0, 2))
      assert.deepEqual(results.slice(2).map((r) => [r.kind, r.websiteKey]), HOSTILE_TURNSTILE.map((k) => ['Turnstile', k]))
      assert.ok(results.slice(2, 12).every((r) => r.error === undefined && r.filled && r.taskId))
      checkCapped(results.slice(12))
      assert.deepEqual(await taskKinds(key), Array(10).fill('Turnstile'))
      assert.deepEqual(calls.filter(([op]) => op === 'apply').map(([, ref]) => ref).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])

      // Shown widgets only: not the hidden Turnstiles, not the v3 records that claim to be shown.
      key = freshKey()
      ;({ results } = await solve(key, { visibleOnly: true, maxSolves: 30 }))
      checkRefused(results.slice(0, 2))
      assert.deepEqual(results.slice(2).map((r) => r.kind), [...Array(12).fill('Turnstile'), 'RecaptchaV2', 'HCaptcha', 'RecaptchaV2', 'HCaptcha', 'RecaptchaV2', 'HCaptcha', 'RecaptchaV2'])
      assert.ok(results.slice(2).every((r) => r.error === undefined && r.filled))
      assert.deepEqual((await taskKinds(key)).sort(), [...Array(3).fill('HCaptcha'), ...Array(4).fill('RecaptchaV2'), ...Array(12).fill('Turnstile')])

      // One solve: every other widget is reported over the cap and given back (the search
      // claimed it for the call; a v3 execute it took up goes back to its hold), and so are
      // the two refused records (our helper reports a widget whose site key is malformed, and
      // claims it).
      key = freshKey()
      ;({ results, calls } = await solve(key, { maxSolves: 1 }))
      checkRefused(results.slice(0, 2))
      assert.equal(results.length, 27)
      assert.deepEqual([results[2].websiteKey, results[2].filled], [HOSTILE_TURNSTILE[0], true])
      checkCapped(results.slice(3))
      assert.equal((await taskKinds(key)).length, 1)
      assert.deepEqual(calls.filter(([op]) => op === 'release').map(([, ref]) => ref).sort((a, b) => a - b), [...Array.from({ length: 24 }, (_, i) => i + 1), 98, 99])

      key = freshKey()
      for (const bad of [0, -1, 1.5, true, '3', null, Infinity]) {
        await assert.rejects(solve(key, { maxSolves: bad }), (e) => e instanceof CaptchaError && e.kind === 'usage' && e.option === 'maxSolves', String(bad))
      }
      assert.deepEqual(await taskKinds(key), [])
    })

    // v3-on-submit.html asks grecaptcha.execute for its token when the form is sent. Without
    // prepare nothing was hooked when it loaded: solvePage hooks execute when it finds v3, so
    // that the page's next execute gets the token it solved (queued: no callback yet).
    test("reCAPTCHA v3 without prepare: the page's next execute gets the token solved", async () => {
      const key = freshKey()
      const { page, close } = await driver.open('v3-on-submit', { prepared: false })
      try {
        const client = new Client({ provider: emu.url, apiKey: key, ...FAST })
        const results = await solvePage(page, client, { timeoutMs: 120_000, action: 'login' })
        assert.deepEqual(results.map((r) => [r.kind, r.websiteKey, r.filled, r.callbackCalled, r.error]), [
          ['RecaptchaV3', V3_SUBMIT_KEY, true, false, undefined],
        ])
        await page.mainFrame().click('#submit') // the page's own execute, made after the solve
        const verdict = await driver.verdict(page.mainFrame())
        assert.ok(verdict.accepted, JSON.stringify(verdict, null, 1))
        assert.equal(verdict.checks[0].reply.action, 'login')
        assert.equal((await emu.taskIds(key)).length, 1)
      } finally {
        await close()
      }
    })

    // The first call's solve is held at the emulator; a second call made meanwhile finds the
    // widget claimed and leaves it: one submit in all, and the site accepts the token.
    test('two concurrent solvePage calls on one page solve its widget once', async () => {
      const key = freshKey()
      await emu.rule({ when: { key }, delay_ms: 3_600_000 })
      const { page, close } = await driver.open('implicit')
      try {
        const client = new Client({ provider: emu.url, apiKey: key, ...FAST })
        const first = solvePage(page, client, { timeoutMs: 120_000 })
        await eventually('the first call is solving', async () => (await emu.taskIds(key)).length === 1)
        assert.deepEqual(await solvePage(page, client, { timeoutMs: 120_000 }), [])
        assert.ok((await emu.finish()) >= 1) // this test's task, and any an earlier test left held
        assert.deepEqual((await first).map((r) => [r.kind, r.filled, r.error]), [['RecaptchaV2', true, undefined]])
        assert.equal((await emu.taskIds(key)).length, 1, 'one solve in all')
        await page.mainFrame().click('#submit')
        const verdict = await driver.verdict(page.mainFrame())
        assert.ok(verdict.accepted, JSON.stringify(verdict, null, 1))
      } finally {
        await close()
      }
    })

    test('options: kinds, visible widgets only, a page without captchas, bad options', async () => {
      const client = new Client({ provider: emu.url, apiKey: freshKey(), ...FAST })
      const solve = async (name, options) => {
        const { page, close } = await driver.open(name)
        try {
          return await solvePage(page, client, options)
        } finally {
          await close()
        }
      }
      assert.deepEqual((await solve('hidden')).map((r) => r.websiteKey), [
        '6LcShownAAAAAAA-visible-checkbox-0000013',
        '6LcHiddenAAAAAA-hidden-checkbox-00000014',
      ])
      assert.deepEqual((await solve('hidden', { visibleOnly: true })).map((r) => r.websiteKey), [
        '6LcShownAAAAAAA-visible-checkbox-0000013',
      ])
      assert.deepEqual((await solve('several', { kinds: ['Turnstile'] })).map((r) => [r.kind, r.filled]), [['Turnstile', true]])
      assert.deepEqual(await solve('empty'), [])
      await assert.rejects(solve('empty', { kinds: ['FunCaptcha'] }), (e) => e instanceof CaptchaError && e.kind === 'usage' && e.option === 'kinds')
      // A misspelled option is refused, not ignored (`timeout` would leave no deadline).
      for (const [bad, name] of [[{ timeout: 60_000 }, 'timeout'], [{ visible_only: true }, 'visible_only']]) {
        await assert.rejects(solve('empty', bad), (e) => e instanceof CaptchaError && e.kind === 'usage' && e.option === name &&
          e.message.includes('expected timeoutMs, kinds, visibleOnly'), name)
      }
      await assert.rejects(prepare({}), (e) => e instanceof CaptchaError && e.option === 'target')
    })
  })
}

// ---- what a call ends, on pages of its own making ---------------------------------------------
// Frames that answer as a page would (no browser): what matters is which helper calls each got.

const WIDGET = { kind: 'RecaptchaV2', sitekey: '6LcFakeFrameAAAA-a-widget-of-this-test00', ref: 1, invisible: false, enterprise: false, visible: true }

/** A frame whose helper reports `widgets`, or whose scan fails (`fails`) or answers only at
 * `busyUntil` (Date.now()), blocking the process meanwhile, as a page that answers late. Every
 * helper call it gets is kept in `calls`; anything else asked of it (the user agent) fails, as
 * a page closed meanwhile does. */
function fakeFrame(widgets = [], { fails = false, busyUntil = 0 } = {}) {
  const calls = []
  return {
    calls,
    ops: (...names) => calls.filter(([op]) => names.includes(op)).map(([, arg]) => arg),
    url: () => 'https://example.com/login',
    parentFrame: () => null,
    childFrames: () => [],
    evaluate(fn, a) {
      if (!a) return Promise.reject(new Error('Target page, context or browser has been closed'))
      calls.push([a.op, a.args[0]])
      if (a.op !== 'scan') return Promise.resolve(a.op === 'apply' ? { filled: true, callbackCalled: false } : true)
      if (fails) return Promise.reject(new Error('Execution context was destroyed'))
      while (Date.now() < busyUntil) { /* the page's answer comes once the call's time is up */ }
      return Promise.resolve(widgets)
    },
  }
}

const fakePage = (...frames) => ({ frames: () => frames, mainFrame: () => frames[0] })

/** The claim the call's scans carried: one scan in each frame, all for one call. */
function claimOf(...frames) {
  const scans = frames.flatMap((f) => f.ops('scan'))
  assert.equal(scans.length, frames.length)
  assert.equal(new Set(scans.map((s) => s.claim)).size, 1)
  return [scans[0].claim]
}

describe('what a call ends', () => {
  const noSolve = { solve: () => assert.fail('nothing is to be solved') }

  // The search's answer came after the call's time ran out: the widget it claimed is not
  // solved, and is given back.
  test('a widget left unsolved at the deadline is given back', async () => {
    const frame = fakeFrame([WIDGET], { busyUntil: Date.now() + 100 })
    const results = await solvePage(fakePage(frame), noSolve, { timeoutMs: 50 })
    assert.deepEqual(results.map((r) => [r.websiteKey, r.filled, r.error?.kind]), [[WIDGET.sitekey, false, 'timeout']])
    assert.deepEqual(frame.ops('release'), [1])
  })

  // A frame whose scan failed (or timed out) is left out of the search, but a page that was
  // only slow still runs the scan, claiming for this call: the call's end releases the call's
  // claims there, whether it ended well or not. A refused record (our helper reports a
  // malformed site key too) is given back.
  test('what a scan that did not answer claimed is given up when the call ends', async () => {
    const client = new Client({ provider: emu.url, apiKey: freshKey(), ...FAST })
    const refused = { ...WIDGET, sitekey: 'not a site key', ref: 7 }
    let fine = fakeFrame([WIDGET, refused])
    let failing = fakeFrame([], { fails: true })
    const results = await solvePage(fakePage(fine, failing), client, { timeoutMs: 120_000 })
    assert.deepEqual(results.map((r) => [r.websiteKey, r.filled, r.error?.kind]), [[WIDGET.sitekey, true, undefined], ['not a site key', false, 'invalid_task']])
    assert.deepEqual([fine.ops('apply'), fine.ops('release'), fine.ops('releaseCall')], [[1], [7], []])
    assert.deepEqual(failing.ops('releaseCall'), claimOf(fine, failing))

    // Failed after the search (the page closed before its user agent was read): every frame
    // asked gives its claims up.
    fine = fakeFrame([{ ...WIDGET, kind: 'Turnstile', sitekey: '0x4AAAAAAAFakeFrameTurnstile', pageData: 'p' }])
    failing = fakeFrame([], { fails: true })
    await assert.rejects(solvePage(fakePage(fine, failing), noSolve, { timeoutMs: 120_000 }), /has been closed/)
    assert.deepEqual(fine.ops('releaseCall'), claimOf(fine, failing))
    assert.deepEqual(failing.ops('releaseCall'), claimOf(fine, failing))
  })
})

// Each wrong argument rejects with a usage error before anything is sent, as the Python helpers
// raise one: the message names the function, the option (also `option`), what it takes and what
// it got; a misspelt option names the nearest one (a duration without its unit: the option in
// milliseconds, said so).
test('every option is checked, naming it, what it takes and what it got', async () => {
  const key = freshKey()
  const client = new Client({ provider: emu.url, apiKey: key, ...FAST })
  const page = fakePage(fakeFrame([WIDGET]))
  const refused = async (call, option, says) => {
    await assert.rejects(call(), (e) => {
      assert.ok(e instanceof CaptchaError, String(e))
      assert.deepEqual([e.kind, e.option], ['usage', option], e.message)
      assert.ok(e.message.includes(says), `${e.message}\n  lacks: ${says}`)
      return true
    })
  }
  const cases = [
    ['timeoutMs', { timeoutMs: '10' }, 'solvePage: timeoutMs: expected a positive number of milliseconds, got "10"'],
    ['timeoutMs', { timeoutMs: -1 }, 'got -1'],
    ['timeoutMs', { timeoutMs: Infinity }, 'got Infinity'],
    ['kinds', { kinds: 5 }, 'solvePage: kinds: expected an array of kinds (RecaptchaV2, RecaptchaV3, HCaptcha, Turnstile), got 5'],
    ['kinds', { kinds: null }, 'got null'],
    ['kinds', { kinds: ['turnstile'] }, 'got "turnstile"; did you mean Turnstile?'],
    ['kinds', { kinds: ['FunCaptcha'] }, 'got "FunCaptcha", which solvePage does not look for (solve it with client.solve)'],
    ['visibleOnly', { visibleOnly: 'yes' }, 'solvePage: visibleOnly: expected true or false, got "yes"'],
    ['visibleOnly', { visibleOnly: 1 }, 'got 1'],
    ['action', { action: '' }, "solvePage: action: expected reCAPTCHA v3's action, text of 1 to 200 characters, got \"\""],
    ['action', { action: 'a'.repeat(201) }, 'solvePage: action: expected'],
    ['maxSolves', { maxSolves: '3' }, 'solvePage: maxSolves: expected a whole number from 1, got "3"'],
    ['signal', { signal: {} }, 'solvePage: signal: expected an AbortSignal, got an object'],
    ['onEvent', { onEvent: 3 }, 'solvePage: onEvent: expected a function taking a SolveEvent, got 3'],
    ['timeout', { timeout: 10 }, 'solvePage: unknown option "timeout"; did you mean timeoutMs? Durations are milliseconds in JavaScript'],
    ['timeout_ms', { timeout_ms: 10_000 }, 'unknown option "timeout_ms"; did you mean timeoutMs?'],
    ['visible_only', { visible_only: true }, 'unknown option "visible_only"; did you mean visibleOnly?'],
    ['maxSolve', { maxSolve: 3 }, 'unknown option "maxSolve"; did you mean maxSolves?'],
    ['options', [], 'solvePage: options: expected an object of options (timeoutMs, kinds, visibleOnly, action, maxSolves, signal, onEvent), got an array'],
  ]
  for (const [option, options, says] of cases) await refused(() => solvePage(page, client, options), option, says)
  await refused(() => solvePage(null, client), 'page', 'solvePage: page: expected a Playwright or Puppeteer Page, got null')
  await refused(() => solvePage(page, {}), 'client', 'solvePage: client: expected a capbridge Client, got an object')
  // null is no option given for the two that take "none".
  assert.equal((await solvePage(fakePage(fakeFrame()), client, { signal: null, onEvent: null })).length, 0)

  const target = { addInitScript: () => assert.fail('a wrong option is refused before anything is added') }
  await refused(() => prepare(target, { executeHold: 5 }), 'executeHold', 'prepare: unknown option "executeHold"; did you mean executeHoldMs? Durations are milliseconds in JavaScript')
  await refused(() => prepare(target, { execute_hold_ms: 5 }), 'execute_hold_ms', 'did you mean executeHoldMs?')
  await refused(() => prepare(target, { executeHoldMs: '5' }), 'executeHoldMs', 'prepare: executeHoldMs: expected a number of milliseconds from 0 to 600000, got "5"')
  await refused(() => prepare({}), 'target', 'prepare: target: expected a Playwright Page or BrowserContext, or a Puppeteer Page, got an object')
  assert.deepEqual(await emu.taskIds(key), [])
})

// util.debuglog reads NODE_DEBUG when a process starts: what solvePage logs is read from a run of
// solve-logged.mjs in a process of its own (on this file's Chromium, site and emulator).
function solveLogged(name, prepared) {
  const arg = JSON.stringify({ endpoint: browser.endpoint, url: site.url(`/pages/${name}.html?session=s3cr3t`), emulator: emu.url, apiKey: freshKey(), prepared })
  const child = spawn(process.execPath, [fileURLToPath(new URL('solve-logged.mjs', import.meta.url)), arg], {
    env: { ...process.env, NODE_DEBUG: 'capbridge' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => { stdout += d })
  child.stderr.on('data', (d) => { stderr += d })
  // Not spawnSync: the site and the emulator's client live in this process's event loop.
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`solve-logged.mjs exited with ${code}:\n${stderr}`))
      resolve({ results: JSON.parse(stdout), log: stderr })
    })
  })
}

// The site key comes from the iframe's URL (in a closed shadow root); the callback, the action
// and cData were only ever given to render(), which nobody saw: solved without them, the result
// alone (filled, no error) would pass for a success, so it is logged, once per widget (reset and
// solved again: not twice), with the frame's origin and path only. Prepared: nothing logged.
test('an explicitly rendered Turnstile without prepare is logged (NODE_DEBUG=capbridge), once', async () => {
  const unseen = (log) => log.split('\n').filter((line) => line.includes('turnstile.render()'))
  let { results, log } = await solveLogged('turnstile', false)
  assert.deepEqual(results.flat().map((r) => [r.kind, r.websiteKey, r.filled, r.callbackCalled, r.error]), [
    ['Turnstile', '0x4AAAAAAATurnstileExplicit07', true, false, undefined],
    ['Turnstile', '0x4AAAAAAATurnstileExplicit07', true, false, undefined],
  ])
  const { params } = await emu.task(results[0][0].taskId)
  assert.deepEqual([params.action, params.data], [undefined, undefined], 'solved without the action and cData')
  const lines = unseen(log)
  assert.equal(lines.length, 1, log)
  assert.ok(lines[0].includes('solvePage: Turnstile "0x4AAAAAAATurnstileExplicit07" in ') && lines[0].includes('prepare()'), lines[0])
  assert.ok(lines[0].includes(`"${site.origin}/pages/turnstile.html"`) && !lines[0].includes('s3cr3t'), lines[0])

  ;({ results, log } = await solveLogged('turnstile', true))
  assert.deepEqual(results.flat().map((r) => [r.filled, r.callbackCalled, r.error]), [[true, true, undefined], [true, true, undefined]])
  assert.equal((await emu.task(results[0][0].taskId)).params.action, 'signup')
  assert.deepEqual(unseen(log), [], log)
})

test('the shipped page script is the canonical one', () => {
  assert.equal(pageScript(), readFileSync(join(REPO, 'browser', 'page.js'), 'utf8'), 'bindings-node/browser/page.js differs from browser/page.js: copy the canonical file over it')
})

// Widgets a scraper meets again and again (Playwright; the in-page script is the same for
// Puppeteer): a widget reset after a solve is solved again, a widget whose script loads after
// the solve ends up holding the token (one field, posted), and hCaptcha's one-argument
// `execute({ async: true })` promise is resolved.
describe('widgets over time', () => {
  before(() => DRIVERS.playwright.connect())
  after(() => DRIVERS.playwright.disconnect())

  test('a widget reset after its solve is found and solved again', async () => {
    const { page, close } = await DRIVERS.playwright.open('implicit')
    try {
      const client = new Client({ provider: emu.url, apiKey: freshKey(), ...FAST })
      const first = await solvePage(page, client, { timeoutMs: 120_000 })
      assert.deepEqual(first.map((r) => r.filled), [true])
      assert.deepEqual(await solvePage(page, client, { timeoutMs: 120_000 }), [], 'a filled widget is not solved twice')
      await page.evaluate(() => window.grecaptcha.reset())
      const again = await solvePage(page, client, { timeoutMs: 120_000 })
      assert.deepEqual(again.map((r) => [r.kind, r.filled]), [['RecaptchaV2', true]])
      assert.notEqual(again[0].taskId, first[0].taskId)
      assert.ok(await page.evaluate(() => window.grecaptcha.getResponse().length > 0))
      await page.click('#submit')
      const verdict = await DRIVERS.playwright.verdict(page.mainFrame())
      assert.ok(verdict.accepted, JSON.stringify(verdict, null, 1))
    } finally {
      await close()
    }
  })

  test("a widget whose script loads after the solve takes the token into its own field", async () => {
    const context = await DRIVERS.playwright.browser.newContext({ viewport: VIEWPORT })
    try {
      await prepare(context)
      const page = await context.newPage()
      let letGo
      const held = new Promise((ok) => { letGo = ok })
      await page.route('**/recaptcha/api.js*', async (route) => {
        await held
        await route.continue()
      })
      await page.goto(site.url('/pages/implicit.html'), { waitUntil: 'domcontentloaded' })
      const client = new Client({ provider: emu.url, apiKey: freshKey(), ...FAST })
      const results = await solvePage(page, client, { timeoutMs: 120_000 })
      assert.deepEqual(results.map((r) => [r.kind, r.filled]), [['RecaptchaV2', true]])
      letGo()
      await page.waitForFunction('window.pageReady === true')
      await page.waitForFunction(() => document.querySelectorAll('textarea[name="g-recaptcha-response"]').length === 1 &&
        window.grecaptcha.getResponse().length > 0)
      await page.click('#submit')
      const verdict = await DRIVERS.playwright.verdict(page.mainFrame())
      assert.ok(verdict.accepted, JSON.stringify(verdict, null, 1))
    } finally {
      await context.close()
    }
  })

  // The common v3 pattern: the form's submit handler calls execute, then sends the form. The
  // page matrix covers a solve made before the click (solvePage with the page's action); here,
  // the click comes first, and then no solve at all.
  test('a v3 execute made on submit waits for solvePage, and never longer than its hold', async () => {
    const open = async (options) => {
      const context = await DRIVERS.playwright.browser.newContext({ viewport: VIEWPORT })
      await prepare(context, options)
      const page = await context.newPage()
      await page.goto(site.url('/pages/v3-on-submit.html'))
      await page.waitForFunction('window.pageReady === true')
      return { page, context }
    }
    let { page, context } = await open()
    try {
      await page.click('#submit') // the page's execute is now held
      await page.waitForFunction(() => document.getElementById('status').textContent === 'asking for a token')
      const client = new Client({ provider: emu.url, apiKey: freshKey(), ...FAST })
      const results = await solvePage(page, client, { timeoutMs: 120_000 })
      assert.deepEqual(results.map((r) => [r.kind, r.filled, r.callbackCalled]), [['RecaptchaV3', true, true]])
      assert.equal((await emu.task(results[0].taskId)).params.action, 'login', 'the action the page asked for')
      const verdict = await DRIVERS.playwright.verdict(page.mainFrame())
      assert.ok(verdict.accepted, JSON.stringify(verdict, null, 1))
    } finally {
      await context.close()
    }
    ;({ page, context } = await open({ executeHoldMs: 300 }))
    try {
      await page.click('#submit')
      // Nobody solves: after its hold the stand-in's own execute answers, whose token the site
      // refuses; the page was not left waiting.
      const verdict = await DRIVERS.playwright.verdict(page.mainFrame())
      assert.equal(verdict.accepted, false, JSON.stringify(verdict, null, 1))
      assert.equal(verdict.checks[0].reply.success, false)
    } finally {
      await context.close()
    }
    // The page asks while the badge's solve (with the page's action) is under way: that
    // solve's token answers it. The task is held until the click has been made.
    ;({ page, context } = await open({ executeHoldMs: 600_000 }))
    try {
      const key = freshKey()
      await emu.rule({ when: { key }, delay_ms: 3_600_000 })
      const client = new Client({ provider: emu.url, apiKey: key, ...FAST })
      const solving = solvePage(page, client, { timeoutMs: 120_000, action: 'login' })
      await eventually('the badge is being solved', async () => (await emu.taskIds(key)).length === 1)
      await page.click('#submit')
      await page.waitForFunction(() => document.getElementById('status').textContent === 'asking for a token')
      assert.equal(await emu.finish(), 1)
      const results = await solving
      assert.deepEqual(results.map((r) => [r.kind, r.filled, r.callbackCalled, r.error]), [['RecaptchaV3', true, true, undefined]])
      const verdict = await DRIVERS.playwright.verdict(page.mainFrame())
      assert.ok(verdict.accepted, JSON.stringify(verdict, null, 1))
      assert.equal((await emu.taskIds(key)).length, 1, 'one solve')
    } finally {
      await context.close()
    }
    // The solve of a held execute fails (no money): the page is not left waiting for it.
    ;({ page, context } = await open({ executeHoldMs: 300 }))
    try {
      const broke = freshKey()
      await emu.account(broke, { balance: 0 })
      await page.click('#submit')
      await page.waitForFunction(() => document.getElementById('status').textContent === 'asking for a token')
      const client = new Client({ provider: emu.url, apiKey: broke, ...FAST })
      const results = await solvePage(page, client, { timeoutMs: 120_000 })
      assert.deepEqual(results.map((r) => [r.kind, r.error?.kind]), [['RecaptchaV3', 'balance']])
      const verdict = await DRIVERS.playwright.verdict(page.mainFrame())
      assert.equal(verdict.accepted, false, JSON.stringify(verdict, null, 1))
    } finally {
      await context.close()
    }
    for (const bad of [{ executeHoldMs: -1 }, { executeHoldMs: 600_001 }, { executeHoldMs: '5' }, { executeHold: 5 }]) {
      await assert.rejects(prepare(page, bad), (e) => e instanceof CaptchaError && e.kind === 'usage', JSON.stringify(bad))
    }
  })

  // A held execute whose solve outlives its hold: the vendor's own execute answers the page
  // (the page's clock, not the test's, runs the hold out), and the token that comes later is
  // reported unfilled rather than written beside the vendor's.
  test('a v3 token that comes after the vendor answered the held execute is reported unfilled', async () => {
    const context = await DRIVERS.playwright.browser.newContext({ viewport: VIEWPORT })
    try {
      await prepare(context, { executeHoldMs: 1_000 })
      const page = await context.newPage()
      await page.clock.install()
      await page.goto(site.url('/pages/v3.html')) // executes with action 'login' when loaded
      await page.waitForFunction('window.pageReady === true')
      const key = freshKey()
      await emu.rule({ when: { key }, delay_ms: 3_600_000 })
      const client = new Client({ provider: emu.url, apiKey: key, ...FAST })
      const solving = solvePage(page, client, { timeoutMs: 120_000 })
      await eventually('the held execute is being solved', async () => (await emu.taskIds(key)).length === 1)
      await page.clock.runFor(601_000) // past the 10 minutes a taken-up execute waits
      await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('execute resolved'))
      assert.equal(await emu.finish(), 1)
      const results = await solving
      assert.deepEqual(results.map((r) => [r.kind, r.filled, r.callbackCalled, r.error]), [['RecaptchaV3', false, false, undefined]])
      const token = await page.evaluate(() => document.getElementById('token').value)
      assert.ok(token.startsWith('stand-in-'), `the vendor's token stays: ${token}`)
    } finally {
      await context.close()
    }
  })

  // Without prepare, the page asks while the badge's solve (with the page's action) is under
  // way: execute, hooked by that call's search, waits for that solve's token (one solve).
  test('without prepare, an execute made while the v3 badge is solved waits for its token', async () => {
    const key = freshKey()
    await emu.rule({ when: { key }, delay_ms: 3_600_000 })
    const { page, close } = await DRIVERS.playwright.open('v3-on-submit', { prepared: false })
    try {
      const client = new Client({ provider: emu.url, apiKey: key, ...FAST })
      const solving = solvePage(page, client, { timeoutMs: 120_000, action: 'login' })
      await eventually('the badge is being solved', async () => (await emu.taskIds(key)).length === 1)
      await page.click('#submit')
      await page.waitForFunction(ASKING)
      assert.ok((await emu.finish()) >= 1) // this test's task, and any an earlier test left held
      const results = await solving
      assert.deepEqual(results.map((r) => [r.kind, r.filled, r.callbackCalled, r.error]), [['RecaptchaV3', true, true, undefined]])
      const verdict = await DRIVERS.playwright.verdict(page.mainFrame())
      assert.ok(verdict.accepted, JSON.stringify(verdict, null, 1))
      assert.equal((await emu.taskIds(key)).length, 1, 'one solve')
    } finally {
      await close()
    }
  })

  // The page's execute is held (prepare); the first call takes it up, and a second call made
  // while its solve is held at the emulator leaves both the execute and the badge to it.
  test('two concurrent solvePage calls solve a held v3 execute once', async () => {
    const key = freshKey()
    await emu.rule({ when: { key }, delay_ms: 3_600_000 })
    const { page, close } = await DRIVERS.playwright.open('v3-on-submit')
    try {
      await page.click('#submit')
      await page.waitForFunction(ASKING)
      const client = new Client({ provider: emu.url, apiKey: key, ...FAST })
      const first = solvePage(page, client, { timeoutMs: 120_000 })
      await eventually('the first call is solving', async () => (await emu.taskIds(key)).length === 1)
      assert.deepEqual(await solvePage(page, client, { timeoutMs: 120_000 }), [])
      assert.ok((await emu.finish()) >= 1) // this test's task, and any an earlier test left held
      assert.deepEqual((await first).map((r) => [r.kind, r.filled, r.callbackCalled, r.error]), [['RecaptchaV3', true, true, undefined]])
      assert.equal((await emu.taskIds(key)).length, 1, 'one solve in all')
      const verdict = await DRIVERS.playwright.verdict(page.mainFrame())
      assert.ok(verdict.accepted, JSON.stringify(verdict, null, 1))
    } finally {
      await close()
    }
  })

  // The page's execute cannot be wrapped (made read-only here, as a page may): the token
  // reaches only the badge's field and the result says `filled: false` (logged under
  // NODE_DEBUG=capbridge); the page's execute gets the vendor's token, which the site refuses.
  test('reCAPTCHA v3 whose execute cannot be hooked is reported unfilled', async () => {
    const { page, close } = await DRIVERS.playwright.open('v3-on-submit', { prepared: false })
    try {
      await page.evaluate(() => Object.defineProperty(window.grecaptcha, 'execute', { value: window.grecaptcha.execute, writable: false, configurable: false }))
      const client = new Client({ provider: emu.url, apiKey: freshKey(), ...FAST })
      const results = await solvePage(page, client, { timeoutMs: 120_000, action: 'login' })
      assert.deepEqual(results.map((r) => [r.kind, r.filled, r.callbackCalled, r.error]), [['RecaptchaV3', false, false, undefined]])
      assert.ok(results[0].taskId)
      await page.click('#submit')
      const verdict = await DRIVERS.playwright.verdict(page.mainFrame())
      assert.equal(verdict.accepted, false, JSON.stringify(verdict, null, 1))
    } finally {
      await close()
    }
  })

  // A call whose solve failed gives its widget back at once; a claim whose call never came back
  // (the helper's scan called here, as a call that died would leave it) ends when its time has
  // passed on the page's clock.
  test('a claim ends when its call gives up or dies', async () => {
    const context = await DRIVERS.playwright.browser.newContext({ viewport: VIEWPORT })
    try {
      await prepare(context)
      const page = await context.newPage()
      await page.clock.install()
      await page.goto(site.url('/pages/implicit.html'))
      await page.waitForFunction('window.pageReady === true')
      const broke = freshKey()
      await emu.account(broke, { balance: 0 })
      const gaveUp = await solvePage(page, new Client({ provider: emu.url, apiKey: broke, ...FAST }), { timeoutMs: 120_000 })
      assert.deepEqual(gaveUp.map((r) => [r.kind, r.error?.kind]), [['RecaptchaV2', 'balance']])
      const scan = (o) => window.__capbridgeBrowser.scan(o).length
      assert.equal(await page.evaluate(scan, { claim: 'a-call-that-died', claimMs: 60_000 }), 1)
      assert.equal(await page.evaluate(scan, { claim: 'another-call', claimMs: 60_000 }), 0)
      const key = freshKey()
      const client = new Client({ provider: emu.url, apiKey: key, ...FAST })
      assert.deepEqual(await solvePage(page, client, { timeoutMs: 120_000 }), [], 'claimed by the call that died')
      await page.clock.fastForward(60_001)
      const after = await solvePage(page, client, { timeoutMs: 120_000 })
      assert.deepEqual(after.map((r) => [r.kind, r.filled, r.error]), [['RecaptchaV2', true, undefined]])
      assert.equal((await emu.taskIds(key)).length, 1)
      await page.click('#submit')
      const verdict = await DRIVERS.playwright.verdict(page.mainFrame())
      assert.ok(verdict.accepted, JSON.stringify(verdict, null, 1))
    } finally {
      await context.close()
    }
  })

  test("hCaptcha's execute({ async: true }) resolves with the token", async () => {
    const { page, close } = await DRIVERS.playwright.open('hcaptcha')
    try {
      await page.evaluate(() => {
        window.hcaptcha.execute({ async: true }).then((r) => { window.executed = r.response })
      })
      const client = new Client({ provider: emu.url, apiKey: freshKey(), ...FAST })
      const results = await solvePage(page, client, { timeoutMs: 120_000 })
      assert.deepEqual(results.map((r) => [r.kind, r.filled, r.callbackCalled]), [['HCaptcha', true, true]])
      await page.waitForFunction(() => typeof window.executed === 'string' && window.executed.length > 0)
      assert.equal(await page.evaluate(() => window.executed), await page.evaluate(() => window.hcaptcha.getResponse()))
    } finally {
      await close()
    }
  })
})
