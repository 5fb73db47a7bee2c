// What a new user's walkthrough of the package met, each pinned as the user should see it: a
// misspelt onEvent named as one; bytes refused as an option (an API key given as a Buffer was
// sent as its base64); an option given to the wrong table said so, with where it goes; option
// names in messages spelled for JavaScript; an abort's reason kept as the error's cause; the
// 2captcha shim's fourth argument checked when the Solver is made, its timeouts given a code and
// a hint it can follow; the packaged emulator refusing an unknown dialect and a closed handle.

import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { CaptchaError, Client } from 'capbridge'
import { APIError, Solver } from 'capbridge/compat/2captcha'
import { startEmulator } from 'capbridge/testing'
import { Emulator, HELD, KEY, V2, fast, freshKey } from './helpers.mjs'
import { rejection, thrown } from './caught.mjs'

const base = Object.freeze({ provider: '2captcha', apiKey: KEY })

/** The plain Error (neither the shim's APIError nor a CaptchaError) that `f` throws. */
function plainError(f) {
  let err
  assert.throws(f, (e) => {
    err = e
    return true
  })
  assert.ok(err instanceof Error && !(err instanceof APIError) && !(err instanceof CaptchaError), String(err))
  return err
}

let emu
before(async () => {
  emu = await Emulator.start('--delay-ms', '20')
})
after(() => emu.stop())

describe('a function under a name that is not onEvent', () => {
  const fn = () => {}

  test('is not an option, and onEvent is suggested (client and per call)', async () => {
    const client = new Client(fast(emu))
    // Spelled like it, or not (then told why it is suggested).
    const why = ' (the one option that takes a function)'
    for (const [name, after] of [['onEvents', ''], ['onevent', ''], ['callback', why], ['onSolved', why]]) {
      const want = `usage: ${name}: is not an option; did you mean onEvent?${after}`
      const e = thrown(() => new Client({ ...base, [name]: fn }))
      assert.equal(e.option, name)
      assert.equal(e.message, want)
      assert.equal((await rejection(client.solve(V2, { [name]: fn }))).message, want)
      const s = thrown(() => client.solveSync(V2, { [name]: fn }))
      assert.equal(s.option, name)
    }
  })

  test('under a data option, it is still that option\'s wrong value', async () => {
    let e = thrown(() => new Client({ ...base, timeoutMs: fn }))
    assert.equal(e.option, 'timeoutMs')
    assert.match(e.message, /^usage: timeoutMs: expected .*, got a function$/)
    e = await rejection(new Client(fast(emu)).solve(V2, { pollIntervalMs: fn }))
    assert.match(e.message, /^usage: pollIntervalMs: expected .*, got a function$/)
  })

  test('on_event and OnEvent are onEvent in another spelling, as for every option', async () => {
    for (const name of ['on_event', 'OnEvent']) {
      const steps = []
      const client = new Client(fast(emu, { apiKey: freshKey(), [name]: (e) => steps.push(e.step) }))
      await client.solve(V2)
      assert.ok(steps.includes('solved'), `${name}: ${steps}`)
      const own = []
      await new Client(fast(emu)).solve(V2, { [name]: (e) => own.push(e.step) })
      assert.ok(own.includes('solved'), `${name} per call: ${own}`)
    }
    const e = thrown(() => new Client({ ...base, onEvent: fn, on_event: fn }))
    assert.equal(e.option, 'onEvent')
    assert.match(e.message, /given twice, in two spellings/)
  })
})

describe('bytes are no option\'s value', () => {
  const bytes = Buffer.from(KEY)

  test('an API key as a Buffer is refused, never sent as its base64', () => {
    for (const key of [bytes, new Uint8Array(bytes), bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)]) {
      const e = thrown(() => new Client({ provider: '2captcha', apiKey: key }))
      assert.equal(e.option, 'apiKey')
      assert.match(e.message, /^usage: apiKey: expected text, got binary data/)
      assert.ok(!e.message.includes(bytes.toString('base64')), e.message)
      const p = thrown(() => new Client({ ...base, providers: [{ provider: 'capsolver', apiKey: key }] }))
      assert.equal(p.option, 'providers[0].apiKey')
      assert.match(p.message, /^usage: providers\[0\]\.apiKey: expected text, got binary data/)
    }
    // A number was refused already, the same way.
    assert.equal(thrown(() => new Client({ provider: '2captcha', apiKey: 12345 })).message, 'usage: apiKey: expected text')
  })

  test('nor any other option\'s', async () => {
    let e = thrown(() => new Client({ ...base, softId: Buffer.from('4580') }))
    assert.equal(e.option, 'softId')
    assert.match(e.message, /got binary data/)
    e = thrown(() => new Client({ ...base, retry: { maxAttempts: new Uint8Array(1) } }))
    assert.equal(e.option, 'retry.maxAttempts')
    assert.match(e.message, /got binary data/)
    e = await rejection(new Client(fast(emu)).solve(V2, { timeoutMs: Buffer.from('5') }))
    assert.equal(e.option, 'timeoutMs')
    assert.match(e.message, /got binary data/)
  })
})

