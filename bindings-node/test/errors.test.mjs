// Every error kind, provoked against the emulator, and the shared reply vectors replayed as
// the service's replies: one CaptchaError class with kind, code, retryable, retryAfter (ms),
// taskId, field/option (camelCase), never holding the key.

import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { types } from 'node:util'
import { CaptchaError, Client, ERROR_KINDS } from 'capbridge'
import { Emulator, HELD, KEY, PAGE, V2, VECTORS, fast, freshKey, image } from './helpers.mjs'
import { rejection, thrown } from './caught.mjs'

const v2 = (sitekey) => ({ type: 'RecaptchaV2', websiteUrl: PAGE, websiteKey: sitekey })

let emu
before(async () => {
  emu = await Emulator.start('--delay-ms', '20')
})
after(() => emu.stop())

test('CaptchaError is a real Error with every field', async () => {
  const client = new Client(fast(emu))
  const e = await rejection(client.result('99'), 'not_found')
  assert.ok(e instanceof Error)
  assert.ok(types.isNativeError(e))
  assert.equal(e.name, 'CaptchaError')
  assert.deepEqual(
    [e.code, e.taskId, e.retryable, e.retryAfter, e.field, e.option],
    ['ERROR_WRONG_CAPTCHA_ID', '99', false, undefined, undefined, undefined],
  )
  assert.match(e.message, /^not_found \[ERROR_WRONG_CAPTCHA_ID\]: .* \(task 99\)$/)
  assert.match(e.stack, /^CaptchaError: not_found/)
  assert.deepEqual(
    [...ERROR_KINDS],
    ['invalid_task', 'auth', 'balance', 'rate_limited', 'proxy', 'unsolvable', 'not_found', 'report',
      'timeout', 'network', 'service', 'cancelled', 'usage'],
  )
  assert.ok(Object.isFrozen(ERROR_KINDS))
  const mine = new CaptchaError('m', { kind: 'auth' })
  assert.deepEqual([mine.kind, mine.retryable, mine.code], ['auth', false, undefined])
})

