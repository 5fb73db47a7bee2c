// The options of issue 23 from Node: `callbackListen` (an answer pushed to the client's own
// receiver, with no poll reaching the emulator), `adaptiveWaits` (accepted, and the first
// wait the events name), `callbackUrl`, and `sharedLimits` as a list of a Redis Cluster's node
// URLs (accepted; refused when not texts). Decided from the events, the emulator's counters
// and the answers.

import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { CaptchaError, Client } from 'capbridge'
import { Emulator, V2, freshKey } from './helpers.mjs'

let emu
before(async () => {
  emu = await Emulator.start('--delay-ms', '20')
})
after(async () => {
  await emu.stop()
})

/** `n` solves, one after another, each pushed to the client's own receiver; their `polled` events. */
async function pushedSolves(key, n, extra = {}) {
  const events = []
  const client = new Client({
    provider: '2captcha',
    baseUrl: emu.url,
    apiKey: key,
    callbackListen: '127.0.0.1:0',
    timeoutMs: 60_000,
    onEvent: (e) => events.push(e),
    ...extra,
  })
  for (let i = 0; i < n; i++) {
    const s = await client.solve(V2)
    assert.equal(s.answer, (await emu.task(s.taskId)).answer)
  }
  return events.filter((e) => e.step === 'polled')
}

test('callbackListen: pushed answers reach the caller with no poll, and teach the first wait', async () => {
  const key = freshKey()
  const polled = await pushedSolves(key, 11)
  assert.deepEqual(
    polled.map((e) => [e.ready, e.pushed]),
    Array(11).fill([true, true]),
    polled.map((e) => e.text).join('\n'),
  )
  const c = await emu.counters()
  assert.equal(c.keys[key].res_requests, 0)
  // Learned waits (on by default) count each push: after 10, the first wait is learned.
  assert.deepEqual(
    polled.map((e) => e.firstWait),
    [...Array(10).fill('documented'), 'learned'],
  )
})

test('adaptiveWaits: false keeps the documented first wait; initialDelayMs says user', async () => {
  const polled = await pushedSolves(freshKey(), 11, { adaptiveWaits: false })
  assert.deepEqual(
    polled.map((e) => [e.pushed, e.firstWait]),
    Array(11).fill([true, 'documented']),
  )
  const events = []
  const user = new Client({
    provider: emu.url,
    apiKey: freshKey(),
    initialDelayMs: 20,
    pollIntervalMs: 20,
    timeoutMs: 10_000,
    onEvent: (e) => events.push(e),
  })
  await user.solve(V2)
  assert.deepEqual([...new Set(events.filter((e) => e.step === 'polled').map((e) => e.firstWait))], ['user'])
  assert.throws(
    () => new Client({ provider: emu.url, apiKey: freshKey(), adaptiveWaits: 'no' }),
    (e) => e instanceof CaptchaError && e.kind === 'usage' && e.option === 'adaptiveWaits',
  )
})

test('sharedLimits takes a list of cluster nodes, callbackUrl a text', () => {
  const nodes = ['redis://127.0.0.1:7000/', 'redis://127.0.0.1:7001/', 'redis://127.0.0.1:7002/']
  // Made without a connection (the link connects in the background).
  new Client({
    provider: '2captcha',
    apiKey: freshKey(),
    sharedLimits: nodes,
    callbackUrl: 'https://cb.example.com/capbridge/',
  })
  assert.throws(
    () => new Client({ provider: '2captcha', apiKey: freshKey(), sharedLimits: [1, 2] }),
    (e) => e instanceof CaptchaError && e.kind === 'usage' && String(e.option).startsWith('sharedLimits'),
  )
})
