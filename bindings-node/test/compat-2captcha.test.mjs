// capbridge/compat/2captcha against the emulator: @2captcha/captcha-solver's documented
// behaviour holds (the same in.php fields reach the service for every method, the same result
// objects come back, the same errors are thrown), with capbridge's engine underneath (the
// request limits kept under Promise.all, capbridge's kind/retryable/taskId on every APIError).
//
// The expected fields are written from the library's documentation and source (1.3.8:
// src/structs/2captcha.ts builds each payload from its defaults `key`, `json=1`,
// `header_acao`, `soft_id=4587`, the caller's parameters and the method's own fields;
// src/utils/renameParams.ts and checkCaptchaParams.ts), never from the shim. What reached the
// service is read from the emulator (GET /emulator/tasks/ID: every field but key and body).

import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { after, before, describe, test } from 'node:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import { APIError, Solver } from 'capbridge/compat/2captcha'
import { Emulator, HANG_MS, HELD, VECTORS, eventually, freshKey, typeCheck } from './helpers.mjs'

const require = createRequire(import.meta.url)
const IMAGE = readFileSync(join(VECTORS, 'images', 'captcha.jpg')).toString('base64')
const HINT = readFileSync(join(VECTORS, 'images', 'captcha.png')).toString('base64')
const MP3 = Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1'), Buffer.alloc(300)]).toString('base64')
const URL = 'https://example.com/login'
const SITEKEY = '6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-'
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)'
/** Millisecond waits (capbridge options, the constructor's fourth argument). */
const FAST = { initialDelayMs: 20, retry: { baseDelayMs: 10, maxDelayMs: 100 } }
/** What the original adds to every request. */
const DEFAULTS = { json: '1', header_acao: '1', soft_id: '4587' }