describe('every kind', () => {
  const seen = new Set()
  after(() => assert.deepEqual([...seen].sort(), [...ERROR_KINDS].sort(), 'every kind was provoked'))
  const saw = (e) => {
    seen.add(e.kind)
    return e
  }

  test('invalid_task: before sending, and from the service', async () => {
    const client = new Client(fast(emu, { apiKey: freshKey() }))
    let e = saw(await rejection(client.solve({ ...V2, websiteUrl: 'ftp://x' }), 'invalid_task'))
    assert.deepEqual([e.field, e.code], ['websiteUrl', undefined])
    assert.match(e.message, /^invalid_task: websiteUrl: /)
    await emu.rule({ submit_error: 'ERROR_PAGEURL', times: 1 })
    e = await rejection(client.solve(V2), 'invalid_task')
    assert.equal(e.code, 'ERROR_PAGEURL')
  })

  test('auth: an unknown key, on solve and on balance; the key never shows', async () => {
    const key = freshKey()
    await emu.account(key, { exists: false })
    const client = new Client(fast(emu, { apiKey: key }))
    let e = saw(await rejection(client.solve(V2), 'auth'))
    assert.deepEqual([e.code, e.retryable], ['ERROR_KEY_DOES_NOT_EXIST', false])
    e = await rejection(client.balance(), 'auth')
    assert.ok(!e.message.includes(key) && !e.stack.includes(key))
    e = thrown(() => client.balanceSync(), 'auth')
    assert.ok(e.message.startsWith('auth [ERROR_KEY_DOES_NOT_EXIST]: '), e.message)
  })

  test('balance: a zero balance', async () => {
    const key = freshKey()
    await emu.account(key, { balance: 0 })
    const client = new Client(fast(emu, { apiKey: key }))
    const e = saw(await rejection(client.solve(V2), 'balance'))
    // Not retryable unchanged (the account needs money), so no retryAfter either.
    assert.deepEqual([e.code, e.retryable, e.retryAfter], ['ERROR_ZERO_BALANCE', false, undefined])
  })

  test('rate_limited, proxy, unsolvable, not_found, report, service', async () => {
    await emu.rule({ when: { sitekey: 'limit' }, submit_error: 'ERROR: 1001' })
    await emu.rule({ when: { sitekey: 'badproxy' }, submit_error: 'ERROR_BAD_PROXY' })
    await emu.rule({ when: { sitekey: 'unsolvable' }, result_error: 'ERROR_CAPTCHA_UNSOLVABLE' })
    await emu.rule({ when: { sitekey: 'newcode' }, submit_error: 'ERROR_SOMETHING_NEW' })
    let client = new Client(fast(emu, { apiKey: freshKey() }))
    let e = saw(await rejection(client.solve(v2('limit')), 'rate_limited'))
    assert.deepEqual([e.code, e.retryAfter, e.retryable], ['ERROR: 1001', 600_000, true])

    client = new Client(fast(emu, { apiKey: freshKey() }))
    e = saw(await rejection(client.solve(v2('badproxy')), 'proxy'))
    assert.equal(e.field, 'proxy')
    e = saw(await rejection(client.solve(v2('unsolvable')), 'unsolvable'))
    assert.equal(typeof e.taskId, 'string')
    assert.equal(e.retryable, true)
    const unsolved = e.taskId
    e = saw(await rejection(client.result('123'), 'not_found'))
    assert.deepEqual([e.code, e.taskId], ['ERROR_WRONG_CAPTCHA_ID', '123'])
    saw(await rejection(client.report(unsolved, false), 'report'))
    thrown(() => client.reportSync(unsolved, false), 'report')
    e = saw(await rejection(client.solve(v2('newcode')), 'service'))
    assert.equal(e.code, 'ERROR_SOMETHING_NEW')
  })

  test('timeout keeps the task id; the answer can still be collected', async () => {
    const slow = await Emulator.start('--delay-ms', HELD)
    try {
      const client = new Client(fast(slow))
      // Pending until let go; its submit goes out at once, long before a second's deadline.
      const e = saw(await rejection(client.solve(V2, { timeoutMs: 1000 }), 'timeout'))
      assert.equal(typeof e.taskId, 'string')
      assert.equal(e.retryable, true)
      assert.equal(await client.result(e.taskId), null, 'still pending')
      assert.equal(await slow.finish(), 1)
      const s = await client.result(e.taskId)
      assert.ok(s !== null)
      assert.equal(s.taskId, e.taskId)
      const w = await client.wait(e.taskId)
      assert.equal(w.answer, s.answer)
      assert.equal(client.waitSync(e.taskId).answer, s.answer)
      assert.equal(client.resultSync(e.taskId).answer, s.answer)
    } finally {
      await slow.stop()
    }
  })

  test('network: nobody listening; the key never shows', async () => {
    const server = createServer()
    await new Promise((ok) => server.listen(0, '127.0.0.1', ok))
    const port = server.address().port
    await new Promise((ok) => server.close(ok))
    const client = new Client({ provider: `http://127.0.0.1:${port}/`, apiKey: KEY, retry: { baseDelayMs: 5 } })
    const e = saw(await rejection(client.balance(), 'network'))
    assert.ok(!e.message.includes(KEY))
    assert.ok(!JSON.stringify(e).includes(KEY))
  })

  test("a Promise call's error has the stack of the code that awaited it", async () => {
    const key = freshKey()
    await emu.account(key, { exists: false })
    const client = new Client(fast(emu, { apiKey: key }))
    async function checkoutStep() {
      return await client.balance()
    }
    const e = await rejection(checkoutStep(), 'auth')
    assert.match(e.stack, /^CaptchaError: auth/)
    assert.match(e.stack, /\n\s+at async checkoutStep \(.*errors\.test\.mjs:\d+:\d+\)/, e.stack)
  })

  test('cancelled: an aborted signal', async () => {
    const client = new Client(fast(emu))
    const e = saw(await rejection(client.solve(V2, { signal: AbortSignal.abort() }), 'cancelled'))
    assert.equal(e.retryable, false)
  })

  test('usage: options, named the Node way', async () => {
    const base = { provider: '2captcha', apiKey: KEY }
    const cases = [
      [{ ...base, provider: 'no-such-provider' }, 'provider'],
      [{ apiKey: KEY }, 'provider'],
      [{ provider: '2captcha' }, 'apiKey'],
      [{ ...base, timeoutMs: -1 }, 'timeoutMs'],
      [{ ...base, timeout: 1, timeoutMs: 5 }, 'timeout'],
      [{ ...base, pollIntervalMs: 1e30 }, 'pollIntervalMs'],
      [{ ...base, requestTimeoutMs: 0 }, 'requestTimeoutMs'],
      [{ ...base, pollIntervalMs: 0 }, 'pollIntervalMs'],
      [{ ...base, timoutMs: 3 }, 'timoutMs'],
      [{ ...base, batchPolling: 'yes' }, 'batchPolling'],
      [{ ...base, limits: { submitIntervall: 1 } }, 'limits.submitIntervall'],
      [{ ...base, limits: {} }, 'limits'],
      [{ ...base, providers: [{ provider: 'capsolver' }] }, 'providers[0].apiKey'],
      [{ ...base, providers: [{ provider: 'capsolver', apiKey: KEY, baseUrl: 5 }] }, 'providers[0].baseUrl'],
      [{ ...base, retry: { maxAttempts: -1 } }, 'retry.maxAttempts'],
      [{ ...base, failover: { busyForMs: NaN } }, 'failover.busyForMs'],
      [{ ...base, onEvent: 'not a function' }, 'onEvent'],
      [{ ...base, maxConcurrentRequests: 0 }, 'maxConcurrentRequests'],
      // Durations are milliseconds: the core's names in seconds are refused, not read as
      // seconds (`pollInterval: 5000` would poll every 83 minutes).
      [{ ...base, pollInterval: 5000 }, 'pollInterval'],
      [{ ...base, limits: { submitInterval: 1 } }, 'limits.submitInterval'],
      [{ ...base, providers: [{ provider: 'capsolver', apiKey: KEY }], failover: { busyFor: 9 } }, 'failover.busyFor'],
      // One option in two spellings: refused, not the last silently winning.
      [{ ...base, timeoutMs: 60000, timeout_ms: 200 }, 'timeoutMs'],
      [{ ...base, apiKey: KEY, api_key: 'x' }, 'apiKey'],
      [{ ...base, retry: { baseDelayMs: 1, base_delay_ms: 2 } }, 'retry.baseDelayMs'],
      [null, 'options'],
      ['2captcha', 'options'],
    ]
    for (const [options, option] of cases) {
      const e = saw(thrown(() => new Client(options), 'usage'))
      assert.equal(e.option, option, `${JSON.stringify(options)}: ${e.message}`)
      assert.ok(e.message.startsWith(`usage: ${option}: `), e.message)
      assert.ok(!e.message.includes(KEY), e.message)
    }
    let e = thrown(() => new Client({ ...base, timoutMs: 3 }), 'usage')
    assert.match(e.message, /did you mean timeoutMs\?/)
    e = thrown(() => new Client({ ...base, pollInterval: 5000 }), 'usage')
    assert.match(e.message, /milliseconds in JavaScript: give pollIntervalMs$/)
    e = thrown(() => new Client({ ...base, requestTimeoutMs: 0 }), 'usage')
    assert.match(e.message, /^usage: requestTimeoutMs: must be between 1 ms and 1 hour\b(?!s)/)
  })

  test('usage: per-call options and arguments; Promise methods reject, never throw', async () => {
    const client = new Client(fast(emu))
    const calls = [
      [() => client.solve(V2, { timeoutMs: 'soon' }), 'timeoutMs'],
      // Range checks name the option as given, unit suffix included.
      [() => client.solve(V2, { pollIntervalMs: 0 }), 'pollIntervalMs'],
      [() => client.solve(V2, { timeotMs: 5 }), 'timeotMs'],
      [() => client.solve(V2, { initialDelay: 2 }), 'initialDelay'],
      [() => client.wait('1', { timeout: 50 }), 'timeout'],
      [() => client.solve(V2, { timeoutMs: 5, timeout_ms: 6 }), 'timeoutMs'],
      [() => client.solve(V2, 'fast'), 'options'],
      [() => client.solve(V2, { signal: {} }), 'signal'],
      [() => client.solve(V2, { onEvent: 5 }), 'onEvent'],
      [() => client.result(123), 'taskId'],
      [() => client.wait(undefined), 'taskId'],
      [() => client.report('1', 'yes'), 'good'],
    ]
    for (const [call, option] of calls) {
      let p
      assert.doesNotThrow(() => {
        p = call()
      })
      const e = await rejection(p, 'usage')
      assert.equal(e.option, option, e.message)
    }
    let e = thrown(() => client.solveSync(V2, { signal: new AbortController().signal }), 'usage')
    assert.equal(e.option, 'signal')
    e = thrown(() => client.resultSync(5), 'usage')
    assert.equal(e.option, 'taskId')
  })
})

