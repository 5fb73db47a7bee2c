// A user's test against the emulator inside the package (`capbridge/testing`): every task kind
// the package solves (TASK_KINDS) is solved against it.
//
// Self-contained on purpose (it imports `capbridge` by name, nothing from this folder): the dist
// tests copy this file into a fresh npm project without Rust and run it there against the
// packed tarballs, as a user would. A new kind only needs a row in SAMPLES.

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CaptchaError, Client } from 'capbridge'
import { TASK_KINDS, startEmulator } from 'capbridge/testing'

const PAGE = 'https://example.com/login'
// A 48x16 grey PNG (413 bytes), so the test needs no file.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAADAAAAAQCAAAAAB1xaNtAAABZElEQVR4nGNgYOcTlVHWMrSwd/MNiU7KLCiva+2ZPGvhivXb9h45fenmg+fvvv5h5hKUkFfTNbF28mTgFZFW0jQwt3P1CY5KzMgvq23pnjRzwfJ1W/ccPnXxxv1nb7/8ZuIUEJdT1TG2cvTwD2OQUtTQN7N18Q6KTEjPK61p7po4Y/6ytVt2Hzp54fq9p28+/2Lk4BeTVdE2snRw9wuNSWZQ1zO1cfYKjIhPyy2pbuqcMH3e0jWbdx08cf7a3SevP/3EcDEDyF0B4XGpOcVVjR390+YuWb1p54Hj567eefzq44//bBguZgC5KzYlu6iyob1v6pzFqzbu2H/s7JXbj15++P6PlUcYw8UMIHdlFVbUt/VOmb1o5Ybt+46euXzr4Yv33/6ycAtJKmC4mIGIkERxMQMRIYniYgYiQhLFxQxEhCSKixmICEkUFzMQEZIoLmYgIiRRXMxAREiiuJiBiJBEcTEAWYaBEMbKCncAAAAASUVORK5CYII=',
  'base64',
)

const PROXY = 'http://user:pass@1.2.3.4:3128'
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
// An mp3 as the services check it: an ID3 tag first (the bytes after it are not heard here).
const MP3 = Buffer.concat([Buffer.from('ID3'), Buffer.alloc(7), Buffer.from(Array.from({ length: 256 }, (_, i) => i))])

/** One sample task per kind: THE table. A kind in TASK_KINDS without a row fails the first test. */
const SAMPLES = {
  ImageToText: { type: 'ImageToText', image: PNG },
  RecaptchaV2: { type: 'RecaptchaV2', websiteUrl: PAGE, websiteKey: '6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-' },
  RecaptchaV3: { type: 'RecaptchaV3', websiteUrl: PAGE, websiteKey: '6LfZil0UAAAAAAdm1Dpzsw9q0F11-bmervx9g5fE', action: 'login' },
  HCaptcha: { type: 'HCaptcha', websiteUrl: PAGE, websiteKey: '10000000-ffff-ffff-ffff-000000000001' },
  FunCaptcha: { type: 'FunCaptcha', websiteUrl: PAGE, publicKey: '12AB34CD-56F7-AB8C-9D01-2EF3456789A0' },
  Turnstile: { type: 'Turnstile', websiteUrl: PAGE, websiteKey: '0x4AAAAAAAC3DHQFLr1GavRN' },
  CloudflareChallenge: { type: 'CloudflareChallenge', websiteUrl: PAGE, proxy: PROXY, userAgent: UA },
  GeeTest: { type: 'GeeTest', websiteUrl: PAGE, gt: '81388ea1fc187e0c335c0a8907ff2625', challenge: '2e2f0f65240058b683cb6ea21c303eea' },
  GeeTestV4: { type: 'GeeTestV4', websiteUrl: PAGE, captchaId: 'e392e1d7fd421dc63325744d5a2b9c73' },
  AmazonWaf: { type: 'AmazonWaf', websiteUrl: PAGE, websiteKey: 'AQIDAHjcYu/GjX+QlghicBgQ/7bFaQZ+m5FKCMDnO', iv: 'CgAHbCe2GgAAAAAj', context: '9BUgmlm48F92WUoqv97a49' },
  DataDome: {
    type: 'DataDome',
    websiteUrl: PAGE,
    captchaUrl: 'https://geo.captcha-delivery.com/captcha/?initialCid=AHrlqAAAAAMA&cid=6QAEcL8Bqwd',
    userAgent: UA,
    proxy: PROXY,
  },
  MtCaptcha: { type: 'MtCaptcha', websiteUrl: PAGE, websiteKey: 'MTPublic-DemoKey9M' },
  FriendlyCaptcha: { type: 'FriendlyCaptcha', websiteUrl: PAGE, websiteKey: 'FCMST5VUMCBOCGQ9' },
  Coordinates: { type: 'Coordinates', image: PNG, instructions: 'click the birds' },
  Grid: { type: 'Grid', image: PNG, rows: 3, columns: 3, instructions: 'select all squares with buses' },
  TextCaptcha: { type: 'TextCaptcha', text: 'If tomorrow is Saturday, what day is today?', language: 'en' },
  Audio: { type: 'Audio', audio: MP3, language: 'en' },
  Rotate: { type: 'Rotate', image: PNG, angleStep: 40 },
  Lemin: { type: 'Lemin', websiteUrl: PAGE, captchaId: 'CROPPED_3dfdd5c_d1872b526b794d83ba3b365eb15a200b', divId: 'lemin-cropped-captcha' },
  // A request as the service takes it (here the form protocol's, for a GeeTest).
  Raw: {
    type: 'Raw',
    request: { method: 'geetest', gt: '81388ea1fc187e0c335c0a8907ff2625', challenge: '2e2f0f65240058b683cb6ea21c303eea', pageurl: PAGE },
  },
}

