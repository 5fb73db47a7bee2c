// The README's example, run as written: the first ```js block of bindings-node/README.md and
// the one of the top-level README's "## Node" section, each saved as an ES module and run by
// `node` against the emulator. Only the client options are pointed at it (a `baseUrl` and
// millisecond waits are added after `provider: '2captcha'`); everything else runs unchanged,
// so a snippet that stops running (a SyntaxError, a renamed option) fails here.

import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { Emulator, KEY, PACKAGE, REPO, typeCheck } from './helpers.mjs'

let emu
before(async () => {
  emu = await Emulator.start('--delay-ms', '20')
})
after(() => emu.stop())

/** The first ```js block of `file` after the line `heading` (or from the top). */
function snippet(file, heading) {
  let text = readFileSync(file, 'utf8')
  if (heading) {
    const at = text.split('\n').indexOf(heading)
    assert.ok(at >= 0, `${file} has no line "${heading}"`)
    text = text.split('\n').slice(at + 1).join('\n')
    const next = text.search(/^## /m)
    if (next >= 0) text = text.slice(0, next)
  }
  const m = /^```js\n([\s\S]*?)^```$/m.exec(text)
  assert.ok(m, `no js code block in ${file}${heading ? ` under ${heading}` : ''}`)
  return m[1]
}

/** Runs `code` as an ES module (`node --input-type=module`), resolving 'capbridge' as an app would. */
function runAgainstEmulator(code) {
  const pointed = code.replace(
    "provider: '2captcha',",
    `provider: '2captcha', baseUrl: '${emu.url}', initialDelayMs: 20, pollIntervalMs: 20,`,
  )
  assert.notEqual(pointed, code, "the example names provider: '2captcha' (the test points it at the emulator)")
  // The package's own directory resolves the bare 'capbridge' through its package.json
  // "exports", as an installed package would.
  return spawnSync(process.execPath, ['--input-type=module'], {
    cwd: PACKAGE,
    input: pointed,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, CAPTCHA_KEY: KEY },
  })
}

function check(r) {
  assert.equal(r.status, 0, `the example failed:\n${r.stderr}`)
  // `console.log(answer, taskId)`: a token, then the task id.
  assert.match(r.stdout.trim(), /^\S{20,} \d+$/, r.stdout)
}

test('bindings-node/README.md: the example runs as written', () => {
  check(runAgainstEmulator(snippet(join(PACKAGE, 'README.md'))))
})

test("README.md: the Node section's example runs as written", () => {
  check(runAgainstEmulator(snippet(join(REPO, 'README.md'), '## Node')))
})

test("both READMEs' examples type-check under tsc --strict (checkJs)", () => {
  for (const readme of [snippet(join(PACKAGE, 'README.md')), snippet(join(REPO, 'README.md'), '## Node')]) {
    const out = typeCheck('app.mjs', readme)
    assert.equal(out, '', `the example does not type-check:\n${out}`)
  }
})