// ---- the shared reply vectors, replayed as the service's replies -------------------------

// Batch polls are the engine's own business; raw-byte bodies (`body_hex`) cannot be scripted
// through the emulator's `reply` fault, which takes text.
const REPLIES = JSON.parse(readFileSync(join(VECTORS, 'replies.json'), 'utf8')).cases.filter(
  (c) => c.call !== 'batch' && typeof c.body === 'string',
)

describe('the shared reply vectors', () => {
  let emuR
  before(async () => {
    emuR = await Emulator.start('--delay-ms', '0')
  })
  after(() => emuR.stop())

  for (const c of REPLIES) {
    test(c.name, async () => {
      await emuR.admin('DELETE', 'faults')
      const endpoint = c.call === 'submit' ? 'in' : 'res'
      await emuR.fault({ fault: 'reply', endpoint, status: c.status, body: c.body })
      const want = c.expect
      // A submit whose fault is retried until the deadline ends by a short one; every other
      // case ends by its reply and keeps the long deadline (a guard), so that no slow machine
      // turns its answer into a timeout.
      const retried = c.call === 'submit' && (want.error?.retryable || want.error?.code === 'MAX_USER_TURN')
      const client = new Client({ ...fast(emuR, { apiKey: freshKey() }), ...(retried ? { timeoutMs: 300 } : {}) })
      const served = (await emuR.counters()).faults_injected
      const call = {
        submit: () => client.submit({ type: 'ImageToText', image: image('captcha.png') }),
        poll: () => client.result('2122988149'),
        balance: () => client.balance(),
        report: () => client.report('2122988149', true),
      }[c.call]
      if (want.error) {
        let e
        await call().then(
          (v) => assert.fail(`resolved with ${JSON.stringify(v)}`),
          (x) => {
            e = x
          },
        )
        assert.ok(e instanceof CaptchaError, String(e))
        const code = want.error.code ?? ''
        // Submits: the engine retries transient faults until the deadline, then names the
        // last failure; a reply that may hide a created task is resubmitted only as allowed.
        if (c.call === 'submit' && e.kind === 'timeout') {
          assert.ok(retried, e.message)
          // It names the last failure, if an attempt was made before the deadline (the
          // emulator says whether it served the fault).
          if ((await emuR.counters()).faults_injected > served) assert.ok(e.message.includes(code), e.message)
        } else if (c.call === 'submit' && e.kind === 'network' && /may have created a task/.test(e.message)) {
          // A submit reply that may hide a created task (empty, cut off, unreadable, a
          // server fault after the request left) is resubmitted only as the policy allows,
          // then reported as such: never as a plain service error.
          assert.ok(want.error.retryable || ['service', 'network'].includes(want.error.kind), e.message)
          assert.ok(e.message.includes('(option retry.unknownSubmitRetries)'), e.message)
        } else {
          assert.equal(e.kind, want.error.kind, e.message)
          if ('code' in want.error) assert.equal(e.code ?? null, want.error.code, e.message)
          if ('retryable' in want.error) assert.equal(e.retryable, want.error.retryable, e.message)
        }
      } else {
        const got = await call()
        if ('task_id' in want) assert.equal(got, want.task_id)
        else if ('ready' in want) {
          assert.ok(got !== null)
          assert.equal(got.answer, want.ready.answer)
          // Absent fields are absent (undefined) in JavaScript, null in the vectors.
          if ('user_agent' in want.ready) assert.equal(got.userAgent ?? null, want.ready.user_agent)
          if ('resp_key' in want.ready) assert.equal(got.respKey ?? null, want.ready.resp_key)
        } else if ('not_ready' in want) assert.equal(got, null)
        else if ('balance' in want) assert.equal(got, want.balance)
        else assert.equal(got, undefined)
      }
    })
  }
})