// [method, params, the fields the original sends besides its defaults]
const CASES = [
  ['recaptcha', { pageurl: URL, googlekey: SITEKEY }, { method: 'userrecaptcha', pageurl: URL, googlekey: SITEKEY }],
  ['recaptcha', { pageurl: URL, googlekey: SITEKEY, version: 'v3', min_score: 0.4, action: 'demo_action', enterprise: 1,
    userAgent: UA, proxy: 'login:password@1.2.3.4:8080', proxytype: 'HTTPS', pingback: 'https://example.com/pb' },
  { method: 'userrecaptcha', pageurl: URL, googlekey: SITEKEY, version: 'v3', min_score: '0.4', action: 'demo_action',
    enterprise: '1', userAgent: UA, proxy: 'login:password@1.2.3.4:8080', proxytype: 'HTTPS', pingback: 'https://example.com/pb' }],
  ['hcaptcha', { pageurl: URL, sitekey: '10000000-ffff-ffff-ffff-000000000001', invisible: 1 },
    { method: 'hcaptcha', pageurl: URL, sitekey: '10000000-ffff-ffff-ffff-000000000001', invisible: '1' }],
  ['funCaptcha', { pageurl: URL, publickey: '69A21A01-CC7B-B9C6-0F9A-E7FA06677FFC', surl: 'https://client-api.arkoselabs.com' },
    { method: 'funcaptcha', pageurl: URL, publickey: '69A21A01-CC7B-B9C6-0F9A-E7FA06677FFC', surl: 'https://client-api.arkoselabs.com' }],
  ['cloudflareTurnstile', { pageurl: URL, sitekey: '0x4AAAAAAAVrOwQWPlm3Bnr5', action: 'login', data: 'cd', pagedata: 'pd' },
    { method: 'turnstile', pageurl: URL, sitekey: '0x4AAAAAAAVrOwQWPlm3Bnr5', action: 'login', data: 'cd', pagedata: 'pd' }],
  ['imageCaptcha', { body: IMAGE, numeric: 4, min_len: 5, max_len: 5, regsense: 1 },
    { method: 'base64', numeric: '4', min_len: '5', max_len: '5', regsense: '1' }],
  ['geetest', { pageurl: URL, gt: '81388ea1fc187e0c335c0a8907ff2625', challenge: '2e2f0f65240058b683cb6ea21c303eea6n', api_server: 'api.geetest.com' },
    { method: 'geetest', pageurl: URL, gt: '81388ea1fc187e0c335c0a8907ff2625', challenge: '2e2f0f65240058b683cb6ea21c303eea6n', api_server: 'api.geetest.com' }],
  ['geetestV4', { pageurl: URL, captcha_id: 'e392e1d7fd421dc63325744d5a2b9c73' },
    { method: 'geetest_v4', pageurl: URL, captcha_id: 'e392e1d7fd421dc63325744d5a2b9c73' }],
  ['yandexSmart', { pageurl: URL, sitekey: 'FEXfAbHQsToo97VidNVk3j4dC74nGW1DgdxjtNB9' },
    { method: 'yandex', pageurl: URL, sitekey: 'FEXfAbHQsToo97VidNVk3j4dC74nGW1DgdxjtNB9' }],
  ['lemin', { pageurl: URL, captcha_id: 'CROPPED_3dfdd5c_d1872b526b794d83ba3b365eb15a200b', div_id: 'lemin-cropped-captcha' },
    { method: 'lemin', pageurl: URL, captcha_id: 'CROPPED_3dfdd5c_d1872b526b794d83ba3b365eb15a200b', div_id: 'lemin-cropped-captcha' }],
  ['amazonWaf', { pageurl: URL, sitekey: 'AQIDAHjcYu/GjX+QlghicBgQ/7bFaQZ+m5FKCMDnO+vTp9Ig', iv: 'CgAHbCe2GgAAAAAj', context: 'ctx' },
    { method: 'amazon_waf', pageurl: URL, sitekey: 'AQIDAHjcYu/GjX+QlghicBgQ/7bFaQZ+m5FKCMDnO+vTp9Ig', iv: 'CgAHbCe2GgAAAAAj', context: 'ctx' }],
  ['coordinates', { body: IMAGE, textinstructions: 'Click the cats', lang: 'en' },
    { method: 'base64', coordinatescaptcha: '1', textinstructions: 'Click the cats', lang: 'en' }],
  ['capyPuzzle', { pageurl: URL, captchakey: 'PUZZLE_Cz04hZLjuZRMYC3ee10C32D3uNms5w', api_server: 'https://jp.api.capy.me/' },
    { method: 'capy', pageurl: URL, captchakey: 'PUZZLE_Cz04hZLjuZRMYC3ee10C32D3uNms5w', api_server: 'https://jp.api.capy.me/' }],
  ['dataDome', { pageurl: URL, captcha_url: 'https://geo.captcha-delivery.com/captcha/?initialCid=AHrlqAAAAAMA', userAgent: UA,
    proxy: 'login:password@1.2.3.4:8080', proxytype: 'HTTP' },
  { method: 'datadome', pageurl: URL, captcha_url: 'https://geo.captcha-delivery.com/captcha/?initialCid=AHrlqAAAAAMA', userAgent: UA,
    proxy: 'login:password@1.2.3.4:8080', proxytype: 'HTTP' }],
  ['cyberSiARA', { pageurl: URL, master_url_id: 'tpjOCKjjpdzv3d8Ub2E9COEWKt1vl1Mv', userAgent: UA },
    { method: 'cybersiara', pageurl: URL, master_url_id: 'tpjOCKjjpdzv3d8Ub2E9COEWKt1vl1Mv', userAgent: UA }],
  ['mtCaptcha', { pageurl: URL, sitekey: 'MTPublic-KzqLY1cKH' }, { method: 'mt_captcha', pageurl: URL, sitekey: 'MTPublic-KzqLY1cKH' }],
  ['cutCaptcha', { pageurl: URL, miseryKey: 'a1488b66da00bf332a1488993a5443c79047e752', apiKey: 'SAb83IIB' },
    { method: 'cutcaptcha', pageurl: URL, misery_key: 'a1488b66da00bf332a1488993a5443c79047e752', api_key: 'SAb83IIB' }],
  ['friendlyCaptcha', { pageurl: URL, sitekey: 'FCMGEMUD2KTDSQ5H' }, { method: 'friendly_captcha', pageurl: URL, sitekey: 'FCMGEMUD2KTDSQ5H' }],
  ['boundingBox', { image: IMAGE, textinstructions: 'Circle the cat' }, { method: 'bounding_box', image: IMAGE, textinstructions: 'Circle the cat' }],
  ['grid', { body: IMAGE, textinstructions: 'Select all images with an Orange', rows: 3, cols: 3, minClicks: 1, previousId: '7', canSkip: 0, imgType: 'recaptcha' },
    { method: 'base64', recaptcha: '1', textinstructions: 'Select all images with an Orange', recaptcharows: '3', recaptchacols: '3',
      min_clicks: '1', previousID: '7', can_no_answer: '0', img_type: 'recaptcha' }],
  ['text', { textcaptcha: 'If tomorrow is Saturday, what day is today?', lang: 'en' },
    { textcaptcha: 'If tomorrow is Saturday, what day is today?', lang: 'en' }],
  ['canvas', { body: IMAGE, textinstructions: 'Draw around apple', imginstructions: HINT },
    { method: 'base64', recaptcha: '1', canvas: '1', textinstructions: 'Draw around apple', imginstructions: HINT }],
  ['rotate', { body: IMAGE, angle: 15, textinstructions: 'Put it upright' }, { method: 'rotatecaptcha', angle: '15', textinstructions: 'Put it upright' }],
  ['keyCaptcha', { pageurl: URL, userId: '184015', sessionId: '9ff29e0176e78eb7ba59314f92dbac1b', webServerSign: 'a', webServerSign2: 'b' },
    { method: 'keycaptcha', pageurl: URL, s_s_c_user_id: '184015', s_s_c_session_id: '9ff29e0176e78eb7ba59314f92dbac1b',
      s_s_c_web_server_sign: 'a', s_s_c_web_server_sign2: 'b' }],
  ['tencent', { pageurl: URL, appId: '190014885' }, { method: 'tencent', pageurl: URL, app_id: '190014885' }],
  ['atbCaptcha', { pageurl: URL, appId: 'af25e409b33d722a95e56a230ff8771c', apiServer: 'https://cap.aisecurius.com' },
    { method: 'atb_captcha', pageurl: URL, app_id: 'af25e409b33d722a95e56a230ff8771c', api_server: 'https://cap.aisecurius.com' }],
  ['prosopo', { pageurl: URL, sitekey: '5EZVvsHMrKCFKp5NYNoTyDjTjetoVo1Z4UNNbTwJf1GfN6Xm' },
    { method: 'prosopo', pageurl: URL, sitekey: '5EZVvsHMrKCFKp5NYNoTyDjTjetoVo1Z4UNNbTwJf1GfN6Xm' }],
  ['captchaFox', { pageurl: URL, sitekey: 'sk_ILKWNruBBVKDOM7dZs59KHnDLEWiH', userAgent: UA, proxy: '1.2.3.4:8080', proxytype: 'HTTP' },
    { method: 'captchafox', pageurl: URL, sitekey: 'sk_ILKWNruBBVKDOM7dZs59KHnDLEWiH', userAgent: UA, proxy: '1.2.3.4:8080', proxytype: 'HTTP' }],
  ['vkimage', { body: IMAGE, steps: '[5,4,7,7,14,22,8]' }, { method: 'vkimage', steps: '[5,4,7,7,14,22,8]' }],
  ['vkcaptcha', { redirect_uri: 'https://id.vk.com/not_robot_captcha?domain=vk.com', userAgent: UA, proxy: '1.2.3.4:8080', proxytype: 'HTTP' },
    { method: 'vkcaptcha', redirect_uri: 'https://id.vk.com/not_robot_captcha?domain=vk.com', userAgent: UA, proxy: '1.2.3.4:8080', proxytype: 'HTTP' }],
  ['temu', { body: IMAGE, part1: 'p1', part2: 'p2', part3: 'p3' }, { method: 'temuimage', part1: 'p1', part2: 'p2', part3: 'p3' }],
  ['altcha', { pageurl: URL, challengeUrl: 'https://example.com/altcha' }, { method: 'altcha', pageurl: URL, challenge_url: 'https://example.com/altcha' }],
  ['binance', { pageurl: URL, sitekey: 'login', validateId: 'cb0bfefa598b4a3a8b7bc9a1c3b0a8b3', userAgent: UA },
    { method: 'binance', pageurl: URL, sitekey: 'login', validate_id: 'cb0bfefa598b4a3a8b7bc9a1c3b0a8b3', useragent: UA }],
  ['audio', { body: MP3, lang: 'en' }, { method: 'audio', lang: 'en' }],
  ['yidun', { pageurl: URL, sitekey: '0f7f8f76c8bd4fcf8ba2bc2b2dc9e3b6', yidunGetLib: 'https://cstaticdun.126.net/load.min.js' },
    { method: 'yidun', pageurl: URL, sitekey: '0f7f8f76c8bd4fcf8ba2bc2b2dc9e3b6', yidun_get_lib: 'https://cstaticdun.126.net/load.min.js' }],
  ['alibaba', { pageurl: URL, sceneId: 'scene1', prefix: 'prefix1', userCertifyId: 'c1' },
    { method: 'alibaba', pageurl: URL, scene_id: 'scene1', prefix: 'prefix1', user_certify_id: 'c1' }],
  ['tspd', { pageurl: URL, tspdCookie: 'TS0123=abc', htmlPageBase64: 'PGh0bWw+PC9odG1sPg==', proxy: '1.2.3.4:8080', proxytype: 'HTTP' },
    { method: 'tspd', pageurl: URL, tspd_cookie: 'TS0123=abc', html_page_base64: 'PGh0bWw+PC9odG1sPg==', proxy: '1.2.3.4:8080', proxytype: 'HTTP' }],
  ['basilisk', { pageurl: URL, sitekey: 'b7890hre5cf2544b2759c19fb2600897' }, { method: 'basilisk', pageurl: URL, sitekey: 'b7890hre5cf2544b2759c19fb2600897' }],
  ['hunt', { pageurl: URL, apiGetLib: 'https://example.com/api.js', data: 'meta' }, { method: 'hunt', pageurl: URL, api_get_lib: 'https://example.com/api.js', data: 'meta' }],
]

