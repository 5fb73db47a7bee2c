// capbridge in a browser-automation flow: open a login page, find its reCAPTCHA, have the
// service solve it, put the token in the form and submit it.
//
//   CAPBRIDGE_PROVIDER=2captcha CAPBRIDGE_API_KEY=<your key> node recaptcha-form.mjs
//
// CAPBRIDGE_PROVIDER is a preset name or a base URL (the local emulator's, for instance:
// `cargo run -p capbridge-emulator` prints it). No browser is needed to run this file: a tiny
// HTTP server below plays the site, and `fetch` plays the browser. Each browser step shows
// the Playwright call it stands for; with Playwright installed, swap them in one for one.
// @ts-check

import { createServer } from 'node:http'
import { CaptchaError, Client } from 'capbridge'

const PROVIDER = process.env.CAPBRIDGE_PROVIDER ?? ''
const KEY = process.env.CAPBRIDGE_API_KEY ?? ''
// The emulator answers within a second; real services get their documented waits.
const LOCAL = PROVIDER.startsWith('http://127.0.0.1')
const WAITS = LOCAL ? { initialDelayMs: 300, pollIntervalMs: 300 } : {}
const SITEKEY = '6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI'

// ---- the site: a login form protected by reCAPTCHA v2 -----------------------------------------

const LOGIN_PAGE = `<!doctype html>
<form id="login" method="post" action="/login">
  <input name="user" value="ada">
  <div class="g-recaptcha" data-sitekey="${SITEKEY}"></div>
  <textarea id="g-recaptcha-response" name="g-recaptcha-response" style="display:none"></textarea>
  <button type="submit">Sign in</button>
</form>`

/** @returns {Promise<import('node:http').Server>} */
function startSite() {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/login') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(LOGIN_PAGE)
      return
    }
    if (req.method === 'POST' && req.url === '/login') {
      let body = ''
      req.on('data', (chunk) => (body += chunk))
      req.on('end', () => {
        const form = new URLSearchParams(body)
        const token = form.get('g-recaptcha-response') ?? ''
        // A real site sends the token to Google's siteverify; this one checks it arrived.
        if (token.length >= 20) {
          res.writeHead(200).end(`Welcome, ${form.get('user')} (token of ${token.length} characters accepted)`)
        } else {
          res.writeHead(403).end('Please solve the captcha')
        }
      })
      return
    }
    res.writeHead(404).end()
  })
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)))
}

// ---- the scraper ------------------------------------------------------------------------------

async function main() {
  if (!PROVIDER || !KEY) {
    console.error('set CAPBRIDGE_PROVIDER and CAPBRIDGE_API_KEY (see the top of this file)')
    process.exit(2)
  }
  const site = await startSite()
  const address = site.address()
  const origin = typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : ''
  const client = new Client({ provider: PROVIDER, apiKey: KEY, ...WAITS })
  try {
    // Playwright: await page.goto(`${origin}/login`)
    const html = await (await fetch(`${origin}/login`)).text()

    // Playwright: const sitekey = await page.getAttribute('.g-recaptcha', 'data-sitekey')
    const sitekey = /data-sitekey="([^"]+)"/.exec(html)?.[1]
    if (!sitekey) throw new Error('no reCAPTCHA on the page')

    // The page URL is the one the browser shows (Playwright: page.url()).
    const solution = await client.solve(
      { type: 'RecaptchaV2', websiteUrl: `${origin}/login`, websiteKey: sitekey },
      {
        signal: AbortSignal.timeout(180_000), // give up after 3 minutes, whatever happens
        onEvent: (e) => console.log('  ', e.text),
      },
    )
    console.log(`token for task ${solution.taskId}: ${solution.answer.slice(0, 40)}...`)

    // Playwright:
    //   await page.$eval('#g-recaptcha-response', (el, t) => { el.value = t }, solution.answer)
    //   await page.click('button[type=submit]')
    const reply = await fetch(`${origin}/login`, {
      method: 'POST',
      body: new URLSearchParams({ user: 'ada', 'g-recaptcha-response': solution.answer }),
    })
    const text = await reply.text()
    console.log(`the site says: ${reply.status} ${text}`)
    if (!reply.ok) {
      // The site refused the token: tell the service, which may refund it.
      await client.report(solution.taskId, false)
      process.exitCode = 1
    }
  } catch (e) {
    if (e instanceof CaptchaError) {
      // Branch on the kind; retry only what may succeed later.
      console.error(`captcha failed: ${e.kind}${e.code ? ` [${e.code}]` : ''}: ${e.message}`)
      if (e.retryable) console.error(`worth retrying${e.retryAfter ? ` after ${e.retryAfter} ms` : ''}`)
      process.exitCode = 1
    } else {
      throw e
    }
  } finally {
    site.close()
  }
}

await main()
