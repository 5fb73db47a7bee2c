// Fixtures of the Node browser suite: Debian's Chromium (headless, a fresh profile, its
// DevTools endpoint on a free port, shared by Playwright and Puppeteer), and the site: the page
// matrix of tests/browser/pages, whose forms post back here and are verified through the
// emulator's siteverify.

import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { REPO } from '../test/helpers.mjs'

export const PAGES = join(REPO, 'tests', 'browser', 'pages')
export const MANIFEST = Object.fromEntries(
  Object.entries(JSON.parse(readFileSync(join(PAGES, 'pages.json'), 'utf8'))).filter(([k]) => !k.startsWith('_')),
)

export const CHROMIUM = process.env.CAPBRIDGE_CHROMIUM || '/usr/bin/chromium'
// Without the background-networking flags Chromium keeps calling Google, which a closed
// network refuses (and which no test wants).
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Tests reach no host but this machine: a page's other hosts fail at once.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
]

/** One Chromium for the whole file; Playwright and Puppeteer connect to its endpoint. */
export class Chromium {
  static async start() {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (tests/run-browser installs Debian's chromium)`)
    const dir = mkdtempSync(join(tmpdir(), 'capbridge-chromium-'))
    const proc = spawn(CHROMIUM, [...CHROMIUM_FLAGS, `--user-data-dir=${join(dir, 'profile')}`, '--remote-debugging-port=0', 'about:blank'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let log = ''
    proc.stderr.on('data', (d) => {
      log = (log + d).slice(-4000)
    })
    // Chromium writes the port it chose into the profile once it listens.
    const active = join(dir, 'profile', 'DevToolsActivePort')
    for (let i = 0; i < 600 && proc.exitCode === null; i++) {
      if (existsSync(active) && readFileSync(active, 'utf8').split('\n').length >= 2) break
      await sleep(100)
    }
    const lines = existsSync(active) ? readFileSync(active, 'utf8').split('\n') : []
    const chromium = new Chromium(proc, dir, lines.length >= 2 ? `http://127.0.0.1:${lines[0]}` : null)
    if (!chromium.endpoint) {
      await chromium.stop()
      throw new Error(`Chromium did not start: ${log}`)
    }
    return chromium
  }

  constructor(proc, dir, endpoint) {
    this.proc = proc
    this.dir = dir
    this.endpoint = endpoint
  }

  async stop() {
    if (this.proc.exitCode === null) {
      const exited = new Promise((ok) => this.proc.once('exit', ok))
      this.proc.kill('SIGTERM')
      const late = setTimeout(() => this.proc.kill('SIGKILL'), 20_000)
      await exited
      clearTimeout(late)
    }
    // Chromium's helper processes may still write into the profile for a moment after the
    // browser exits (ENOTEMPTY): retried, and a temporary folder left behind is no verdict.
    try {
      rmSync(this.dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 })
    } catch (e) {
      process.emitWarning(`could not remove ${this.dir}: ${e.message}`)
    }
  }
}

const VERIFY_PATHS = { recaptcha: 'recaptcha/api/siteverify', hcaptcha: 'hcaptcha/siteverify', turnstile: 'turnstile/v0/siteverify' }

/** The test's own web site on 127.0.0.1 (and `localhost`, a second origin, for framed forms). */
export class Site {
  static async start(emu) {
    const site = new Site(emu)
    await new Promise((ok) => site.server.listen(0, '127.0.0.1', ok))
    site.port = site.server.address().port
    site.origin = `http://127.0.0.1:${site.port}`
    site.other = `http://localhost:${site.port}`
    return site
  }

  constructor(emu) {
    this.emu = emu
    this.server = createServer((req, res) => this.handle(req, res).catch((e) => res.writeHead(500).end(String(e))))
  }

  render(text) {
    return text.replaceAll('{{EMU}}', this.emu.url.replace(/\/$/, '')).replaceAll('{{OTHER}}', this.other)
  }

  url(path) {
    return this.origin + path
  }

  async handle(req, res) {
    const path = new URL(req.url, this.origin).pathname
    if (req.method === 'GET') {
      const name = path.startsWith('/pages/') ? path.slice('/pages/'.length) : ''
      const file = join(PAGES, name)
      if (!name || name.includes('/') || !existsSync(file)) return void res.writeHead(404).end('not found')
      const type = name.endsWith('.js') ? 'text/javascript' : 'text/html; charset=utf-8'
      return void res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(this.render(readFileSync(file, 'utf8')))
    }
    let body = ''
    for await (const chunk of req) body += chunk
    const name = path.replace(/^\/submit\//, '')
    const verdict = await this.judge(name, new URLSearchParams(body))
    const status = verdict.accepted ? 200 : 403
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' })
    res.end(`<!doctype html><title>${name}</title><h1>${verdict.accepted ? 'Accepted' : 'Refused'}</h1><pre id="verdict">${JSON.stringify(verdict, null, 1).replaceAll('<', '&lt;')}</pre>`)
  }

  /** The site's verdict on a posted form: each check of the page's `verify` list. */
  async judge(name, form) {
    // The framed form (inner.html) serves both iframe pages.
    const specs = name === 'inner' ? MANIFEST['iframe-same'].verify : MANIFEST[name]?.verify ?? []
    const checks = []
    for (const spec of specs) {
      const index = spec.index ?? 0
      const token = form.getAll(spec.field)[index] ?? ''
      const r = await fetch(this.emu.url + VERIFY_PATHS[spec.vendor], {
        method: 'POST',
        body: new URLSearchParams({ secret: 'the-site-secret', response: token, sitekey: spec.sitekey, remoteip: '127.0.0.1' }),
        signal: AbortSignal.timeout(10_000),
      })
      const reply = await r.json()
      let ok = reply.success === true
      for (const field of ['action', 'cdata']) if (field in spec && reply[field] !== spec[field]) ok = false
      checks.push({ field: spec.field, index, ok, reply })
    }
    return { page: name, accepted: checks.length > 0 && checks.every((c) => c.ok), checks }
  }

  stop() {
    this.server.closeAllConnections()
    return new Promise((ok) => this.server.close(ok))
  }
}