/**
 * The fields the emulator should report: the original's, as form text, less `body`; where
 * capbridge sends differently by design (the README's migration section): a text captcha
 * names `method=post`, and reCAPTCHA v3 names its action (`verify`, the service's default).
 */
function expected(name, fields) {
  const want = { ...DEFAULTS, ...fields }
  if (name === 'text') want.method = 'post'
  if (want.method === 'userrecaptcha' && want.version === 'v3' && want.action === undefined) want.action = 'verify'
  return want
}

let emu
before(async () => {
  emu = await Emulator.start('--delay-ms', '20')
})
after(async () => {
  await emu.stop()
})

function solver(extra = {}, key = freshKey(), pollingFrequency = 20) {
  return new Solver(key, pollingFrequency, true, { server: emu.url, ...FAST, ...extra })
}

// Methods outside capbridge's catalogue go as Raw tasks, their fields as given; the emulator
// plays the catalogue's captchas and vkimage, and refuses the others with ERROR_BAD_PARAMETERS.
const RAW = new Set(['yandex', 'capy', 'cybersiara', 'cutcaptcha', 'bounding_box', 'keycaptcha', 'tencent',
  'atb_captcha', 'prosopo', 'captchafox', 'vkimage', 'vkcaptcha', 'temuimage', 'altcha', 'binance', 'yidun',
  'alibaba', 'tspd', 'basilisk', 'hunt'])
