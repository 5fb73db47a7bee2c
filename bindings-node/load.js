'use strict'
// Loads the native module through napi-rs's generated loader (index.js). That loader picks
// the file for this platform: a local capbridge.<platform>.node (a build from source), else
// the platform package that npm installed with capbridge as an optional dependency
// (capbridge-linux-x64-gnu, capbridge-darwin-arm64, ...: the `napi.targets` of package.json).
// When none fits, its own error blames an npm bug; this one names the platform, the package
// it looked for, the platforms there are packages for, and what to do.

const { napi } = require('./package.json')

const ARCH = { x86_64: 'x64', aarch64: 'arm64', i686: 'ia32', armv7: 'arm' }
const OS = { linux: 'linux', apple: 'darwin', windows: 'win32', freebsd: 'freebsd' }

/** napi-rs's platform name of a Rust target triple (`aarch64-unknown-linux-musl` -> `linux-arm64-musl`). */
function platformOfTriple(triple) {
  const parts = triple.split('-')
  const arch = ARCH[parts[0]] || parts[0]
  const os = Object.keys(OS).find((name) => parts.includes(name))
  const platform = `${OS[os] || parts[2]}-${arch}`
  const abi = parts[3]
  return os === 'linux' || os === 'windows' ? `${platform}-${abi === 'gnueabihf' ? 'gnueabihf' : abi}` : platform
}

/** This process's platform name, as napi-rs spells it. */
function thisPlatform() {
  const base = `${process.platform}-${process.arch}`
  if (process.platform === 'win32') return `${base}-msvc`
  if (process.platform !== 'linux') return base
  let glibc = true
  try {
    const report = process.report && process.report.getReport()
    glibc = !report || !report.header || Boolean(report.header.glibcVersionRuntime)
  } catch {
    // No report: assume glibc, as most Linux systems are.
  }
  return `${base}-${glibc ? 'gnu' : 'musl'}`
}

/** Whether `name` can be found from here (installed), whether or not it loads. */
function installed(name) {
  try {
    require.resolve(`${name}/package.json`)
    return true
  } catch {
    return false
  }
}

function loadError(cause) {
  const platform = thisPlatform()
  const built = (napi.targets || []).map(platformOfTriple)
  const pkg = `capbridge-${platform}`
  let what
  if (!built.includes(platform)) {
    what =
      `capbridge has no prebuilt module for ${platform} (prebuilt: ${built.join(', ')}). ` +
      'Build it from source with a Rust toolchain: git clone https://github.com/capbridge/capbridge, ' +
      'then in its bindings-node folder run npm ci and npx napi build --platform --release, and ' +
      'install that folder into your project (npm install /path/to/capbridge/bindings-node); ' +
      '"Build from source" in bindings-node/README.md says more.'
  } else if (installed(pkg)) {
    // The package's own error (a missing library, a module for a newer system), not the
    // loader's summary of every place it looked.
    let own = cause
    try {
      require(pkg)
    } catch (e) {
      own = e
    }
    const why = own && own.message ? String(own.message).split('\n')[0] : 'see error.cause'
    what =
      `The package ${pkg} is installed, but its module failed to load (${why}). Reinstall it ` +
      '(remove node_modules, then npm install); a missing system library in that message means ' +
      'this system is older than the package supports.'
  } else {
    what =
      `capbridge ships it in the package ${pkg}, an optional dependency that npm ` +
      'did not install. Install again with optional dependencies (no --omit=optional or ' +
      '--no-optional); a package-lock.json made on another platform can leave it out: remove ' +
      'package-lock.json and node_modules, then run npm install.'
  }
  const error = new Error(
    `capbridge: cannot load its native module on ${platform} (Node ${process.version}). ${what}`,
  )
  error.code = 'ERR_CAPBRIDGE_NATIVE_MODULE'
  error.cause = cause
  return error
}

/**
 * The package npm installed for this platform, loaded directly: napi-rs's loader tells musl
 * from glibc by the text of /usr/bin/ldd, else by `process.report`'s shared objects, and a
 * runtime that lists none there (Bun's musl build) on a system whose ldd is not musl's is
 * taken for glibc, so that loader looks for the gnu package beside the musl one npm chose.
 * Linux only, and only after that loader failed. Returns the binding, the error of a package
 * that is there but fails to load, or null when there is none.
 */
function loadPlatformPackage() {
  if (process.platform !== 'linux') return null
  try {
    const binding = require(`capbridge-${thisPlatform()}`)
    if (!Object.prototype.hasOwnProperty.call(binding, '__napiBindingTarget')) {
      try {
        binding.__napiBindingTarget = 'native'
      } catch {
        // A frozen binding keeps what it has.
      }
    }
    return binding
  } catch (e) {
    // Found but failing (a module for a newer system) says more than napi-rs's error.
    return e && e.code !== 'MODULE_NOT_FOUND' ? e : null
  }
}

try {
  module.exports = require('./index.js')
} catch (e) {
  const binding = loadPlatformPackage()
  if (!binding || binding instanceof Error) throw loadError(binding || e)
  module.exports = binding
}
