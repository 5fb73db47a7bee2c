// A @2captcha/captcha-solver script on capbridge: 300 reCAPTCHA solves at once with
// Promise.all, with one import changed. Run against the local emulator, it prints what the
// service saw.
//
//   CAPBRIDGE_PROVIDER=http://127.0.0.1:PORT/ CAPBRIDGE_API_KEY=<any 32 characters> node twocaptcha-migration.mjs
//
// (`capbridge-emulator --port 0` prints the base URL.) With @2captcha/captcha-solver itself,
// 300 submits at once break the service's limit of 60 in.php requests in 3 s: most solves end
// in MAX_USER_TURN. Through capbridge the same code spreads the submits over time, polls the
// tasks in flight together, and every solve succeeds. The emulator keeps the service's limits
// and counts every request, so the figures below are the service's view.
// @ts-check

// The one changed line: was `import { Solver, APIError } from '@2captcha/captcha-solver'`.
// (The fourth argument of `new Solver` is capbridge's: the server, here the emulator.)
import { APIError, Solver } from 'capbridge/compat/2captcha'

const PROVIDER = process.env.CAPBRIDGE_PROVIDER ?? ''
const KEY = process.env.CAPBRIDGE_API_KEY ?? ''
const SOLVES = 300
const SITEKEY = '6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI'
const PAGE = 'https://www.google.com/recaptcha/api2/demo'

/** The emulator's request counters (its admin API). */
async function counters() {
  const reply = await fetch(PROVIDER.replace(/\/+$/, '') + '/emulator/counters', { signal: AbortSignal.timeout(10_000) })
  return /** @type {{keys: Record<string, {in_requests: number, res_requests: number}>, violations: Record<string, number>}} */ (await reply.json())
}

if (!PROVIDER.startsWith('http://127.0.0.1') || KEY.length !== 32) {
  console.error('run against the local emulator: see the comment at the top')
  process.exit(2)
}

// The original's defaults: polls every 5000 ms, header_acao on.
const solver = new Solver(KEY, 5000, true, { server: PROVIDER })
const before = await counters()
const started = performance.now()
const outcomes = await Promise.all(
  Array.from({ length: SOLVES }, () =>
    solver.recaptcha({ pageurl: PAGE, googlekey: SITEKEY }).then(
      (res) => (res.data ? 'solved' : 'empty'),
      (err) => (err instanceof APIError ? err.err : String(err)),
    ),
  ),
)
const elapsed = (performance.now() - started) / 1000
const after = await counters()

const mineBefore = before.keys[KEY] ?? { in_requests: 0, res_requests: 0 }
const mineAfter = after.keys[KEY]
const submits = mineAfter.in_requests - mineBefore.in_requests
const polls = mineAfter.res_requests - mineBefore.res_requests
/** @type {Record<string, number>} */
const violations = {}
for (const [code, n] of Object.entries(after.violations)) {
  const grown = n - (before.violations[code] ?? 0)
  if (grown > 0) violations[code] = grown
}
const solved = outcomes.filter((o) => o === 'solved').length
/** @type {Record<string, number>} */
const failures = {}
for (const o of outcomes) if (o !== 'solved') failures[o] = (failures[o] ?? 0) + 1

console.log(`solved ${solved} of ${SOLVES} with Promise.all in ${elapsed.toFixed(1)} s`)
console.log(`requests: ${submits} in.php + ${polls} res.php = ${((submits + polls) / SOLVES).toFixed(2)} per captcha`)
const noViolations = Object.keys(violations).length === 0
console.log(`limit violations: ${noViolations ? 'none' : JSON.stringify(violations)}` +
  (Object.keys(failures).length ? `; failures: ${JSON.stringify(failures)}` : ''))
process.exitCode = solved === SOLVES && noViolations ? 0 : 1
