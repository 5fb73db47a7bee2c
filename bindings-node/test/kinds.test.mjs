// One table over every kind x preset pair of the catalogue (tests/vectors/catalogue.json, as
// the core renders it): each kind's example solves at each preset that offers it, with its
// structured answer in `data`, and is refused before anything is sent at the others.

import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { CaptchaError, Client } from 'capbridge'
import { Emulator, FAST, VECTORS, camel, expandAll, freshKey, typeCheck } from './helpers.mjs'

const CATALOGUE = JSON.parse(readFileSync(join(VECTORS, 'catalogue.json'), 'utf8'))
const PRESETS = ['bigcaptcha', 'captchaai', '2captcha', 'rucaptcha', 'nextcaptcha', 'anti-captcha', 'capmonster', 'capsolver', '2captcha-v2']
const KINDS = CATALOGUE.kinds.filter((k) => k.name !== 'Raw')

/**
 * A task of the vectors or the catalogue as Node writes it: camelCase names, files
 * (`@images/x.png`) as base64, anywhere in a value too (a `Raw` task's request).
 */
function nodeVectorTask(task) {
  return Object.fromEntries(Object.entries(task).map(([k, v]) => [k === 'type' ? k : camel(k), expandAll(v)]))
}

/** A kind's example of the catalogue as a Node task. */
const example = (kind) => nodeVectorTask(kind.example)

let emu
before(async () => {
  emu = await Emulator.start('--delay-ms', '0')
})
after(() => emu.stop())

/**
 * A TypeScript program, checked by tsc below, that holds for index.d.ts only if each kind of the
 * catalogue (Raw included) is an exported interface of that name in the `Task` union and in
 * `TaskType`, with `type` its name, exactly the catalogue's fields in camelCase, the required
 * ones required and the others optional, and its catalogue example (as the table below solves
 * it) a value of it. Each `@ts-expect-error` line must be an error: tsc fails on an unused one.
 */
function kindTypesProgram() {
  const lines = [
    "import type * as capbridge from 'capbridge'",
    'type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false',
    '// The checks check: a kind that does not exist is not a task.',
    '// @ts-expect-error',
    "export const notAKind: capbridge.Task = { type: 'NoSuchKind' }",
  ]
  const lit = (names) => (names.length ? names.map((n) => `'${n}'`).join(' | ') : 'never')
  CATALOGUE.kinds.forEach((kind, i) => {
    const T = `capbridge.${kind.name}`
    const task = example(kind)
    const fields = kind.fields.map((f) => camel(f.name))
    const required = kind.fields.filter((f) => f.required).map((f) => camel(f.name))
    lines.push(
      `// ${kind.name}`,
      `export const type${i}: Same<${T}['type'], '${kind.name}'> = true`,
      `export const fields${i}: Same<Exclude<keyof ${T}, 'type' | 'pingback' | 'extra'>, ${lit(fields)}> = true`,
      `export const example${i}: ${T} = ${JSON.stringify(task)}`,
      // Only the required fields: the others are optional.
      `export const least${i}: ${T} = ${JSON.stringify(Object.fromEntries(Object.entries(task).filter(([k]) => k === 'type' || required.includes(k))))}`,
    )
    for (const name of required) {
      const without = Object.fromEntries(Object.entries(task).filter(([k]) => k !== name))
      lines.push('// @ts-expect-error', `export const without${i}_${name}: ${T} = ${JSON.stringify(without)}`)
    }
  })
  const names = CATALOGUE.kinds.map((k) => k.name)
  lines.push(
    `export const tasks: capbridge.Task[] = [${names.map((_, i) => `example${i}`).join(', ')}]`,
    `export const taskTypes: Same<capbridge.TaskType, ${lit(names)}> = true`,
    `export const taskUnion: Same<capbridge.Task['type'], ${lit(names)}> = true`,
  )
  return lines.join('\n') + '\n'
}

test('every kind is its TypeScript type in index.d.ts, with the catalogue fields, and its example type-checks (tsc --strict)', () => {
  const out = typeCheck('kinds.ts', kindTypesProgram())
  assert.equal(out, '', `index.d.ts does not match the catalogue:\n${out}`)
})

for (const preset of PRESETS) {
  test(`${preset}: every kind it offers solves, the others are refused unsent`, async () => {
    const client = new Client({ provider: preset, apiKey: freshKey(), baseUrl: `${emu.url}${preset}/`, ...FAST })
    const before = (await emu.counters()).tasks_accepted
    const results = await Promise.allSettled(KINDS.map((k) => client.solve(example(k))))
    let solved = 0
    KINDS.forEach((kind, i) => {
      const r = results[i]
      if (!kind.offered_by.includes(preset)) {
        assert.equal(r.status, 'rejected', `${preset} ${kind.name}`)
        assert.ok(r.reason instanceof CaptchaError, `${preset} ${kind.name}: ${r.reason}`)
        assert.equal(r.reason.kind, 'usage', `${preset} ${kind.name}: ${r.reason.message}`)
        assert.match(r.reason.message, new RegExp(kind.name))
        return
      }
      assert.equal(r.status, 'fulfilled', `${preset} ${kind.name}: ${r.reason}`)
      const s = r.value
      assert.ok(s.answer.length > 0, `${preset} ${kind.name}`)
      assert.equal(s.provider, preset)
      for (const d of kind.data.filter((d) => d.always)) {
        assert.ok(d.name in s.data, `${preset} ${kind.name}: no data.${d.name}: ${JSON.stringify(s.data)}`)
      }
      solved++
    })
    // What was refused sent nothing: one task at the emulator per solved one.
    assert.equal((await emu.counters()).tasks_accepted - before, solved)
  })
}

