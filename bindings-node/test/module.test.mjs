// What the published native module exports: the `Client` class and the package's own hooks
// (`__registerErrorClass`, `__errorKinds`, `__checkClientOptions` for capbridge/compat/2captcha,
// and the in-process emulator behind `capbridge/testing`: `__startEmulator`, `__stopEmulator`,
// `__taskKinds`, `__emulatorDialects`), and nothing a benchmark needs: `__coreThroughput`
// lives only in the module bench/throughput.mjs builds for itself (cargo feature `bench`).

import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { test } from 'node:test'
import { PACKAGE } from './helpers.mjs'

const require = createRequire(import.meta.url)

test('the published module carries no benchmark', () => {
  const native = require(join(PACKAGE, 'index.js'))
  assert.equal(native.__coreThroughput, undefined)
  const hooks = Object.keys(native).filter((k) => k.startsWith('__') && k !== '__napiBindingTarget')
  assert.deepEqual(hooks.sort(), [
    '__checkClientOptions',
    '__emulatorDialects',
    '__errorKinds',
    '__nearest',
    '__registerErrorClass',
    '__startEmulator',
    '__stopEmulator',
    '__taskKinds',
  ])
  assert.equal(typeof native.Client, 'function')
})
