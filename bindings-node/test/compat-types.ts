// Compile-time tests of compat/2captcha.d.ts (tsc --noEmit, strict): code written against
// @2captcha/captcha-solver's types type-checks against the shim's; each `@ts-expect-error`
// line must be an error.

import { APIError, Solver, type CaptchaAnswer, type paramsRecaptcha } from 'capbridge/compat/2captcha'

const solver = new Solver('YOUR_API_KEY')
new Solver('k', 10_000, false, { server: 'rucaptcha.com', timeoutMs: 120_000 })

const params: paramsRecaptcha = { pageurl: 'https://example.com/', googlekey: 'k', version: 'v3', min_score: '0.4', action: 'login' }

async function flows(): Promise<string> {
  const res: CaptchaAnswer = await solver.recaptcha(params)
  const token: string = res.data
  const id: string = res.id
  await solver.imageCaptcha({ body: 'iVBOR...', numeric: 4, min_len: 5, max_len: 5 })
  await solver.cloudflareTurnstile({ pageurl: 'https://example.com/', sitekey: 'k', pingback: 'https://example.com/pb' })
  await solver.grid({ body: 'iVBOR...', textinstructions: 'cars', rows: 3, cols: 3 })
  await solver.keyCaptcha({ pageurl: 'https://example.com/', userId: '1', sessionId: 's', webServerSign: 'a', webServerSign2: 'b' })
  await solver.dataDome({ pageurl: 'https://example.com/', captcha_url: 'https://c.example/', userAgent: 'UA', proxy: '1.2.3.4:80', proxytype: 'HTTP' })
  const balance: number = await solver.balance()
  await solver.goodReport(id)
  await solver.badReport(id)
  solver.apikey = 'other'
  const every: number = solver.pollingFrequency + balance
  return token + every
}

function handle(e: unknown): void {
  if (e instanceof APIError) {
    const code: number = e.code
    const err: string = e.err
    const retry: boolean = e.retryable
    const taskId: string | undefined = e.taskId
    console.log(code, err, retry, taskId, e.kind)
  }
}

flows().catch(handle)

// @ts-expect-error googlekey is required
solver.recaptcha({ pageurl: 'https://example.com/' })
// @ts-expect-error the body of an image is required
solver.imageCaptcha({ numeric: 4 })
// @ts-expect-error the API key is required
new Solver()
