// The ES module entry of `capbridge/compat/2captcha`: the CommonJS module's exports, so that
// `import` and `require` share one APIError class.
import compat from './2captcha.js'

export const { Solver, APIError } = compat
export default compat
