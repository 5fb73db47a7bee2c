// The json protocol presets (createTask / getTaskResult), each pointed at its dialect in the
// emulator with `baseUrl`, and a custom json provider at the emulator's tolerant root.

import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { Client } from 'capbridge'
import { Emulator, FAST, PAGE, SITEKEY, V2, freshKey, image } from './helpers.mjs'

const PRESETS = ['anti-captcha', 'capmonster', 'capsolver', 'nextcaptcha', '2captcha-v2']

let emu
before(async () => {
  emu = await Emulator.start('--delay-ms', '20')
})
after(() => emu.stop())

for (const preset of PRESETS) {
  test(`${preset}: solve, balance, Sync`, async () => {
    const client = new Client({ provider: preset, apiKey: freshKey(), baseUrl: `${emu.url}${preset}/`, ...FAST })
    const task = { type: 'RecaptchaV2', websiteUrl: PAGE, websiteKey: SITEKEY }
    const s = await client.solve(task)
    assert.equal(typeof s.taskId, 'string')
    assert.ok(s.answer.length > 20)
    assert.equal(s.provider, preset)
    const info = await emu.task(s.taskId)
    assert.equal(info.profile, preset)
    if (preset === 'capsolver') assert.match(s.taskId, /^[0-9a-f-]{36}$/, 'UUID ids stay strings')
    else assert.match(s.taskId, /^\d+$/)
    const balance = await client.balance()
    assert.equal(typeof balance, 'string')
    assert.match(balance, /^\d+(\.\d+)?$/)
    assert.equal(client.balanceSync(), balance)
  })
}

test('capsolver: an image answered in the createTask reply, a report, a cost', async () => {
  const client = new Client({ provider: 'capsolver', apiKey: freshKey(), baseUrl: `${emu.url}capsolver/`, ...FAST })
  const s = await client.solve({ type: 'ImageToText', image: image('captcha.png') })
  assert.ok(s.answer.length > 0)
  const t = await client.solve(V2)
  await client.report(t.taskId, false)
  if (s.cost !== undefined) assert.equal(typeof s.cost, 'string')
})

test('a custom json provider at the tolerant root', async () => {
  const client = new Client({ provider: emu.url, protocol: 'json', apiKey: freshKey(), ...FAST })
  const s = await client.solve({ type: 'HCaptcha', websiteUrl: PAGE, websiteKey: '10000000-ffff-ffff-ffff-000000000001' })
  assert.ok(s.answer.length > 0)
  assert.ok(s.userAgent)
  assert.equal((await emu.task(s.taskId)).profile, 'generic')
})

test('failover: providers in order', async () => {
  await emu.rule({ when: { profile: 'capsolver' }, submit_error: 'ERROR_ZERO_BALANCE', times: 1 })
  const key = freshKey()
  const client = new Client({
    providers: [
      { provider: 'capsolver', apiKey: key, baseUrl: `${emu.url}capsolver/` },
      { provider: 'anti-captcha', apiKey: key, baseUrl: `${emu.url}anti-captcha/` },
    ],
    ...FAST,
  })
  const steps = []
  const s = await client.solve(V2, { onEvent: (e) => steps.push(e) })
  assert.equal(s.provider, 'anti-captcha')
  const moved = steps.find((e) => e.step === 'switched_provider')
  assert.ok(moved, steps.map((e) => e.step).join(','))
  assert.equal(moved.to, 'anti-captcha')
})
