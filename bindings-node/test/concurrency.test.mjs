// The Promise API under cancellation: AbortSignal, events on the JavaScript thread (the
// shared_limits event among them), worker threads, and clean process exits. The 1,000 solves
// with a timer on the JavaScript thread releasing them are in event-loop.test.mjs.

import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { createServer } from 'node:net'
import { getEventListeners } from 'node:events'
import { after, before, describe, test } from 'node:test'
import { Worker } from 'node:worker_threads'
import { CaptchaError, Client } from 'capbridge'
import { Emulator, HANG_MS, HELD, KEY, PACKAGE, UNLIMITED, V2, eventually, fast, freshKey, sleep } from './helpers.mjs'

let emu
before(async () => {
  emu = await Emulator.start('--delay-ms', '30-80', '--no-limits')
})
after(() => emu.stop())

const unlimited = (extra = {}) => fast(emu, { apiKey: freshKey(), limits: UNLIMITED, ...extra })

describe('AbortSignal', () => {
  test('abort stops polling at once and rejects with cancelled (with the task id)', async () => {
    const slow = await Emulator.start('--delay-ms', HELD)
    try {
      const client = new Client({ ...fast(slow), initialDelayMs: 10, pollIntervalMs: 10 })
      const ac = new AbortController()
      let taskId
      const p = client.solve(V2, {
        signal: ac.signal,
        onEvent: (e) => {
          if (e.step === 'submitted') taskId = e.taskId
        },
      })
      await eventually('three polls', async () => (await slow.counters()).res_requests >= 3)
      ac.abort()
      // Rejected with the task id, though the task is pending for an hour: the abort ended it.
      await assert.rejects(p, (e) => {
        assert.ok(e instanceof CaptchaError)
        assert.equal(e.kind, 'cancelled', e.message)
        assert.equal(e.taskId, taskId)
        return true
      })
      // A poll already on the wire may still land; after it, none. (Waiting can only give a
      // poll the engine should not send the time to show up.)
      const after1 = (await slow.counters()).res_requests
      await sleep(300)
      const after2 = (await slow.counters()).res_requests
      assert.ok(after2 <= after1 + 1, `${after2 - after1} polls after the abort`)
    } finally {
      await slow.stop()
    }
  })

  test('an aborted signal sends nothing; AbortSignal.timeout works', async () => {
    const client = new Client(unlimited())
    const before = (await emu.counters()).requests
    await assert.rejects(client.solve(V2, { signal: AbortSignal.abort() }), { kind: 'cancelled' })
    await assert.rejects(client.submit(V2, { signal: AbortSignal.abort() }), { kind: 'cancelled' })
    assert.equal((await emu.counters()).requests, before)
    const slow = await Emulator.start('--delay-ms', HELD)
    try {
      const c = new Client(fast(slow))
      await assert.rejects(c.solve(V2, { signal: AbortSignal.timeout(100) }), { kind: 'cancelled' })
      await assert.rejects(c.wait('72000000001', { signal: AbortSignal.timeout(50) }), (e) =>
        ['cancelled', 'not_found'].includes(e.kind))
    } finally {
      await slow.stop()
    }
  })

  test('a signal shared by many calls collects no listeners', async () => {
    const client = new Client(unlimited())
    const ac = new AbortController()
    const warnings = []
    const onWarning = (w) => warnings.push(w)
    process.on('warning', onWarning)
    try {
      for (let round = 0; round < 3; round++) {
        const all = Promise.all(Array.from({ length: 20 }, () => client.solve(V2, { signal: ac.signal })))
        assert.equal(getEventListeners(ac.signal, 'abort').length, 1, 'one listener for every call')
        await all
      }
      await assert.rejects(client.solve({ ...V2, websiteUrl: 'nope' }, { signal: ac.signal }), { kind: 'invalid_task' })
      await sleep(10)
      assert.deepEqual(warnings.map(String), [])
      // Aborting cancels the calls in flight at that moment, and only those.
      // Its first poll a day away: in flight whenever the abort comes.
      const late = client.solve({ ...V2, websiteKey: 'late' }, { signal: ac.signal, initialDelayMs: 86_400_000 })
      const other = client.solve(V2)
      ac.abort()
      await assert.rejects(late, { kind: 'cancelled' })
      assert.ok((await other).answer)
    } finally {
      process.off('warning', onWarning)
    }
  })
})