const PLAYED = new Set(['vkimage'])
const isRaw = (fields) => RAW.has(fields.method)
const refused = (fields) => isRaw(fields) && !PLAYED.has(fields.method)

describe('every method reaches the service with the library fields', () => {
  for (const [name, params, fields] of CASES) {
    test(name + (params.version ? ' ' + params.version : ''), async () => {
      if (refused(fields)) {
        const before = (await emu.counters()).actions[`in:${fields.method}`] ?? 0
        const err = await solver()[name]({ ...params }).catch((e) => e)
        assert.ok(err instanceof APIError, String(err))
        assert.equal(err.err, 'ERROR_BAD_PARAMETERS')
        assert.equal(err.code, 23)
        assert.equal((await emu.counters()).actions[`in:${fields.method}`], before + 1)
        return
      }
      const res = await solver()[name]({ ...params })
      const task = await emu.task(res.id)
      assert.deepEqual(task.params, expected(name, fields))
      assert.equal(res.status, 1)
      assert.equal('request' in res, false)
      // `data` is the reply's `request`: the text, or the object of a structured answer.
      if (typeof res.data === 'string') assert.equal(res.data, task.answer)
      else assert.deepEqual(res.data, JSON.parse(task.answer))
    })
  }
})

test('a Raw task carries the library fields exactly', () => {
  const { rawTaskOf } = require('../compat/task.js')
  for (const [, params, fields] of CASES) {
    if (!isRaw(fields)) continue
    const given = { ...fields, ...(params.body !== undefined ? { body: params.body } : {}) }
    const raw = rawTaskOf(given)
    assert.equal(raw.type, 'Raw')
    assert.deepEqual(raw.request, Object.fromEntries(Object.entries(given).map(([k, v]) => [k, String(v)])))
  }
})

