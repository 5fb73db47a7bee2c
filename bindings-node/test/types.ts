// Compile-time tests of index.d.ts (tsc --noEmit, strict): what must type-check does, and
// each `@ts-expect-error` line must be an error (tsc fails on an unused one).

import {
  CaptchaError, Client, ERROR_KINDS,
  type ClientOptions, type ErrorKind, type Solution, type SolveEvent, type Task,
} from 'capbridge'

const client = new Client({ provider: '2captcha', apiKey: 'k', timeoutMs: 60_000, limits: { submitIntervalMs: 0 } })
new Client({ providers: [{ provider: 'capsolver', apiKey: 'k' }], failover: { onUnsolvable: false } })
new Client({ provider: 'http://127.0.0.1:8080/', protocol: 'json', apiKey: 'k', softId: 7, onEvent: (e) => e.step })

const v2: Task = { type: 'RecaptchaV2', websiteUrl: 'https://a.b/', websiteKey: 'k', cookies: [['a', '1']], proxy: { host: 'h', port: 1 } }
const img: Task = { type: 'ImageToText', image: Buffer.from('x'), numeric: 4, upload: 'multipart' }

// The union narrows on `type`.
function siteKeyOf(t: Task): string | undefined {
  switch (t.type) {
    case 'FunCaptcha':
      return t.publicKey
    case 'GeeTest':
      return t.gt
    case 'GeeTestV4':
      return t.captchaId
    case 'RecaptchaV2':
    case 'RecaptchaV3':
    case 'HCaptcha':
    case 'Turnstile':
    case 'AmazonWaf':
    case 'MtCaptcha':
    case 'FriendlyCaptcha':
      return t.websiteKey
    default:
      return undefined
  }
}
siteKeyOf(v2)
siteKeyOf(img)

// @ts-expect-error websiteKey is required
const missing: Task = { type: 'RecaptchaV2', websiteUrl: 'https://a.b/' }
// @ts-expect-error a misspelled field
const typo: Task = { type: 'RecaptchaV2', websiteUrl: 'https://a.b/', websiteKey: 'k', websiteKye: 'k' }
// @ts-expect-error minScore is a field of RecaptchaV3, not V2
const wrongKind: Task = { type: 'RecaptchaV2', websiteUrl: 'https://a.b/', websiteKey: 'k', minScore: 0.3 }
// @ts-expect-error not a task type
const unknownType: Task = { type: 'GeeTestV5', websiteUrl: 'https://a.b/' }
// @ts-expect-error a required field of a new kind (GeeTest's challenge) is missing
const noChallenge: Task = { type: 'GeeTest', websiteUrl: 'https://a.b/', gt: 'g' }
// @ts-expect-error Audio's language is one of six
const badLanguage: Task = { type: 'Audio', audio: 'x.mp3', language: 'xx' }
// @ts-expect-error the image is bytes or text
const badImage: Task = { type: 'ImageToText', image: 5 }
// @ts-expect-error an account (provider and apiKey) or a providers list is required
new Client({ timeoutMs: 5 })
// @ts-expect-error timeouts are milliseconds, named ...Ms
new Client({ provider: '2captcha', apiKey: 'k', timeout: 5 })
// @ts-expect-error a *Sync call cannot be cancelled by a signal
client.solveSync(v2, { signal: AbortSignal.abort() })
void [missing, typo, wrongKind, unknownType, noChallenge, badLanguage, badImage]

async function calls(): Promise<void> {
  const s: Solution = await client.solve(v2, { signal: AbortSignal.timeout(1000), timeoutMs: 500, onEvent: (e: SolveEvent) => e.text })
  const cost: string | undefined = s.cost
  const id: string = await client.submit(img)
  const maybe: Solution | null = await client.result(id)
  const waited: Solution = await client.wait(id, { pollIntervalMs: 100 })
  const balance: string = await client.balance()
  const none: void = await client.report(s.taskId, true)
  const sync: Solution = client.solveSync(v2, { onEvent: (e) => e.step })
  void [cost, maybe, waited, balance, none, sync, client.balanceSync(), client.submitSync(v2), client.resultSync(id), client.waitSync(id)]
  client.reportSync(id, false)
  try {
    await client.solve(v2)
  } catch (e) {
    if (e instanceof CaptchaError) {
      const kind: ErrorKind = e.kind
      const after: number | undefined = e.retryAfter
      const taskId: string | undefined = e.taskId
      void [kind, after, taskId, e.code, e.field, e.option, e.retryable]
      // @ts-expect-error not an error kind
      if (e.kind === 'rate_limit') return
    }
  }
}
void calls

const kinds: readonly ErrorKind[] = ERROR_KINDS
// @ts-expect-error ERROR_KINDS is read-only
ERROR_KINDS.push('auth')
const opts: ClientOptions = { provider: 'capsolver', apiKey: 'k', retry: { baseDelayMs: 10 } }
void [kinds, opts]