describe('an option of the other table says where it goes', () => {
  test('a client option given per call', async () => {
    const client = new Client(fast(emu))
    // Whatever the value: a function or bytes there are not what is wrong.
    for (const [name, value] of [['sharedLimits', 'redis://x'], ['apiKey', Buffer.from(KEY)], ['limits', {}],
      ['maxConcurrentRequests', 2], ['callbackUrl', () => {}]]) {
      const want = `usage: ${name}: is a client option, not a per-call one: give it when making the client`
      const e = await rejection(client.solve(V2, { [name]: value }))
      assert.equal(e.option, name)
      assert.equal(e.message, want)
      assert.equal((await rejection(client.wait('1', { [name]: value }))).message, want)
      assert.equal(thrown(() => client.submitSync(V2, { [name]: value })).message, want)
    }
    // A per-call option still works, and a name neither takes is still just not an option.
    assert.match((await rejection(client.solve(V2, { pollingIntervalMs: 5 }))).message, /is not an option; did you mean pollIntervalMs\?/)
  })

  test('a signal given to the client', () => {
    const e = thrown(() => new Client({ ...base, signal: new AbortController().signal }))
    assert.equal(e.option, 'signal')
    assert.equal(e.message, 'usage: signal: is per call: client.solve(task, { signal })')
  })
})

describe('option names inside messages are spelled for JavaScript', () => {
  test('a providers entry that is not an object', () => {
    const e = thrown(() => new Client({ ...base, providers: ['2captcha'] }))
    assert.equal(e.option, 'providers[0]')
    assert.equal(e.message, 'usage: providers[0]: expected an object with provider and apiKey')
  })

  test('a callback URL without a receiver', () => {
    const e = thrown(() => new Client({ ...base, callbackUrl: 'https://cb.example.com/capbridge/' }))
    assert.equal(e.option, 'callbackUrl')
    assert.match(e.message, /needs callbackListen, or sharedLimits /)
    assert.doesNotMatch(e.message, /callback_listen|shared_limits/)
  })

  test('a field the client writes itself names the option to set, in camelCase', async () => {
    const client = new Client(base)
    const e = await rejection(client.solve({ ...V2, extra: { json: '1' } }), 'invalid_task')
    assert.equal(e.field, 'extra')
    assert.match(e.message, /may not hold json: the client writes it itself \(option jsonReplies\)/)
  })

  test('values the caller gave are quoted as given', () => {
    const e = thrown(() => new Client({ provider: 'api_key', apiKey: KEY }))
    assert.match(e.message, /"api_key"/)
  })
})

describe('an aborted call carries the signal\'s reason as its cause', () => {
  test('solve and wait, aborted while the task is pending', async () => {
    const key = freshKey()
    await emu.rule({ when: { key }, delay_ms: Number(HELD) })
    const client = new Client(fast(emu, { apiKey: key }))
    const ac = new AbortController()
    let submitted
    const sent = new Promise((ok) => {
      submitted = ok
    })
    const p = client.solve(V2, { signal: ac.signal, onEvent: (e) => e.step === 'submitted' && submitted(e.taskId) })
    const taskId = await sent
    const reason = new Error('user gave up')
    ac.abort(reason)
    let e = await rejection(p, 'cancelled')
    assert.equal(e.taskId, taskId)
    assert.equal(e.cause, reason)
    assert.ok(!Object.keys(e).includes('cause'), 'cause is not enumerable, as Error\'s own')

    const again = new AbortController()
    const w = client.wait(taskId, { signal: again.signal })
    again.abort('no more waiting')
    e = await rejection(w, 'cancelled')
    assert.equal(e.taskId, taskId)
    assert.equal(e.cause, 'no more waiting')
  })

  test('an already aborted signal, and one aborted without a reason', async () => {
    const client = new Client(fast(emu))
    const reason = new Error('shutting down')
    let e = await rejection(client.solve(V2, { signal: AbortSignal.abort(reason) }), 'cancelled')
    assert.equal(e.cause, reason)
    e = await rejection(client.wait('1', { signal: AbortSignal.abort() }), 'cancelled')
    assert.equal(e.cause.name, 'AbortError')
  })

  test('a call that ended otherwise has no cause', async () => {
    const key = freshKey()
    await emu.account(key, { exists: false })
    const ac = new AbortController()
    const e = await rejection(new Client(fast(emu, { apiKey: key })).solve(V2, { signal: ac.signal }), 'auth')
    assert.equal(e.cause, undefined)
    assert.equal((await new Client(fast(emu)).solve(V2, { signal: ac.signal })).taskId !== undefined, true)
  })
})

