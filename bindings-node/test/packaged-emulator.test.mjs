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

/** One sample task per kind: THE table. A kind in TASK_KINDS without a row fails the first test. */
const SAMPLES = {
  ImageToText: { type: 'ImageToText', image: PNG },
  RecaptchaV2: { type: 'RecaptchaV2', websiteUrl: PAGE, websiteKey: '6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-' },
  RecaptchaV3: { type: 'RecaptchaV3', websiteUrl: PAGE, websiteKey: '6LfZil0UAAAAAAdm1Dpzsw9q0F11-bmervx9g5fE', action: 'login' },
  HCaptcha: { type: 'HCaptcha', websiteUrl: PAGE, websiteKey: '10000000-ffff-ffff-ffff-000000000001' },
  FunCaptcha: { type: 'FunCaptcha', websiteUrl: PAGE, publicKey: '12AB34CD-56F7-AB8C-9D01-2EF3456789A0' },
  Turnstile: { type: 'Turnstile', websiteUrl: PAGE, websiteKey: '0x4AAAAAAAC3DHQFLr1GavRN' },
}

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
      assert.equal(info.kind, kind)
      assert.equal(info.answer, solution.answer)
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
  const emu = startEmulator({ strictAccounts: true, account: [`${key}:2.5`], 'no-limits': true })
  try {
    assert.equal(await emu.balance(key), 2.5)
    const config = await emu.config()
    assert.equal(config.limits, false)
    assert.equal(config.auto_accounts, false)
    const client = new Client({ provider: emu.url, apiKey: emu.apiKey, ...FAST })
    await assert.rejects(client.balance(), (e) => e instanceof CaptchaError && e.kind === 'auth')
  } finally {
    emu.close()
  }
  assert.throws(() => startEmulator({ timeScael: 0.01 }), /time-scael/)
  assert.throws(() => startEmulator({ delayMs: 'soon' }), /--delay-ms/)
})

test('close() stops serving, once', async () => {
  const emu = startEmulator()
  emu.close()
  emu.close()
  await assert.rejects(fetch(emu.url + 'emulator/counters', { signal: AbortSignal.timeout(5_000) }))
})
