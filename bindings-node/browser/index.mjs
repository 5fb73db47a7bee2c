// The ES module entry of `capbridge/browser`: the CommonJS module's exports (one CaptchaError
// class whichever way the package is loaded).
import browser from './index.js'

export const { solvePage, prepare, pageScript, KINDS } = browser
export default browser
