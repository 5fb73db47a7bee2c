// capbridge from Node (CommonJS): the balance, one blocking solve printing each step, then
// three kinds at once with Promises.
//
//   CAPBRIDGE_PROVIDER=2captcha CAPBRIDGE_API_KEY=<your key> node quickstart.cjs
//
// CAPBRIDGE_PROVIDER is a preset name or a base URL (the local emulator's, for instance:
// `cargo run -p capbridge-emulator` prints it).
// @ts-check
'use strict'

const { CaptchaError, Client } = require('capbridge')

const PROVIDER = process.env.CAPBRIDGE_PROVIDER ?? ''
const KEY = process.env.CAPBRIDGE_API_KEY ?? ''
// The emulator answers within a second; real services get their documented waits.
const WAITS = PROVIDER.startsWith('http://127.0.0.1') ? { initialDelayMs: 500, pollIntervalMs: 500 } : {}

/** @type {import('capbridge').Task[]} */
const TASKS = [
  { type: 'RecaptchaV2', websiteUrl: 'https://www.google.com/recaptcha/api2/demo', websiteKey: '6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI' },
  { type: 'HCaptcha', websiteUrl: 'https://accounts.hcaptcha.com/demo', websiteKey: '10000000-ffff-ffff-ffff-000000000001' },
  { type: 'Turnstile', websiteUrl: 'https://example.com/', websiteKey: '1x00000000000000000000AA' },
]

async function main() {
  if (!PROVIDER || !KEY) {
    console.error('set CAPBRIDGE_PROVIDER and CAPBRIDGE_API_KEY (see the top of this file)')
    process.exit(2)
  }
  const client = new Client({ provider: PROVIDER, apiKey: KEY, ...WAITS })
  console.log(`balance: ${client.balanceSync()}`) // exact decimal text

  const s = client.solveSync(TASKS[0], { onEvent: (e) => console.log('  ', e.text) })
  console.log(`blocking: ${s.answer.slice(0, 50)}... (task ${s.taskId})`)

  const results = await Promise.allSettled(TASKS.map((t) => client.solve(t)))
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') {
      console.log(`promise: ${TASKS[i].type}: ${r.value.answer.slice(0, 40)}... user agent: ${r.value.userAgent}`)
    } else if (r.reason instanceof CaptchaError) {
      console.log(`promise: ${TASKS[i].type} failed: ${r.reason.kind}: ${r.reason.message}`)
    } else {
      throw r.reason
    }
  })
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