/** The kind the emulator sees, where the task's is not it: a raw request names the service's. */
const EMULATED_KIND = { Raw: 'GeeTest' }
/**
 * Kinds whose answer is read from a structure the service sends (a GeeTest's three values,
 * AmazonWaf's voucher and token, DataDome's cookie, clicks and cells), not its text as sent.
 */
const STRUCTURED = new Set(['GeeTest', 'AmazonWaf', 'DataDome', 'Coordinates', 'Grid'])

const FAST = { initialDelayMs: 20, pollIntervalMs: 20, timeoutMs: 30_000 }

test('every kind the package solves has a sample task', () => {
  assert.ok(TASK_KINDS.length > 0)
  assert.deepEqual(TASK_KINDS.filter((kind) => !(kind in SAMPLES)), [], 'add a sample task to SAMPLES')
})

for (const kind of TASK_KINDS) {
  test(`startEmulator solves ${kind}`, async () => {
    const emu = startEmulator({ timeScale: 0.01 })
    try {
      const client = new Client({ provider: emu.url, apiKey: emu.apiKey, ...FAST })
      const solution = await client.solve(SAMPLES[kind])
      assert.ok(solution.answer.length > 0)
      const info = await emu.task(solution.taskId)
      assert.equal(info.kind, EMULATED_KIND[kind] ?? kind)
      if (STRUCTURED.has(kind)) {
        // Read from what the service sent into the answer and its parts (solution.data).
        assert.ok(info.answer && solution.data, JSON.stringify(info))
      } else {
        assert.equal(info.answer, solution.answer)
      }
      assert.equal((await emu.counters()).tasks_accepted, 1)
    } finally {
      emu.close()
    }
  })
}

test('a json dialect, and the admin API', async () => {
  const emu = startEmulator({ timeScale: 0.01, delayMs: [100, 200], seed: 7 })
  try {
    const config = await emu.config()
    assert.equal(config.time_scale, 0.01)
    assert.equal(config.seed, 7)
    const client = new Client({ provider: 'capsolver', apiKey: emu.apiKey, baseUrl: emu.urlFor('capsolver'), ...FAST })
    const solution = await client.solve(SAMPLES.Turnstile)
    assert.equal((await emu.task(solution.taskId)).answer, solution.answer)
    // A scripted outcome reaches the client as the typed error.
    await emu.rule({ when: { kind: 'Turnstile' }, result_error: 'ERROR_CAPTCHA_UNSOLVABLE', times: 1 })
    await assert.rejects(client.solve(SAMPLES.Turnstile), (e) => e instanceof CaptchaError && e.kind === 'unsolvable')
    assert.equal((await emu.requests())[0].path, '/capsolver/createTask')
    assert.equal((await emu.tasks(emu.apiKey)).length, 2)
    await emu.account(emu.apiKey, { balance: 0 })
    assert.equal(await emu.balance(emu.apiKey), 0)
    await assert.rejects(emu.admin('GET', 'no-such-endpoint'), /HTTP 404/)
  } finally {
    emu.close()
  }
})

test('settings are the binary flags by name', async () => {
  const key = 'k'.repeat(32)
  const emu = startEmulator({ strictAccounts: true, account: [`${key}:2.5`], 'no-limits': true, site: ['a=s', 'b=t'] })
  try {
    assert.equal(await emu.balance(key), 2.5)
    const config = await emu.config()
    assert.equal(config.limits, false)
    assert.equal(config.auto_accounts, false)
    assert.deepEqual(config.sites, { a: 's', b: 't' })
    const client = new Client({ provider: emu.url, apiKey: emu.apiKey, ...FAST })
    await assert.rejects(client.balance(), (e) => e instanceof CaptchaError && e.kind === 'auth')
  } finally {
    emu.close()
  }
  // Named as the caller wrote it, not as the command line's flag.
  assert.throws(() => startEmulator({ delayMs: 'soon' }), (e) => /bad delayMs: "soon"/.test(e.message) && !/--delay-ms/.test(e.message))
  assert.throws(() => startEmulator({ timeScael: 1 }), (e) => /unknown setting "timeScael" \(known: port, timeScale, delayMs/.test(e.message))
})

test('close() stops serving, once', async () => {
  const emu = startEmulator()
  emu.close()
  emu.close()
  await assert.rejects(fetch(emu.url + 'emulator/counters', { signal: AbortSignal.timeout(5_000) }))
})
