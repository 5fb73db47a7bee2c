// Every kind of captcha capbridge knows, as plain typed objects, solved at once, and the
// structured answers printed (GeeTest's values, click points, grid cells, cookies, ...).
//
//   CAPBRIDGE_PROVIDER=2captcha CAPBRIDGE_API_KEY=<your key> node every-kind.mjs
//
// CAPBRIDGE_PROVIDER is a preset name or a base URL (the local emulator's, for instance). A
// kind the provider does not offer is refused before anything is sent (`kind: 'usage'`).
// Type-checked by tests/run-node (checkJs, strict) against the installed package's types.

import { CaptchaError, Client } from 'capbridge'

const provider = process.env.CAPBRIDGE_PROVIDER ?? ''
const apiKey = process.env.CAPBRIDGE_API_KEY ?? ''
if (!provider || !apiKey) {
  console.error('set CAPBRIDGE_PROVIDER and CAPBRIDGE_API_KEY')
  process.exit(2)
}
const local = provider.startsWith('http://127.0.0.1')
const client = new Client({
  provider,
  apiKey,
  ...(local ? { initialDelayMs: 500, pollIntervalMs: 500 } : {}),
})

const page = 'https://example.com/login'
const proxy = 'http://user:pass@1.2.3.4:3128'
const userAgent =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
// A picture's first bytes (a 120x40 PNG header) and an mp3's (an ID3 tag and a frame header),
// enough for the local emulator; give real files to a real service.
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  Buffer.from('IHDR'),
  Buffer.from([0, 0, 0, 120, 0, 0, 0, 40]),
  Buffer.alloc(200),
])
const mp3 = Buffer.concat([Buffer.from('ID3\x03\x00\x00\x00\x00\x00\x00', 'latin1'), Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(413)])

/** @type {import('capbridge').Task[]} */
const tasks = [
  { type: 'ImageToText', image: png, numeric: 1, minLength: 4 },
  { type: 'RecaptchaV2', websiteUrl: page, websiteKey: '6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-', invisible: true },
  { type: 'RecaptchaV3', websiteUrl: page, websiteKey: '6LfB5_IbAAAAAMCtsjEHEHKqcB9iQocwwxTiihJu', action: 'login', minScore: 0.7 },
  { type: 'HCaptcha', websiteUrl: page, websiteKey: '10000000-ffff-ffff-ffff-000000000001' },
  { type: 'FunCaptcha', websiteUrl: page, publicKey: '69A21A01-CC7B-B9C6-0F9A-E7FA06677FFC' },
  { type: 'Turnstile', websiteUrl: page, websiteKey: '0x4AAAAAAAC3DHQFLr1GavRN', action: 'login', cdata: 'session-42' },
  { type: 'CloudflareChallenge', websiteUrl: page, proxy, userAgent },
  { type: 'GeeTest', websiteUrl: page, gt: '81388ea1fc187e0c335c0a8907ff2625', challenge: '2e2f0f65240058b683cb6ea21c303eea' },
  { type: 'GeeTestV4', websiteUrl: page, captchaId: 'e392e1d7fd421dc63325744d5a2b9c73', initParameters: { riskType: 'slide' } },
  {
    type: 'AmazonWaf',
    websiteUrl: page,
    websiteKey: 'AQIDAHjcYu/GjX+QlghicBgQ/7bFaQZ+m5FKCMDnO+vTbNg96AHMDLodoefdvyOn',
    iv: 'CgAHbCe2GgAAAAAj',
    context: '9BUgmlm48F92WUoqv97a49ZuEJJ50TCk9MVr3C7WMtQ0X6flVbufM4n8mjFLmbLV',
  },
  { type: 'DataDome', websiteUrl: page, captchaUrl: 'https://geo.captcha-delivery.com/captcha/?initialCid=AHrlqAAAAAMA&cid=6QAEcL8Bqwd', userAgent, proxy },
  { type: 'MtCaptcha', websiteUrl: page, websiteKey: 'MTPublic-DemoKey9M' },
  { type: 'FriendlyCaptcha', websiteUrl: page, websiteKey: 'FCMST5VUMCBOCGQ9' },
  { type: 'Coordinates', image: png, instructions: 'click the birds' },
  { type: 'Grid', image: png, rows: 3, columns: 3, instructions: 'select all squares with buses' },
  { type: 'TextCaptcha', text: 'If tomorrow is Saturday, what day is today?', language: 'en' },
  { type: 'Audio', audio: mp3, language: 'en' },
  { type: 'Rotate', image: png, angleStep: 40 },
  { type: 'Lemin', websiteUrl: page, captchaId: 'CROPPED_3dfdd5c_d1872b526b794d83ba3b365eb15a200b', divId: 'lemin-cropped-captcha' },
  // What the catalogue does not name: the provider's own fields, sent as given (not renamed).
  { type: 'Raw', request: { method: 'userrecaptcha', googlekey: '6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-', pageurl: page } },
]

const results = await Promise.allSettled(tasks.map((t) => client.solve(t)))
let failed = 0
results.forEach((r, i) => {
  const kind = tasks[i].type.padStart(20)
  if (r.status === 'fulfilled') {
    console.log(`${kind}: ${JSON.stringify(r.value.answer.slice(0, 40))} data=${JSON.stringify(r.value.data)}`)
  } else if (r.reason instanceof CaptchaError && r.reason.kind === 'usage') {
    console.log(`${kind}: not offered here: ${r.reason.message}`)
  } else {
    console.log(`${kind}: failed: ${r.reason}`)
    failed++
  }
})
process.exitCode = failed ? 1 : 0