test('a pingback goes once, as the Raw task\'s own field, not inside its request', async () => {
  const { rawTaskOf } = require('../compat/task.js')
  const raw = rawTaskOf({ method: 'vkimage', steps: '[5,4]', pingback: 'https://example.com/pb' })
  assert.deepEqual(raw, { type: 'Raw', request: { method: 'vkimage', steps: '[5,4]' }, pingback: 'https://example.com/pb' })
  const res = await solver().vkimage({ body: IMAGE, steps: '[5,4,7,7,14,22,8]', pingback: 'https://example.com/pb' })
  const task = await emu.task(res.id)
  assert.equal(task.params.pingback, 'https://example.com/pb')
  assert.equal(task.params.method, 'vkimage')
})

test('results are the original objects; replies polled alone keep their extra fields', async () => {
  const res = await solver().hcaptcha({ pageurl: URL, sitekey: '10000000-ffff-ffff-ffff-000000000001' })
  const task = await emu.task(res.id)
  assert.equal(res.data, task.answer)
  assert.equal(res.status, 1)
  assert.equal(typeof res.useragent, 'string')
  const v2 = await solver().recaptcha({ pageurl: URL, googlekey: SITEKEY })
  assert.deepEqual(Object.keys(v2).sort(), ['data', 'id', 'status'])
})

test('checkCaptchaParams refuses before anything is sent, with a plain Error', async () => {
  const before = (await emu.counters()).in_requests
  const s = solver()
  await assert.rejects(s.recaptcha({ pageurl: URL }), (e) => !(e instanceof APIError) && /Not found "googlekey" field/.test(e.message))
  await assert.rejects(s.grid({ body: IMAGE }), /Not found "textinstructions" or "imginstructions"/)
  await assert.rejects(s.keyCaptcha({ pageurl: URL, userId: '1' }), /Not found "s_s_c_session_id" field/)
  assert.equal((await emu.counters()).in_requests, before)
})

