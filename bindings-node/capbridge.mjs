// The ES module entry of the npm package `capbridge`: the CommonJS entry's exports, so that
// `import` and `require` in one process share one CaptchaError class (no dual-package hazard).
import capbridge from './capbridge.js'

export const { Client, CaptchaError, ERROR_KINDS, __napiBindingTarget } = capbridge
export default capbridge
