// Compile-time tests of browser/index.d.ts (tsc --noEmit, strict) against the real types of
// Playwright and Puppeteer: both libraries' pages and contexts fit; each `@ts-expect-error`
// line must be an error.

import { Client } from 'capbridge'
import { prepare, solvePage, type PageCaptcha, type PageCaptchaKind } from 'capbridge/browser'
import type { BrowserContext, Page as PlaywrightPage } from 'playwright-core'
import type { Page as PuppeteerPage } from 'puppeteer-core'

declare const pw: PlaywrightPage
declare const ctx: BrowserContext
declare const pp: PuppeteerPage
const client = new Client({ provider: '2captcha', apiKey: 'k' })

async function flows(): Promise<void> {
  await prepare(pw, { executeHoldMs: 5_000 })
  await prepare(ctx)
  await prepare(pp)
  const a: PageCaptcha[] = await solvePage(pw, client, { timeoutMs: 60_000, kinds: ['RecaptchaV2', 'Turnstile'], visibleOnly: true, maxSolves: 3 })
  const b = await solvePage(pp, client, { action: 'login', signal: AbortSignal.timeout(1000), onEvent: (e) => e.step })
  for (const r of [...a, ...b]) {
    // Text: a record refused as malformed keeps the kind the page reported.
    const kind: string = r.kind
    // @ts-expect-error: not narrowed to the kinds solvePage solves
    const solved: PageCaptchaKind = r.kind
    const key: string = r.websiteKey
    if (r.error) console.log(r.error.kind, r.error.taskId, kind, solved, key, r.frameUrl, r.callbackCalled, r.filled, r.provider)
  }
  // @ts-expect-error: a kind solvePage does not find
  await solvePage(pw, client, { kinds: ['FunCaptcha'] })
  // @ts-expect-error: a browser context has no frames to search
  await solvePage(ctx, client)
  // @ts-expect-error: milliseconds, as everywhere in the Node binding
  await solvePage(pp, client, { timeout: 5 })
  // @ts-expect-error: a number of captchas
  await solvePage(pp, client, { maxSolves: '5' })
  // @ts-expect-error: true or false
  await solvePage(pw, client, { visibleOnly: 'yes' })
}
void flows
