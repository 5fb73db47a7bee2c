// A call's own `requestTimeoutMs`: it bounds the call's submits and the polls of its task,
// whatever the client's is. A submit or a poll stalls for an hour behind a client whose
// request timeout is the hour; the call still ends, with the answer or the task id, and its
// events name the timed-out request. Decided from the events, never from how long it took.

import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { Client, CaptchaError } from 'capbridge'
import { Emulator, V2, fast, freshKey } from './helpers.mjs'

const HOUR_MS = 3_600_000
let emu
before(async () => {
  emu = await Emulator.start('--delay-ms', '20')
})
after(async () => {
  await emu.stop()
})

const stallOnce = (endpoint) => emu.fault({ fault: 'slow', endpoint, delay_ms: HOUR_MS, count: 1 })
const timedOut = (events, stage) =>
  events.some((e) => e.step === 'retrying' && e.stage === stage && (e.message ?? '').includes('timed out'))

test('a solve’s requestTimeoutMs bounds its stalled submit', async () => {
  const events = []
  const client = new Client(fast(emu, { apiKey: freshKey(), requestTimeoutMs: HOUR_MS }))
  await stallOnce('in')
  const s = await client.solve(V2, { requestTimeoutMs: 300, onEvent: (e) => events.push(e) })
  assert.equal(s.answer, (await emu.task(s.taskId)).answer)
  assert.ok(timedOut(events, 'submit'), events.map((e) => e.text).join('\n'))
})

test('a wait’s requestTimeoutMs bounds its stalled poll; a submit takes one too', async () => {
  const events = []
  const client = new Client(fast(emu, { apiKey: freshKey(), requestTimeoutMs: HOUR_MS, batchPolling: false }))
  await stallOnce('in')
  const id = await client.submit(V2, { requestTimeoutMs: 300, onEvent: (e) => events.push(e) })
  assert.ok(timedOut(events, 'submit'), events.map((e) => e.text).join('\n'))
  // Set before the wait's first poll: nothing races it.
  await stallOnce('res')
  const s = await client.wait(id, { requestTimeoutMs: 300, onEvent: (e) => events.push(e) })
  assert.equal(s.answer, (await emu.task(id)).answer)
  assert.ok(timedOut(events, 'poll'), events.map((e) => e.text).join('\n'))
})

test('requestTimeoutMs out of range is refused, naming it, before anything is sent', async () => {
  const client = new Client(fast(emu, { apiKey: freshKey() }))
  const before = (await emu.counters()).requests
  for (const bad of [0, -1, 3_600_001, Number.NaN]) {
    await assert.rejects(client.solve(V2, { requestTimeoutMs: bad }), (e) => {
      assert.ok(e instanceof CaptchaError && e.kind === 'usage', String(e))
      assert.equal(e.option, 'requestTimeoutMs')
      return true
    })
  }
  assert.equal((await emu.counters()).requests, before)
})
