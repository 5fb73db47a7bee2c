'use strict'

/**
 * The one error type of capbridge, defined in JavaScript so that it truly extends `Error`
 * (stack traces, `instanceof Error`, `util.types.isNativeError`). The native module builds
 * every instance itself (one function, `to_js_error` in src/errors.rs) once the package's
 * entry has registered this class for the current JavaScript environment.
 */
class CaptchaError extends Error {
  /**
   * @param {string} message
   * @param {{kind: string, code?: string, retryable?: boolean, retryAfter?: number,
   *          taskId?: string, field?: string, option?: string}} details
   */
  constructor(message, details) {
    super(message)
    const d = details || {}
    this.name = 'CaptchaError'
    /** What went wrong: one of ERROR_KINDS. */
    this.kind = d.kind === undefined ? 'service' : d.kind
    /** The service's raw code, if any. */
    this.code = d.code
    /** Whether the same call, unchanged, may succeed later. */
    this.retryable = d.retryable === true
    /** Milliseconds to wait before retrying, when the service says. */
    this.retryAfter = d.retryAfter
    /** The task id, once the service gave one. */
    this.taskId = d.taskId
    /** The task field at fault (camelCase), for `invalid_task`. */
    this.field = d.field
    /** The option at fault (camelCase), for `usage`. */
    this.option = d.option
  }
}

module.exports = { CaptchaError }