describe('compat/2captcha: the Solver\'s fourth argument', () => {
  test('is checked when the Solver is made, with plain Errors naming the option', async () => {
    const sent = (await emu.counters()).requests
    let e = plainError(() => new Solver(KEY, 100, true, { timeout: 5 }))
    assert.match(e.message, /\btimeout: durations are milliseconds in JavaScript: give timeoutMs\b/)
    assert.ok(e.cause instanceof CaptchaError)
    e = plainError(() => new Solver(KEY, 100, true, { timoutMs: 5 }))
    assert.match(e.message, /timoutMs: is not an option; did you mean timeoutMs\?/)
    e = plainError(() => new Solver(KEY, 100, true, { server: 'ftp://x' }))
    assert.match(e.message, /\bserver\b/)
    assert.doesNotMatch(e.message, /\bprovider\b/)
    assert.match(e.message, /"ftp:\/\/x"/)
    e = plainError(() => new Solver(KEY, 100, true, { server: 'https://' }))
    assert.match(e.message, /\bserver\b/)
    assert.doesNotMatch(e.message, /\bprovider\b|baseUrl/)
    for (const wrong of ['fast', 5, true, ['x']]) {
      e = plainError(() => new Solver(KEY, 100, true, wrong))
      assert.match(e.message, /fourth argument/)
      assert.match(e.message, /an object/)
    }
    // What the Solver's own arguments set is not an option here.
    e = plainError(() => new Solver(KEY, 100, true, { pollIntervalMs: 10 }))
    assert.match(e.message, /pollingFrequency/)
    e = plainError(() => new Solver(KEY, 100, true, { apiKey: 'other' }))
    assert.match(e.message, /first argument/)
    // What only building a client checked is checked too, with nothing started.
    e = plainError(() => new Solver(KEY, 100, true, { server: emu.url, callbackUrl: 'https://cb.example.com/x/' }))
    assert.match(e.message, /callbackUrl: needs callbackListen/)
    e = plainError(() => new Solver(KEY, 100, true, { server: emu.url, sharedLimits: 'mysql://db.example.com/' }))
    assert.match(e.message, /sharedLimits: /)
    // Nothing was sent, and good options (or none) construct as before.
    assert.equal((await emu.counters()).requests, sent)
    new Solver(KEY, 100, true, { server: emu.url, timeoutMs: 5_000, onEvent: () => {} })
    new Solver(KEY, 100, true, undefined)
    new Solver(KEY)
  })

  test('a timeout is an APIError with a code for err, and a hint the Solver can follow', async () => {
    const key = freshKey()
    await emu.rule({ when: { key }, delay_ms: Number(HELD) })
    const solver = new Solver(key, 20, true, { server: emu.url, initialDelayMs: 20, timeoutMs: 500 })
    const err = await solver.recaptcha({ pageurl: 'https://example.com/login', googlekey: V2.websiteKey }).catch((x) => x)
    assert.ok(err instanceof APIError, String(err))
    assert.equal(err.kind, 'timeout')
    assert.equal(err.err, 'ERROR_TIMEOUT')
    assert.equal(err.code, 0)
    assert.doesNotMatch(err.message, /result\(/)
    assert.ok(err.taskId, 'the task was held at the emulator: it has an id')
    assert.match(err.message, /timeoutMs/)
  })
})

describe('capbridge/testing', () => {
  test('urlFor refuses a provider the emulator does not serve, naming those it does', async () => {
    const local = startEmulator()
    try {
      assert.equal(local.urlFor('capsolver'), `${local.url}capsolver/`)
      assert.equal(local.urlFor('/2captcha/'), `${local.url}2captcha/`)
      assert.equal(local.urlFor(''), local.url)
      assert.equal(local.urlFor('generic'), `${local.url}generic/`)
      // The generic json dialect answers there.
      const r = await fetch(local.urlFor('generic') + 'getBalance', { method: 'POST', body: JSON.stringify({ clientKey: KEY }) })
      assert.equal(r.status, 200)
      assert.throws(() => local.urlFor('nope'), (e) =>
        /unknown provider "nope"/.test(e.message) && /anti-captcha/.test(e.message) && /capsolver/.test(e.message) && /rucaptcha/.test(e.message))
    } finally {
      local.close()
    }
  })

  test('a closed emulator says so', async () => {
    const local = startEmulator()
    local.close()
    await assert.rejects(local.counters(), /the emulator was closed/)
    await assert.rejects(local.admin('GET', 'config'), /the emulator was closed/)
  })
})
