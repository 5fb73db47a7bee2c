// The Promise API never blocks the event loop: 1,000 solves at once whose answers only a timer
// on this thread can release.
//
// Decided from what happened, not from how fast: the emulator holds every task pending, and a
// 5 ms timer on this thread lets them go once the emulator has them all and has been polled
// for each (the engine is waiting on every one of them). A binding that blocked this thread
// while its solves wait (a *Sync call underneath, or a Promise path that waited here) would
// stop the timer, nothing would release the tasks, and the test would fail by its guard
// instead of finishing. How long the ticks take is printed, never checked: a busy machine
// stalls any loop now and then, which says nothing about the binding.

import assert from 'node:assert/strict'
import v8 from 'node:v8'
import vm from 'node:vm'
import { after, before, describe, test } from 'node:test'
import { Client } from 'capbridge'
import { Emulator, HANG_MS, HELD, UNLIMITED, V2, fast, freshKey } from './helpers.mjs'

const TICK_MS = 5

describe('the event loop', () => {
  let emu
  before(async () => {
    emu = await Emulator.start('--delay-ms', HELD, '--no-limits')
  })
  after(() => emu?.stop())

  test('1,000 solves at once; a timer on this thread keeps running and releases them', async (t) => {
    const c = new Client(fast(emu, { apiKey: freshKey(), limits: UNLIMITED, batchPolling: true, pollIntervalMs: 20 }))
    let ticks = 0
    let released = false
    let checking = false
    let longestGap = 0
    let last = performance.now()
    const timer = setInterval(async () => {
      const now = performance.now()
      longestGap = Math.max(longestGap, now - last)
      last = now
      ticks++
      if (released || checking) return
      checking = true
      try {
        const n = await emu.counters()
        if (n.tasks_accepted === 1000 && n.polls >= 1000) {
          released = true
          await emu.finish()
        }
      } finally {
        checking = false
      }
    }, TICK_MS)
    let guard
    try {
      // Started 100 at a time, a macrotask apart, as an application would.
      const all = []
      for (let i = 0; i < 10; i++) {
        for (let j = 0; j < 100; j++) all.push(c.solve(V2))
        await new Promise((ok) => setImmediate(ok))
      }
      const hung = new Promise((_, fail) => {
        guard = setTimeout(() => fail(new Error(`not released within ${HANG_MS} ms (${ticks} ticks)`)), HANG_MS)
      })
      const solutions = await Promise.race([Promise.all(all), hung])
      assert.equal(solutions.length, 1000)
      assert.equal(new Set(solutions.map((s) => s.taskId)).size, 1000)
      assert.ok(solutions.every((s) => s.answer.length > 0))
      assert.ok(released, 'the answers came after the timer released them')
      t.diagnostic(`${ticks} ticks of a ${TICK_MS} ms timer while the solves were in flight; longest gap ` +
        `${longestGap.toFixed(0)} ms (shown, not checked)`)
    } finally {
      clearTimeout(guard)
      clearInterval(timer)
    }
  })
})

// A client the caller let go of while its solve runs keeps delivering that solve's events to
// its `onEvent`: `return new Client({ onEvent }).solve(task)` is a common shape, and the
// promise is then all the caller holds. (The Promise method keeps its client while it runs,
// and the native side holds the client's callback until the call settles.) Decided from what
// happened: garbage collections forced while the emulator holds the task, a poll seen after
// them, and only then the task let go; the `solved` step must still arrive.
describe('a client let go of while it solves', () => {
  let emu
  before(async () => {
    emu = await Emulator.start('--delay-ms', HELD)
  })
  after(() => emu?.stop())

  test('keeps reporting the steps of its solves to its onEvent', async () => {
    v8.setFlagsFromString('--expose-gc')
    const gc = vm.runInNewContext('gc')
    const steps = []
    const key = freshKey()
    const solveWithLog = () => {
      const client = new Client(fast(emu, { apiKey: key, onEvent: (e) => steps.push(e.step) }))
      return client.solve(V2)
    }
    const solving = solveWithLog()
    const deadline = Date.now() + HANG_MS
    let ids = []
    while (ids.length === 0) {
      assert.ok(Date.now() < deadline, 'the task never arrived')
      await new Promise((ok) => setTimeout(ok, 10))
      ids = await emu.taskIds(key)
    }
    for (let i = 0; i < 5; i++) {
      gc()
      await new Promise((ok) => setTimeout(ok, 10))
    }
    const polls = (await emu.task(ids[0])).polls
    while ((await emu.task(ids[0])).polls <= polls) {
      assert.ok(Date.now() < deadline, 'no poll after the collections')
      await new Promise((ok) => setTimeout(ok, 10))
    }
    await emu.finish()
    const solution = await solving
    assert.equal(solution.taskId, String(ids[0]))
    assert.deepEqual(steps.filter((s) => s !== 'polled'), ['submitting', 'submitted', 'solved'])
    assert.ok(steps.includes('polled'))
  })
})
