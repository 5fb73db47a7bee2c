// Every task kind, Promise and *Sync, and the shared task vectors: what the service receives
// (the form fields of the API documentation) for each task written the Node way, and which
// tasks are refused before anything is sent.

import assert from 'node:assert/strict'
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { CaptchaError, Client } from 'capbridge'
import {
  Emulator, FAST, KEY, PAGE, SITEKEY, TASK_VECTORS, UNLIMITED, V2,
  camel, expandImage, fast, freshKey, image, nodeTask,
} from './helpers.mjs'

const KINDS = {
  ImageToText: { type: 'ImageToText', image: image('captcha.png') },
  RecaptchaV2: V2,
  RecaptchaV3: { type: 'RecaptchaV3', websiteUrl: PAGE, websiteKey: SITEKEY, action: 'login', minScore: 0.7 },
  HCaptcha: { type: 'HCaptcha', websiteUrl: 'https://accounts.example.com/', websiteKey: '10000000-ffff-ffff-ffff-000000000001' },
  FunCaptcha: { type: 'FunCaptcha', websiteUrl: PAGE, publicKey: '12AB34CD-56F7-AB8C-9D01-2EF3456789A0', data: { blob: 'x' } },
  Turnstile: { type: 'Turnstile', websiteUrl: PAGE, websiteKey: '0x4AAAAAAAC3DHQFLr1GavRN', pageData: 'pd' },
}

let emu
before(async () => {
  emu = await Emulator.start('--delay-ms', '20', '--no-limits')
})
after(() => emu.stop())

