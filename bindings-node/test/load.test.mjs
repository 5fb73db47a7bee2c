// load.js: when the native module cannot be loaded, the error names this platform, the package
// it looked for and what to do (napi-rs's own error blames an npm bug). The failure is made
// real: napi-rs's loader is pointed at a file that does not exist, in a child process.

import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { PACKAGE } from './helpers.mjs'

function platform() {
  const base = `${process.platform}-${process.arch}`
  if (process.platform === 'win32') return `${base}-msvc`
  if (process.platform !== 'linux') return base
  return `${base}-${process.report.getReport().header.glibcVersionRuntime ? 'gnu' : 'musl'}`
}

test('a missing native module fails with the platform and what to do', () => {
  const run = spawnSync(process.execPath, ['-e', "require('./capbridge.js')"], {
    cwd: PACKAGE,
    env: { ...process.env, NAPI_RS_NATIVE_LIBRARY_PATH: '/nonexistent/capbridge.node' },
    encoding: 'utf8',
  })
  assert.notEqual(run.status, 0)
  const name = platform()
  assert.match(run.stderr, new RegExp(`capbridge: cannot load its native module on ${name} \\(Node v`))
  assert.match(run.stderr, new RegExp(`capbridge-${name}, an optional dependency`))
  assert.match(run.stderr, /remove package-lock\.json and node_modules, then run npm install/)
  assert.match(run.stderr, /ERR_CAPBRIDGE_NATIVE_MODULE/)
})

test('a platform package that is installed but fails to load is named as such, with its reason', () => {
  // The package for this platform, installed where Node finds it (NODE_PATH), whose module
  // throws as a module built for a newer system does.
  const dir = mkdtempSync(join(tmpdir(), 'capbridge-load-'))
  try {
    const pkg = join(dir, `capbridge-${platform()}`)
    mkdirSync(pkg)
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: `capbridge-${platform()}`, main: 'broken.js' }))
    writeFileSync(join(pkg, 'broken.js'), "throw new Error('/lib/libc.so.6: version `GLIBC_2.99\\' not found')")
    const run = spawnSync(process.execPath, ['-e', "require('./capbridge.js')"], {
      cwd: PACKAGE,
      env: { ...process.env, NAPI_RS_NATIVE_LIBRARY_PATH: '/nonexistent/capbridge.node', NODE_PATH: dir },
      encoding: 'utf8',
    })
    assert.notEqual(run.status, 0)
    assert.match(run.stderr, new RegExp(`The package capbridge-${platform()} is installed, but its module failed to load`))
    assert.match(run.stderr, /failed to load \(\/lib\/libc\.so\.6: version `GLIBC_2\.99' not found\)/)
    assert.doesNotMatch(run.stderr, /did not install/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('the error for a platform without a package says to build from source', () => {
  const code = `
    Object.defineProperty(process, 'platform', { value: 'sunos' })
    try { require('./load.js') } catch (e) { console.log(e.message) }`
  const run = spawnSync(process.execPath, ['-e', code], { cwd: PACKAGE, encoding: 'utf8' })
  assert.match(run.stdout, /cannot load its native module on sunos-/)
  assert.match(run.stdout, /no prebuilt module for sunos-\S+ \(prebuilt: linux-x64-gnu, linux-arm64-gnu, linux-x64-musl, linux-arm64-musl, darwin-x64, darwin-arm64, win32-x64-msvc\)/)
  assert.match(run.stdout, /Build it from source/)
  assert.match(run.stdout, /npx napi build --platform --release, and install that folder/)
})