describe('events', () => {
  test('each step of a solve, on the JavaScript thread, before the promise settles', async () => {
    const client = new Client(unlimited())
    const events = []
    const s = await client.solve(V2, { onEvent: (e) => events.push(e) })
    const steps = events.map((e) => e.step)
    assert.deepEqual(steps.slice(0, 2), ['submitting', 'submitted'])
    assert.ok(steps.includes('polled'))
    assert.equal(steps.at(-1), 'solved')
    const last = events.at(-1)
    assert.equal(last.taskId, s.taskId)
    assert.equal(last.taskKind, 'RecaptchaV2')
    assert.equal(typeof last.elapsedMs, 'number')
    assert.equal(typeof last.solveId, 'number')
    assert.equal(typeof last.text, 'string')
    assert.ok(events.every((e) => e.solveId === last.solveId))
    assert.ok(!JSON.stringify(events).includes(KEY))
  })

  test('retries, failures and the client-wide handler; never the key', async () => {
    const key = freshKey()
    const all = []
    const client = new Client(unlimited({ apiKey: key, onEvent: (e) => all.push(e) }))
    await emu.fault({ fault: 'html502', endpoint: 'in', count: 1 })
    const mine = []
    await client.solve(V2, { onEvent: (e) => mine.push(e) })
    const retry = mine.find((e) => e.step === 'retrying')
    assert.ok(retry, mine.map((e) => e.step).join(','))
    assert.equal(retry.stage, 'submit')
    assert.equal(retry.errorKind, 'service')
    assert.equal(typeof retry.delayMs, 'number')
    await emu.rule({ when: { sitekey: 'fails' }, result_error: 'ERROR_CAPTCHA_UNSOLVABLE', times: 1 })
    await assert.rejects(client.solve({ ...V2, websiteKey: 'fails' }), { kind: 'unsolvable' })
    await eventually('the failed event on the client-wide handler', () => all.some((e) => e.step === 'failed'))
    const failed = all.find((e) => e.step === 'failed')
    assert.ok(failed)
    assert.equal(failed.errorKind, 'unsolvable')
    assert.equal(failed.code, 'ERROR_CAPTCHA_UNSOLVABLE')
    assert.ok(all.some((e) => e.step === 'retrying'), 'the client-wide handler sees every solve')
    assert.ok(!JSON.stringify(all).includes(key))
  })

  test('shared_limits: Redis does not answer; the solve succeeds, the client-wide handler is told', async () => {
    // A free local port with nothing listening: Redis "does not answer" at once.
    const server = createServer()
    await new Promise((ok) => server.listen(0, '127.0.0.1', ok))
    const port = server.address().port
    await new Promise((ok) => server.close(ok))
    const all = []
    const mine = []
    // A fresh key: its own link to Redis (clients of one key share it), so its own first event.
    const client = new Client(unlimited({ sharedLimits: `redis://127.0.0.1:${port}/0`, onEvent: (e) => all.push(e) }))
    const s = await client.solve(V2, { onEvent: (e) => mine.push(e) })
    assert.ok(s.answer)
    await eventually('the shared_limits event', () => all.some((e) => e.step === 'shared_limits'))
    const shared = all.filter((e) => e.step === 'shared_limits')
    assert.equal(shared.length, 1, all.map((e) => e.step).join(','))
    const [e] = shared
    assert.equal(e.shared, false, 'this process keeps the limits alone')
    assert.match(e.message, /does not answer/)
    assert.ok(e.message.includes(`127.0.0.1:${port}`), e.message)
    assert.equal(e.solveId, 0, 'not part of a solve')
    assert.equal(e.taskId, undefined)
    assert.equal(e.taskKind, undefined)
    assert.ok(all.filter((x) => x.step !== 'shared_limits').every((x) => x.shared === undefined))
    assert.ok(!mine.some((x) => x.step === 'shared_limits'), 'a per-call handler sees its solve only')
    assert.ok(all.some((x) => x.step === 'solved'), 'the client-wide handler saw the solve too')
  })

  test('Sync calls hand their events over, in order, before returning', () => {
    const client = new Client(unlimited())
    const events = []
    const s = client.solveSync(V2, { onEvent: (e) => events.push(e.step) })
    assert.equal(events[0], 'submitting')
    assert.equal(events.at(-1), 'solved')
    assert.ok(s.answer)
  })

  test('an onEvent handler that throws is reported as a warning, and the solve goes on', async () => {
    // An observer's bug must not end the process (a Promise call's events arrive on no
    // JavaScript stack) nor cost a solved answer (a Sync call would throw instead of returning).
    const warnings = []
    const onWarning = (w) => { if (w.code === 'CAPBRIDGE_ON_EVENT_THREW') warnings.push(w) }
    process.on('warning', onWarning)
    try {
      const boom = () => { throw new Error('from the callback') }
      const tick = () => new Promise((ok) => setImmediate(ok)) // warnings come on the next tick
      const client = new Client(unlimited())
      assert.ok(client.solveSync(V2, { onEvent: boom }).answer)
      await tick()
      const sync = warnings.length
      assert.ok((await client.solve(V2, { onEvent: boom })).answer)
      assert.ok((await new Client({ ...unlimited(), onEvent: boom }).solve(V2)).answer)
      await tick()
      assert.ok(sync >= 2 && warnings.length >= sync + 4, `${sync} then ${warnings.length} warnings`)
      assert.ok(warnings.every((w) => w.name === 'CapbridgeWarning' && /from the callback/.test(w.detail)))
    } finally {
      process.off('warning', onWarning)
    }
  })
})