describe('every task kind', () => {
  for (const [kind, task] of Object.entries(KINDS)) {
    test(`${kind}, Promise and Sync`, async () => {
      const client = new Client(fast(emu, { apiKey: freshKey(), limits: UNLIMITED }))
      const s = await client.solve(task)
      assert.equal(typeof s.taskId, 'string')
      assert.ok(s.answer.length > 0)
      assert.equal(s.provider, 'custom')
      assert.equal(typeof s.raw, 'object')
      const info = await emu.task(s.taskId)
      assert.equal(info.kind, kind)
      if (kind === 'HCaptcha' || kind === 'Turnstile') assert.ok(s.userAgent, 'a user agent comes with the token')

      const t = client.solveSync(task)
      assert.equal(typeof t.taskId, 'string')
      assert.notEqual(t.taskId, s.taskId)
      assert.ok(t.answer.length > 0)
    })
  }

  test('camelCase fields reach the service under their wire names', async () => {
    const client = new Client(fast(emu, { apiKey: freshKey(), limits: UNLIMITED }))
    const id = await client.submit({
      ...V2,
      invisible: true,
      dataS: 'Zm9v',
      enterprise: true,
      apiDomain: 'recaptcha.net',
      userAgent: 'Mozilla/5.0',
      cookies: { sessionId: 'a1', Other_Name: 'b' },
      proxy: { type: 'https', host: '1.2.3.4', port: 3128, login: 'lo', password: 'pw' },
      extra: { someNewField: 'as given' },
    })
    const p = (await emu.task(id)).params
    assert.equal(p.invisible, '1')
    assert.equal(p['data-s'], 'Zm9v')
    assert.equal(p.enterprise, '1')
    assert.equal(p.domain, 'recaptcha.net')
    assert.equal(p.userAgent, 'Mozilla/5.0')
    assert.equal(p.cookies, 'Other_Name:b;sessionId:a1', 'cookie names are data: kept as given')
    assert.equal(p.proxy, 'lo:pw@1.2.3.4:3128')
    assert.equal(p.proxytype, 'HTTPS')
    assert.equal(p.someNewField, 'as given', 'extra keys are sent as given')
  })

  test('images: Buffer, Uint8Array, ArrayBuffer, DataView, base64, data: URL, a path', async () => {
    const bytes = image('captcha.jpg')
    const dir = mkdtempSync(join(tmpdir(), 'capbridge-'))
    try {
      const path = join(dir, 'captcha.jpg')
      writeFileSync(path, bytes)
      const u8 = new Uint8Array(bytes)
      const forms = [
        bytes,
        u8,
        u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength),
        new DataView(u8.buffer, u8.byteOffset, u8.byteLength),
        bytes.toString('base64'),
        'data:image/jpeg;base64,' + bytes.toString('base64'),
        path,
      ]
      const client = new Client(fast(emu, { apiKey: freshKey(), limits: UNLIMITED }))
      for (const img of forms) {
        const id = await client.submit({ type: 'ImageToText', image: img, upload: 'multipart' })
        const info = await emu.task(id)
        assert.equal(info.image[1], bytes.length, `image given as ${img.constructor.name}`)
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('proxies in every form reach the one parser; the password never shows', async () => {
    const client = new Client(fast(emu, { apiKey: freshKey(), limits: UNLIMITED }))
    for (const proxy of [
      'https://lo:pw@1.2.3.4:3128',
      { type: 'HTTPS', uri: 'lo:pw@1.2.3.4:3128' },
      { type: 'https', host: '1.2.3.4', port: '3128', login: 'lo', password: 'pw' },
    ]) {
      const id = await client.submit({ ...V2, proxy })
      const p = (await emu.task(id)).params
      assert.deepEqual([p.proxy, p.proxytype], ['lo:pw@1.2.3.4:3128', 'HTTPS'])
    }
    await assert.rejects(client.solve({ ...V2, proxy: 'http://user:hunter2@1.2.3.4' }), (e) => {
      assert.equal(e.kind, 'invalid_task')
      assert.equal(e.field, 'proxy')
      assert.ok(!e.message.includes('hunter2') && !e.stack.includes('hunter2'))
      return true
    })
  })
})

describe('the shared task vectors', () => {
  for (const c of TASK_VECTORS.encode) {
    test(`encode: ${c.name}`, async () => {
      const o = c.options || {}
      const client = new Client({
        provider: emu.url,
        apiKey: TASK_VECTORS.key,
        limits: UNLIMITED,
        jsonReplies: o.json ?? false,
        headerAcao: o.header_acao ?? false,
        debugDump: o.debug_dump ?? false,
        softId: o.soft_id ?? undefined,
        ...FAST,
      })
      const id = await client.submit(nodeTask(c.task))
      const info = await emu.task(id)
      const want = Object.fromEntries(Object.entries(c.fields).filter(([k]) => k !== 'key' && k !== 'body'))
      assert.deepEqual(info.params, want)
      const src = c.file?.image ?? c.fields.body
      if (src) assert.equal(info.image[1], Buffer.from(expandImage(src), 'base64').length)
    })
  }

  for (const c of TASK_VECTORS.invalid) {
    test(`invalid: ${c.name}`, async () => {
      const before = (await emu.counters()).requests
      const client = new Client(fast(emu, { apiKey: freshKey() }))
      const task = nodeTask(c.task)
      const check = (e) => {
        assert.ok(e instanceof CaptchaError, String(e))
        assert.equal(e.kind, 'invalid_task', e.message)
        assert.equal(e.field, camel(c.field), e.message)
        assert.ok(e.message.includes(camel(c.field)), e.message)
        assert.ok(!e.message.includes('secret'), e.message)
        return true
      }
      await assert.rejects(client.solve(task), check)
      assert.throws(() => client.solveSync(task), check)
      await assert.rejects(client.submit(task), check)
      assert.equal((await emu.counters()).requests, before, 'nothing was sent')
    })
  }
})

test('tasks that are not objects, and misspelled fields, are named', async () => {
  const client = new Client(fast(emu, { apiKey: freshKey() }))
  for (const [task, field] of [
    [undefined, 'task'],
    ['RecaptchaV2', 'task'],
    [[V2], 'task'],
    [{ ...V2, websiteKye: 'x' }, 'websiteKye'],
    [{ ...V2, invisible: 'yes' }, 'invisible'],
    [{ ...V2, minScore: 0.5 }, 'minScore'],
    [{ ...V2, userAgent: () => 'x' }, 'userAgent'],
    [{ ...V2, extra: { n: NaN } }, 'extra.n'],
  ]) {
    await assert.rejects(client.solve(task), (e) => {
      assert.equal(e.kind, 'invalid_task', e.message)
      assert.equal(e.field, field, e.message)
      return true
    })
  }
  // A misspelled field gets the one it meant, in Node's spelling.
  for (const [task, field, meant] of [
    [{ ...V2, websiteKye: 'x' }, 'websiteKye', 'websiteKey'],
    [{ type: 'RecaptchaV2', websiteUrl: PAGE, webSiteKey: SITEKEY }, 'webSiteKey', 'websiteKey'],
    [{ ...V2, pingBack: 'https://example.com/done' }, 'pingBack', 'pingback'],
  ]) {
    assert.throws(() => client.solveSync(task), (e) => {
      assert.equal(e.field, field, e.message)
      assert.ok(e.message.endsWith(`is not a field of RecaptchaV2; did you mean ${meant}?`), e.message)
      return true
    })
  }
  const cyclic = { ...V2, extra: {} }
  cyclic.extra.self = cyclic.extra
  await assert.rejects(client.solve(cyclic), (e) => e.kind === 'invalid_task' && e.field.startsWith('extra.self'))
  assert.equal(KEY.length, 32)
})
