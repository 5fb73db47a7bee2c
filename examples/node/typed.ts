// capbridge from TypeScript: tasks are a discriminated union (the editor completes each
// kind's fields once `type` is written), errors narrow on `kind`.
//
// Type-checked by tests/run-node (`tsc --noEmit`, strict) against the installed package.

import { CaptchaError, Client, type Solution, type SolveEvent, type Task } from 'capbridge'

const client = new Client({
  provider: process.env.CAPBRIDGE_PROVIDER ?? '2captcha',
  apiKey: process.env.CAPBRIDGE_API_KEY ?? '',
  timeoutMs: 180_000,
  onEvent: (e: SolveEvent) => {
    if (e.step === 'retrying') console.warn(`retrying ${e.stage} in ${e.delayMs} ms: ${e.message}`)
  },
})

const tasks: Task[] = [
  { type: 'RecaptchaV2', websiteUrl: 'https://example.com/login', websiteKey: '6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-', invisible: true },
  { type: 'RecaptchaV3', websiteUrl: 'https://example.com/', websiteKey: '6LfZil0UAAAAAAdm1Dpzsw9q0F11-bmervx9g5fE', action: 'login', minScore: 0.7 },
  { type: 'HCaptcha', websiteUrl: 'https://accounts.example.com/', websiteKey: '10000000-ffff-ffff-ffff-000000000001', proxy: 'http://user:pass@1.2.3.4:3128' },
  { type: 'FunCaptcha', websiteUrl: 'https://www.example.com/signup', publicKey: '12AB34CD-56F7-AB8C-9D01-2EF3456789A0', data: { blob: 'x' } },
  { type: 'Turnstile', websiteUrl: 'https://site.example/', websiteKey: '0x4AAAAAAAC3DHQFLr1GavRN', pageData: '3gAFo2l...' },
  // `image`: a path (as here), a Buffer or Uint8Array of the file's bytes, base64 or a data: URL.
  { type: 'ImageToText', image: './captcha.png', numeric: 'numbers_only', minLength: 4 },
]

/** Solves with one retry for what may succeed later; `null` for what will not. */
async function solveOnce(task: Task, signal?: AbortSignal): Promise<Solution | null> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.solve(task, { signal, timeoutMs: 120_000 })
    } catch (e) {
      if (!(e instanceof CaptchaError)) throw e
      switch (e.kind) {
        case 'timeout':
          // The service may still answer: collect it by id.
          return e.taskId ? client.wait(e.taskId, { timeoutMs: 60_000 }) : null
        case 'invalid_task':
          console.error(`fix the task: ${e.field}: ${e.message}`)
          return null
        case 'auth':
        case 'balance':
          throw e // nothing to retry: the account needs attention
        default:
          if (!e.retryable || attempt > 1) return null
          await new Promise((ok) => setTimeout(ok, e.retryAfter ?? 1000))
      }
    }
  }
}

export async function main(): Promise<void> {
  const balance: string = await client.balance() // exact decimal text
  console.log(`balance ${balance}`)
  const controller = new AbortController()
  const solutions = await Promise.all(tasks.map((t) => solveOnce(t, controller.signal)))
  for (const s of solutions) {
    if (s) console.log(s.taskId, s.answer.slice(0, 30), s.userAgent ?? '', s.cost ?? '')
  }
  const id: string = client.submitSync(tasks[0])
  const ready: Solution | null = client.resultSync(id)
  if (ready) client.reportSync(ready.taskId, true)
}