describe('worker threads', () => {
  test('the module loads and solves inside a worker, Promise and Sync', async () => {
    const code = `
      const { parentPort, workerData } = require('node:worker_threads')
      const { Client, CaptchaError } = require(workerData.pkg)
      const client = new Client(workerData.options)
      client.solve(workerData.task).then(async (s) => {
        const t = client.solveSync(workerData.task)
        const e = await client.solve({ type: 'Nope' }).catch((e) => e)
        parentPort.postMessage({ a: s.answer, b: t.answer, isError: e instanceof CaptchaError, kind: e.kind })
      }, (e) => parentPort.postMessage({ error: String(e) }))
    `
    const w = new Worker(code, { eval: true, workerData: { pkg: PACKAGE, options: unlimited(), task: V2 } })
    // Listened for from the start: a worker that ends quickly has its last message and its
    // 'exit' emitted in one go, before this function resumes from awaiting the message.
    const exited = new Promise((ok) => w.once('exit', ok))
    const msg = await new Promise((ok, fail) => {
      w.once('message', ok)
      w.once('error', fail)
    })
    assert.equal(msg.error, undefined)
    assert.ok(msg.a && msg.b)
    assert.equal(msg.isError, true, 'each worker has its own CaptchaError class')
    assert.equal(msg.kind, 'invalid_task')
    assert.equal(await exited, 0, 'the worker exits on its own')
  })

  test('terminating a worker mid-solve leaves this thread unharmed', async () => {
    const slow = await Emulator.start('--delay-ms', HELD)
    try {
      // Terminated once its solve has a task at the service (pending for an hour).
      const code = `
        const { parentPort, workerData } = require('node:worker_threads')
        const { Client } = require(workerData.pkg)
        const client = new Client({ ...workerData.options, onEvent: () => {} })
        client.solve(workerData.task, {
          onEvent: (e) => { if (e.step === 'submitted') parentPort.postMessage('started') },
        })
      `
      const w = new Worker(code, { eval: true, workerData: { pkg: PACKAGE, options: fast(slow), task: V2 } })
      await new Promise((ok) => w.once('message', ok))
      await w.terminate()
      const client = new Client(unlimited())
      assert.ok((await client.solve(V2)).answer)
    } finally {
      await slow.stop()
    }
  })
})

describe('process exit', () => {
  const run = (script) =>
    // The timeout is a guard against a hang: a script killed by it has no exit status 0.
    spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: HANG_MS, env: { ...process.env, PKG: PACKAGE } })

  test('a script exits on its own once its solves are done (no hanging handle)', () => {
    const options = JSON.stringify(unlimited())
    const r = run(`
      const { Client } = require(process.env.PKG)
      let client = new Client({ ...${options}, onEvent: () => {} })
      client.solve(${JSON.stringify(V2)}, { onEvent: () => {} }).then((s) => console.log('solved', s.taskId))
      client.balance().then((b) => console.log('balance', typeof b))
      client = null
    `)
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.stdout, /solved \d+/)
    assert.match(r.stdout, /balance string/)
  })

  test('a pending solve keeps the process alive until it settles', () => {
    const options = JSON.stringify(unlimited({ initialDelayMs: 300 }))
    const r = run(`
      const { Client } = require(process.env.PKG)
      new Client(${options}).solve(${JSON.stringify(V2)}).then(() => console.log('done'))
    `)
    assert.equal(r.status, 0, r.stderr)
    assert.equal(r.stdout.trim(), 'done')
  })

  test('an idle client does not keep the process alive', () => {
    const r = run(`
      const { Client } = require(process.env.PKG)
      globalThis.keep = new Client({ provider: '2captcha', apiKey: '${KEY}', onEvent: () => {} })
    `)
    // Exited on its own (a process kept alive is killed by the guard: no status 0).
    assert.equal(r.status, 0, r.stderr)
  })
})
