// Run by browser.test.mjs in a process of its own, with NODE_DEBUG=capbridge: what solvePage
// logs goes through util.debuglog, which reads NODE_DEBUG once, when a process starts, so the
// test's own process cannot turn it on. Given (as JSON, the one argument) the shared Chromium's
// endpoint, a page's URL, the emulator's URL, an API key and whether to prepare the page, it
// opens the page in a fresh context (Playwright), calls solvePage, then resets the page's
// Turnstile and calls it again (the same widget, solved twice), and prints both calls' results
// as JSON on stdout. What solvePage logged is on stderr.

import { Client } from 'capbridge'
import { prepare, solvePage } from 'capbridge/browser'
import { chromium } from 'playwright-core'

const { endpoint, url, emulator, apiKey, prepared } = JSON.parse(process.argv[2])
const browser = await chromium.connectOverCDP(endpoint)
try {
  const context = await browser.newContext()
  try {
    if (prepared) await prepare(context)
    const page = await context.newPage()
    await page.goto(url)
    await page.waitForFunction('window.pageReady === true')
    const client = new Client({ provider: emulator, apiKey, initialDelayMs: 50, pollIntervalMs: 50 })
    const first = await solvePage(page, client, { timeoutMs: 120_000 })
    await page.evaluate(() => window.turnstile.reset())
    const again = await solvePage(page, client, { timeoutMs: 120_000 })
    const strip = (results) => results.map(({ error, ...r }) => ({ ...r, error: error && error.message }))
    process.stdout.write(JSON.stringify([strip(first), strip(again)]))
  } finally {
    await context.close()
  }
} finally {
  await browser.close()
}