// The shared vectors of every kind x preset pair (tests/vectors/kinds.json) from Node: each
// pair's task, in Node's camelCase, is submitted to that preset's dialect (a form preset's
// fields, and a json preset's task object, arrive as the vectors say); each pair solved with
// the emulator playing the vector's reply gives the vector's `answer` and `data` (whose keys
// are the same in every language: the vectors' own); what a preset cannot take is refused
// unsent; what validation refuses names the field (in Node's spelling).
const VECTORS_KINDS = JSON.parse(readFileSync(join(VECTORS, 'kinds.json'), 'utf8'))
const FORM = new Set(['bigcaptcha', 'captchaai', '2captcha', 'rucaptcha'])

/** A client of the pair's preset at its dialect of the emulator, with the pair's options. */
function pairClient(c) {
  const opts = { provider: c.provider, apiKey: freshKey(), baseUrl: `${emu.url}${c.provider}/`, ...FAST }
  if (FORM.has(c.provider)) opts.jsonReplies = c.options?.json_replies ?? true
  return new Client(opts)
}

test('kinds.json: every pair reaches its dialect as the vectors say', async () => {
  const failures = []
  // Raw requests are sent as given (pinned by the core's own vector test); the emulator knows
  // only some of their methods.
  for (const c of VECTORS_KINDS.pairs.filter((p) => p.task.type !== 'Raw')) {
    try {
      const id = await pairClient(c).submit(nodeVectorTask(c.task))
      const info = await emu.task(id)
      assert.equal(info.kind, c.task.type)
      if (FORM.has(c.provider)) {
        const want = Object.fromEntries(
          Object.entries(c.request)
            .filter(([k]) => k !== 'body' && k !== 'file')
            .map(([k, v]) => [k, expandAll(v)]),
        )
        const got = Object.fromEntries(Object.entries(info.params).filter(([k]) => k !== 'body' && k !== 'file'))
        assert.deepEqual(got, want)
      } else {
        // The task object arrives as the vectors say, images as their base64, and beside it
        // in the body what the vector adds (2captcha v2's languagePool), nothing else.
        assert.deepEqual(info.raw, expandAll(c.request))
        assert.deepEqual(info.envelope, c.body_extra ?? {}, 'the body beside the task')
      }
    } catch (e) {
      failures.push(`${c.name}: ${e.message}`)
    }
  }
  assert.deepEqual(failures, [])
})

/**
 * A submit reply accepting a task the emulator did not make (it does not know every `Raw`
 * request), in the pair's dialect, from the vectors.
 */
function submitReply(c) {
  const replies = VECTORS_KINDS.submit_replies
  if (FORM.has(c.provider)) return replies[(c.options?.json_replies ?? true) ? 'form_json' : 'form_text']
  return replies[c.provider === 'capsolver' ? 'capsolver' : 'json']
}

// The emulator plays the vector's reply (a `reply` fault at the pair's preset: the next poll,
// or the createTask when the preset answers in the submit reply) to a real solve. A Raw task's
// submit reply is played too (what a Raw task sends is pinned by the core's own vector test).
// `data` is compared as the vectors say: numbers by value, key order aside (deepEqual).
test('kinds.json: every pair solved gives the vector\'s answer and data', async () => {
  const failures = []
  for (const c of VECTORS_KINDS.pairs) {
    const form = FORM.has(c.provider)
    // A json reply compact, its keys in the vector's order (a Raw answer keeps the provider's).
    const reply = c.reply.text ?? JSON.stringify(c.reply.json)
    const faults = []
    if (c.answered_in_submit) faults.push({ endpoint: 'create', body: reply })
    else {
      if (c.task.type === 'Raw') faults.push({ endpoint: form ? 'in' : 'create', body: submitReply(c) })
      faults.push({ endpoint: form ? 'res' : 'result', body: reply })
    }
    try {
      await emu.admin('DELETE', 'faults')
      for (const f of faults) await emu.fault({ fault: 'reply', prefix: c.provider, status: 200, count: 1, ...f })
      const served = (await emu.counters()).faults_injected
      const s = await pairClient(c).solve(nodeVectorTask(c.task))
      // Every reply played was read: the answer is the vector's reply's, not the emulator's own.
      assert.equal((await emu.counters()).faults_injected - served, faults.length, 'replies played')
      assert.equal(s.answer, c.solution.answer, 'answer')
      assert.deepEqual(s.data, c.solution.data, 'data')
    } catch (e) {
      failures.push(`${c.name}: ${e.message}`)
    }
  }
  assert.deepEqual(failures, [])
})

test('kinds.json: what a preset cannot take is refused before anything is sent', async () => {
  const before = (await emu.counters()).tasks_accepted
  for (const c of VECTORS_KINDS.refused) {
    const client = new Client({ provider: c.provider, apiKey: freshKey(), baseUrl: `${emu.url}${c.provider}/`, ...FAST })
    await assert.rejects(client.submit(nodeVectorTask(c.task)), (e) => e instanceof CaptchaError && e.kind === 'usage', c.name)
  }
  assert.equal((await emu.counters()).tasks_accepted, before)
})

test('kinds.json: validation names the field, in camelCase', async () => {
  const client = new Client({ provider: emu.url, apiKey: freshKey(), ...FAST })
  // A task written with camelCase names is Node's own spelling, not a mistake, here.
  const snakeOnly = (c) => !Object.keys(c.task).some((k) => /[A-Z]/.test(k))
  for (const c of VECTORS_KINDS.invalid.filter(snakeOnly)) {
    await assert.rejects(
      client.submit(nodeVectorTask(c.task)),
      (e) => e instanceof CaptchaError && e.kind === 'invalid_task' && e.field === camel(c.field),
      c.name,
    )
  }
})
