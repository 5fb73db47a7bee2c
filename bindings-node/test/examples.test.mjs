// examples/node/every-kind.mjs builds every kind of the catalogue (tests/vectors/catalogue.json):
// run as written against the emulator, it prints one line per task it built, led by the task's
// `type`, and the kinds it printed are the catalogue's, each once. A kind added to the catalogue
// without a line in the example fails here. (tests/run-node type-checks the same file with tsc
// --strict against the packed package, and runs it from a fresh project.)

import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { Emulator, KEY, PACKAGE, REPO, VECTORS } from './helpers.mjs'

const CATALOGUE = JSON.parse(readFileSync(join(VECTORS, 'catalogue.json'), 'utf8'))
const EXAMPLE = join(REPO, 'examples', 'node', 'every-kind.mjs')

let emu
before(async () => {
  emu = await Emulator.start('--delay-ms', '20')
})
after(() => emu.stop())

test('examples/node/every-kind.mjs builds and solves every kind of the catalogue', () => {
  // As an ES module from the package's directory, where the bare 'capbridge' resolves through
  // the package's "exports" as an installed package would.
  const r = spawnSync(process.execPath, ['--input-type=module'], {
    cwd: PACKAGE,
    input: readFileSync(EXAMPLE, 'utf8'),
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, CAPBRIDGE_PROVIDER: emu.url, CAPBRIDGE_API_KEY: KEY },
  })
  // Exit status 0: no task failed.
  assert.equal(r.status, 0, `the example failed (${r.status}):\n${r.stdout}\n${r.stderr}`)
  const lines = r.stdout.split('\n').filter((line) => line.trim() !== '')
  const built = lines.map((line) => {
    const m = /^ *([A-Za-z0-9]+): /.exec(line)
    assert.ok(m, `a line that names no kind: ${line}`)
    // The emulator's root offers every kind: a usage error here is a regression.
    assert.ok(!line.includes('not offered here'), line)
    return m[1]
  })
  assert.deepEqual([...built].sort(), CATALOGUE.kinds.map((k) => k.name).sort())
})
