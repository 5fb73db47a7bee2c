// What a call threw or rejected with, checked to be a CaptchaError of the kind expected.

import assert from 'node:assert/strict'
import { CaptchaError } from 'capbridge'

/** The CaptchaError of kind `kind` that `f` throws. */
export function thrown(f, kind = 'usage') {
  let err
  assert.throws(f, (e) => {
    err = e
    return true
  })
  assert.ok(err instanceof CaptchaError, `not a CaptchaError: ${err}`)
  assert.equal(err.kind, kind, err.message)
  return err
}

/** The CaptchaError of kind `kind` that the promise `p` rejects with. */
export async function rejection(p, kind = 'usage') {
  let err
  await assert.rejects(p, (e) => {
    err = e
    return true
  })
  assert.ok(err instanceof CaptchaError, `not a CaptchaError: ${err}`)
  assert.equal(err.kind, kind, err.message)
  return err
}