test('service errors are APIErrors with the original code and message, and capbridge fields', async () => {
  const key = freshKey()
  await emu.account(key, { balance: 0 })
  const err = await solver({}, key).recaptcha({ pageurl: URL, googlekey: SITEKEY }).catch((e) => e)
  assert.ok(err instanceof APIError)
  assert.equal(err.name, 'APIError')
  assert.equal(err.err, 'ERROR_ZERO_BALANCE')
  assert.equal(err.code, 9)
  assert.equal(err.message, "There aren't enough funds in this account to complete the captcha.")
  assert.equal(err.kind, 'balance')
  assert.equal(err.retryable, false)

  const key2 = freshKey()
  await emu.rule({ when: { key: key2 }, result_error: 'ERROR_CAPTCHA_UNSOLVABLE' })
  const e2 = await solver({}, key2).imageCaptcha({ body: IMAGE }).catch((e) => e)
  assert.ok(e2 instanceof APIError)
  assert.equal(e2.err, 'ERROR_CAPTCHA_UNSOLVABLE')
  assert.equal(e2.code, 1)
  assert.equal(e2.kind, 'unsolvable')
  assert.equal((await emu.task(e2.taskId)).status, 'failed')
})

test('every solve has a deadline: an APIError of kind timeout with the task id', async () => {
  // The task is pending until let go, so the deadline is what ends the solve. The id is carried
  // once the submit went out; a machine too busy to send it within the deadline made no task
  // (checked), and the case runs again with a longer one.
  for (const timeoutMs of [300, 2_000, 8_000, HANG_MS]) {
    const key = freshKey()
    await emu.rule({ when: { key }, delay_ms: Number(HELD) })
    const err = await solver({ timeoutMs }, key).imageCaptcha({ body: IMAGE }).catch((e) => e)
    assert.ok(err instanceof APIError, String(err))
    assert.equal(err.kind, 'timeout')
    assert.equal(err.code, 0)
    assert.match(err.message, /deadline|timed out|timeout/i)
    const made = await emu.taskIds(key)
    if (made.length === 0) {
      assert.equal(err.taskId ?? null, null, 'an id for a task the service never made')
      continue
    }
    assert.deepEqual([err.taskId], made.map(String))
    return
  }
  assert.fail('no submit went out within any deadline')
})

test('the fourth argument takes client settings, typed, and each onEvent sees its own solves', async () => {
  const out = typeCheck('user.ts', `import { Solver } from 'capbridge/compat/2captcha'
new Solver('k', 5000, true, { server: 'http://127.0.0.1:1/', initialDelayMs: 50, maxConcurrentRequests: 4,
  onEvent: (e) => console.log(e.step) })
// @ts-expect-error the poll interval is the original's pollingFrequency
new Solver('k', 5000, true, { pollIntervalMs: 10 })
`)
  assert.equal(out, '')
  // Solvers with the same key and settings share a client; a different handler is another
  // setting, so each handler hears its own solves only.
  const key = freshKey()
  const seen = [[], []]
  const solvers = seen.map((steps) => solver({ onEvent: (e) => steps.push(e.step) }, key))
  await solvers[0].imageCaptcha({ body: IMAGE })
  assert.ok(seen[0].includes('solved'), String(seen[0]))
  assert.deepEqual(seen[1], [])
  await solvers[1].imageCaptcha({ body: IMAGE })
  assert.ok(seen[1].includes('solved'), String(seen[1]))
  assert.equal(seen[0].filter((s) => s === 'solved').length, 1)
})

test('balance, goodReport and badReport', async () => {
  const key = freshKey()
  const s = solver({}, key)
  const { balance } = await emu.admin('GET', `accounts/${key}`).catch(async () => {
    await emu.account(key)
    return emu.admin('GET', `accounts/${key}`)
  })
  assert.equal(await s.balance(), balance)
  const res = await s.recaptcha({ pageurl: URL, googlekey: SITEKEY })
  assert.equal(await s.goodReport(res.id), 'OK_REPORT_RECORDED')
  assert.equal((await emu.task(res.id)).report, 'good')
  const res2 = await s.recaptcha({ pageurl: URL, googlekey: SITEKEY })
  assert.equal(await s.badReport(res2.id), 'OK_REPORT_RECORDED')
})

