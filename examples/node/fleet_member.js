// One Node member of a fleet sharing one API key (run by the fleet driver, `fleet`).
//
//   node fleet_member.js --provider 2captcha --base-url http://127.0.0.1:PORT/ --api-key KEY \
//     --solves 100 --clients 2 [--shared-limits redis://127.0.0.1:6379/0] [--timeout-s 300] [--name NAME]
//
// `clients` clients in this process, `solves` reCAPTCHA v2 solves at once spread over them;
// with --shared-limits every client keeps the key's limits in Redis with the other members
// (Rust, Python, other Node processes). Prints one JSON line when done:
// {"member", "lang", "solved", "failed", "errors": {kind: count}, "elapsed_s"}, the same as
// the Rust and Python members.
'use strict'

const path = require('node:path')
const { parseArgs } = require('node:util')

function load () {
  try {
    return require('capbridge')
  } catch {
    // Run from the repository without installing the package.
    return require(path.join(__dirname, '..', '..', 'bindings-node', 'capbridge.js'))
  }
}

const TASK = {
  type: 'RecaptchaV2',
  websiteUrl: 'https://example.com/login',
  websiteKey: '6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-'
}

async function main () {
  const { values: a } = parseArgs({
    options: {
      provider: { type: 'string' },
      'base-url': { type: 'string' },
      'api-key': { type: 'string' },
      solves: { type: 'string' },
      clients: { type: 'string', default: '2' },
      'shared-limits': { type: 'string' },
      'timeout-s': { type: 'string', default: '300' },
      name: { type: 'string', default: `node-${process.pid}` }
    }
  })
  if (!a.provider || !a['api-key'] || !a.solves) {
    console.error('fleet_member.js: --provider, --api-key and --solves are required')
    process.exit(2)
  }
  const { Client } = load()
  const options = {
    provider: a.provider,
    apiKey: a['api-key'],
    initialDelayMs: 500,
    pollIntervalMs: 500,
    requestTimeoutMs: 10000,
    timeoutMs: Math.round(Number(a['timeout-s']) * 1000)
  }
  if (a['base-url']) options.baseUrl = a['base-url']
  if (a['shared-limits']) {
    // A Redis Cluster's nodes (comma-separated on the command line) go as a list: the list
    // form of the option, against the real cluster CI's fleet runs on.
    const nodes = a['shared-limits'].split(',')
    options.sharedLimits = nodes.length > 1 ? nodes : a['shared-limits']
  }
  const clients = Array.from({ length: Number(a.clients) }, () => new Client(options))
  const solves = Number(a.solves)
  const started = performance.now()
  const results = await Promise.allSettled(
    Array.from({ length: solves }, (_, i) => clients[i % clients.length].solve(TASK))
  )
  const errors = {}
  for (const r of results) {
    if (r.status === 'rejected') {
      const kind = (r.reason && r.reason.kind) || 'exception'
      errors[kind] = (errors[kind] || 0) + 1
      console.error(`${a.name}: ${r.reason}`)
    }
  }
  const failed = Object.values(errors).reduce((s, n) => s + n, 0)
  console.log(JSON.stringify({
    member: a.name,
    lang: 'node',
    solved: solves - failed,
    failed,
    errors,
    elapsed_s: (performance.now() - started) / 1000
  }))
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
