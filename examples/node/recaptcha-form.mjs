// capbridge in a browser-automation flow with Playwright: open a login page, let capbridge
// find its reCAPTCHA, solve it and put the token in the page, submit the form, and see the
// site check the token with the captcha vendor.
//
//   npm install capbridge playwright-core && npx playwright install chromium
//   CAPBRIDGE_PROVIDER=2captcha CAPBRIDGE_API_KEY=<your key> node recaptcha-form.mjs
//
// CAPBRIDGE_PROVIDER is a preset name or a base URL. Against the local emulator
// (`capbridge-emulator --port 0` prints its base URL; any 32 characters make a key), the page
// loads the emulator's stand-in widget and the site verifies tokens at the emulator, so nothing
// leaves the machine. Against a real service, the page loads Google's widget with Google's
// public test key, which works on any domain. CAPBRIDGE_CHROMIUM=/usr/bin/chromium uses a
// Chromium of the system instead of Playwright's own. Puppeteer pages work the same way
// (`solvePage(page, client)` with a Puppeteer `Page`).
// @ts-check

import { createServer } from 'node:http'
import { CaptchaError, Client } from 'capbridge'
import { prepare, solvePage } from 'capbridge/browser'
import { chromium } from 'playwright-core'

const PROVIDER = process.env.CAPBRIDGE_PROVIDER ?? ''
const KEY = process.env.CAPBRIDGE_API_KEY ?? ''
const CHROMIUM = process.env.CAPBRIDGE_CHROMIUM
// The emulator answers within a second; real services get their documented waits.
const LOCAL = PROVIDER.startsWith('http://127.0.0.1')
const WAITS = LOCAL ? { initialDelayMs: 200, pollIntervalMs: 200 } : {}
// Google's test keys: every token passes its siteverify, on any domain.
const SITEKEY = '6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI'
const SECRET = '6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe'
// The emulator serves stand-ins of the vendors' widgets and their siteverify.
const VENDOR = LOCAL ? PROVIDER.replace(/\/$/, '') : 'https://www.google.com'

// ---- the site: a login form protected by reCAPTCHA v2 -----------------------------------------

const LOGIN_PAGE = `<!doctype html>
<title>Sign in</title>
<script src="${VENDOR}/recaptcha/api.js" async defer></script>
<form id="login" method="post" action="/login">
  <input name="user" value="ada">
  <div class="g-recaptcha" data-sitekey="${SITEKEY}" data-callback="onCaptcha"></div>
  <p id="status"></p>
  <button type="submit">Sign in</button>
</form>
<script>function onCaptcha() { document.getElementById('status').textContent = 'captcha solved' }</script>`

/** @returns {Promise<import('node:http').Server>} */
function startSite() {
  const server = createServer(async (req, res) => {
    if (req.method === 'GET' && req.url === '/login') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(LOGIN_PAGE)
      return
    }
    if (req.method === 'POST' && req.url === '/login') {
      let body = ''
      for await (const chunk of req) body += chunk
      const form = new URLSearchParams(body)
      // What every site's backend does with the token: ask the vendor.
      const check = await fetch(`${VENDOR}/recaptcha/api/siteverify`, {
        method: 'POST',
        body: new URLSearchParams({ secret: SECRET, response: form.get('g-recaptcha-response') ?? '', sitekey: SITEKEY }),
        signal: AbortSignal.timeout(30_000),
      })
      const verdict = /** @type {{ success?: boolean, 'error-codes'?: string[] }} */ (await check.json())
      if (verdict.success) res.writeHead(200, { 'content-type': 'text/html' }).end(`<p id="result">Welcome, ${form.get('user')}</p>`)
      else res.writeHead(403, { 'content-type': 'text/html' }).end(`<p id="result">Captcha refused: ${verdict['error-codes']}</p>`)
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
  const flags = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic']
  const browser = await chromium.launch(CHROMIUM ? { executablePath: CHROMIUM, args: flags } : {})
  try {
    const page = await browser.newPage()
    await prepare(page) // before navigating: sees the widget's render() and execute()
    await page.goto(`${origin}/login`)
    await page.waitForSelector('iframe[title=reCAPTCHA]')

    const found = await solvePage(page, client, {
      timeoutMs: 180_000, // give up after 3 minutes, whatever happens
      onEvent: (e) => console.log('  ', e.text),
    })
    for (const captcha of found) {
      if (captcha.error) throw captcha.error
      console.log(`${captcha.kind} solved by ${captcha.provider} (task ${captcha.taskId}); written: ${captcha.filled}, callback called: ${captcha.callbackCalled}`)
    }

    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')])
    const said = await page.innerText('#result')
    console.log(`the site says: ${said}`)
    if (!said.startsWith('Welcome')) {
      // The site refused the token: tell the service, which may refund it.
      for (const captcha of found) if (captcha.taskId) await client.report(captcha.taskId, false)
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
    await browser.close()
    site.close()
  }
}

await main()
