'use strict'
// The CommonJS entry of the npm package `capbridge` (the ESM entry, capbridge.mjs, re-exports
// this module, so both share one native module and one CaptchaError class).
//
// index.js is napi-rs's generated loader of the native module; this file adds the one thing
// the native module cannot define itself: the CaptchaError class, registered here for this
// JavaScript environment (the main thread and every worker thread load this file anew).

const native = require('./load.js')
const { CaptchaError } = require('./errors.js')

native.__registerErrorClass(CaptchaError)

// A Promise call's CaptchaError is made when the call ends, on no JavaScript stack: each
// Promise method goes through an async function that, on a rejection, gives the error the
// stack of the awaiting code (`at async login (app.mjs:12:5)`), as Node's own `fetch` does.
const STACKED = Symbol.for('capbridge.stacked')
if (!native.Client.prototype[STACKED]) {
  for (const name of ['solve', 'submit', 'result', 'wait', 'balance', 'report']) {
    const call = native.Client.prototype[name]
    const stacked = {
      async [name](...args) {
        try {
          return await call.apply(this, args)
        } catch (e) {
          if (e instanceof CaptchaError) Error.captureStackTrace(e, stacked[name])
          throw e
        }
      },
    }
    Object.defineProperty(native.Client.prototype, name, {
      value: stacked[name], writable: true, configurable: true, enumerable: false,
    })
  }
  Object.defineProperty(native.Client.prototype, STACKED, { value: true })
}

module.exports.Client = native.Client
module.exports.CaptchaError = CaptchaError
module.exports.ERROR_KINDS = Object.freeze(native.__errorKinds())
// Which artifact the loader loaded (declared by the generated index.d.ts).
module.exports.__napiBindingTarget = native.__napiBindingTarget
