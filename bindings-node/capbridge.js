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

module.exports.Client = native.Client
module.exports.CaptchaError = CaptchaError
module.exports.ERROR_KINDS = Object.freeze(native.__errorKinds())
// Which artifact the loader loaded (declared by the generated index.d.ts).
module.exports.__napiBindingTarget = native.__napiBindingTarget