test('Promise.all over many solves keeps the limits and batches the polls', async () => {
  const before = await emu.counters()
  const s = solver()
  const results = await Promise.all(Array.from({ length: 40 }, () => s.recaptcha({ pageurl: URL, googlekey: SITEKEY })))
  assert.equal(new Set(results.map((r) => r.id)).size, 40)
  const c = await emu.counters()
  assert.deepEqual(c.violations, before.violations)
  assert.equal(c.tasks_accepted - before.tasks_accepted, 40)
  // One submit per solve: nothing was refused and resent.
  assert.equal(c.actions['in:userrecaptcha'] - (before.actions['in:userrecaptcha'] ?? 0), 40)
})

test('a base URL polls in batches unless the fourth argument says batchPolling: false', async () => {
  // Four tasks held pending at the emulator: each is polled (with its fellows, when batches
  // are on) until a batch poll was seen, or each was polled twice alone; then they are let go.
  for (const [extra, batched] of [[{}, true], [{ batchPolling: false }, false]]) {
    const key = freshKey()
    await emu.rule({ when: { key }, delay_ms: Number(HELD) })
    const before = await emu.counters()
    const s = solver(extra, key)
    const solves = Promise.all(Array.from({ length: 4 }, () => s.recaptcha({ pageurl: URL, googlekey: SITEKEY })))
    const grew = (c, action) => (c.actions[action] ?? 0) - (before.actions[action] ?? 0)
    // Every task submitted (one submitted after finish() would stay held), and polled: in a
    // batch (which comes, the four being held), or each about twice alone.
    await eventually('submits and polls', async () => {
      const c = await emu.counters()
      const polled = batched ? grew(c, 'res:get_batch') > 0 : grew(c, 'res:get') >= 8
      return polled && (await emu.taskIds(key)).length === 4
    })
    await emu.finish()
    await solves
    const c = await emu.counters()
    assert.equal(grew(c, 'res:get_batch') > 0, batched, JSON.stringify(extra))
  }
})

test('debug_dump given to a method reaches the service; any key constructs, as in the original', async () => {
  const res = await solver().imageCaptcha({ body: IMAGE, debug_dump: 1 })
  assert.equal((await emu.task(res.id)).params.debug_dump, '1')
  const raw = await solver().vkimage({ body: IMAGE, steps: '[5,4]', debug_dump: 1 })
  assert.equal((await emu.task(raw.id)).params.debug_dump, '1')
  // The key is the first call's to check (the original has an apikey setter).
  const s = new Solver('', 20, true, { server: emu.url, ...FAST })
  s.apikey = freshKey()
  assert.ok((await s.imageCaptcha({ body: IMAGE })).id)
})

test('providers in the fourth argument are fallbacks after the server', async () => {
  const broke = freshKey()
  await emu.account(broke, { balance: 0 })
  const s = new Solver(broke, 20, true, { server: emu.url, ...FAST, providers: [{ provider: emu.url, apiKey: freshKey() }] })
  const res = await s.imageCaptcha({ body: IMAGE })
  assert.ok(res.id)
  assert.equal((await emu.taskIds(broke)).length, 0, 'the broke key created nothing')
})

test('the constructor, getters and setter are the original ones', () => {
  const s = new Solver('k1')
  assert.equal(s.apikey, 'k1')
  assert.equal(s.pollingFrequency, 5000)
  assert.equal(s._headerACAO, 1)
  s.apikey = 'k2'
  assert.equal(s.apikey, 'k2')
  assert.deepEqual(s.defaultPayload, { key: 'k2', json: 1, header_acao: 1, soft_id: 4587 })
  assert.equal(new Solver('k', 1000, false)._headerACAO, 0)
  assert.equal(new APIError('ERROR_WRONG_USER_KEY').code, 2)
  assert.equal(new APIError('SOMETHING_NEW').code, 0)
})

test('require and import share one APIError class', () => {
  const cjs = require('capbridge/compat/2captcha')
  assert.equal(cjs.APIError, APIError)
  assert.equal(cjs.Solver, Solver)
})
