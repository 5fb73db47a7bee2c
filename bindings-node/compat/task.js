'use strict'
// The `in.php` fields of an @2captcha/captcha-solver call as a capbridge task.
//
// A `method` capbridge's catalogue knows becomes that kind's task (so the engine applies the
// kind's documented waits, batch polling and answer reading). Only what the engine needs goes
// into the task's own fields: the required ones, the image, the proxy (so its password is
// masked everywhere) and the pingback, plus what the kind's encoding always writes (reCAPTCHA
// v3's `version` and `action`, the click and grid flags), so nothing is sent twice. Every
// other field travels in `extra`, under its own name and with the text the original sends.
// Anything else (KeyCaptcha, Capy, Tencent, ...) is a `Raw` task: the fields exactly.

const SITE = { pageurl: 'websiteUrl', sitekey: 'websiteKey' }

// method -> [kind, { in.php field: task field }, takes a proxy]
const WIDGETS = {
  hcaptcha: ['HCaptcha', SITE, true],
  turnstile: ['Turnstile', SITE, true],
  funcaptcha: ['FunCaptcha', { pageurl: 'websiteUrl', publickey: 'publicKey' }, true],
  geetest: ['GeeTest', { pageurl: 'websiteUrl', gt: 'gt', challenge: 'challenge' }, true],
  geetest_v4: ['GeeTestV4', { pageurl: 'websiteUrl', captcha_id: 'captchaId' }, true],
  amazon_waf: ['AmazonWaf', { pageurl: 'websiteUrl', sitekey: 'websiteKey', iv: 'iv', context: 'context' }, true],
  datadome: ['DataDome', { pageurl: 'websiteUrl', captcha_url: 'captchaUrl', userAgent: 'userAgent' }, true],
  mt_captcha: ['MtCaptcha', SITE, true],
  friendly_captcha: ['FriendlyCaptcha', SITE, true],
  lemin: ['Lemin', { pageurl: 'websiteUrl', captcha_id: 'captchaId', div_id: 'divId' }, true],
  audio: ['Audio', { body: 'audio', lang: 'language' }, false],
  rotatecaptcha: ['Rotate', { body: 'image' }, false],
}

/** A field's value as the original writes it in a query string or form. */
function text(value) {
  if (typeof value === 'string') return value
  if (value !== null && typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

function isOne(value) {
  return value === true || text(value) === '1'
}

/**
 * A task of `kind`: `mapping`'s fields as the task's, the proxy and pingback too, `constants`
 * (written by the kind's encoding) dropped, the rest in `extra`.
 */
function make(kind, fields, mapping, proxy, constants = []) {
  const rest = { ...fields }
  delete rest.method
  const task = { type: kind }
  for (const [wire, ours] of Object.entries(mapping)) {
    if (wire in rest) {
      task[ours] = text(rest[wire])
      delete rest[wire]
    }
  }
  for (const name of constants) delete rest[name]
  if (proxy && 'proxy' in rest && 'proxytype' in rest) {
    task.proxy = { type: text(rest.proxytype), uri: text(rest.proxy) }
    delete rest.proxy
    delete rest.proxytype
  }
  if ('pingback' in rest) {
    task.pingback = text(rest.pingback)
    delete rest.pingback
  }
  const extra = {}
  for (const [k, v] of Object.entries(rest)) extra[k] = text(v)
  if (Object.keys(extra).length > 0) task.extra = extra
  return task
}

/** The catalogue's task for these fields, or `undefined` (then the raw task is sent). */
function taskOf(given) {
  const fields = {}
  for (const [k, v] of Object.entries(given)) if (v !== undefined && v !== null) fields[k] = v
  const method = fields.method === undefined ? undefined : text(fields.method)
  if (method === 'userrecaptcha') {
    if (text(fields.version) === 'v3') {
      return make('RecaptchaV3', fields, { pageurl: 'websiteUrl', googlekey: 'websiteKey', action: 'action' }, true, ['version'])
    }
    return make('RecaptchaV2', fields, { pageurl: 'websiteUrl', googlekey: 'websiteKey' }, true)
  }
  if (method !== undefined && Object.prototype.hasOwnProperty.call(WIDGETS, method)) {
    const [kind, mapping, proxy] = WIDGETS[method]
    return make(kind, fields, mapping, proxy)
  }
  if (method === undefined && 'textcaptcha' in fields && !('body' in fields)) {
    return make('TextCaptcha', fields, { textcaptcha: 'text' }, false)
  }
  if (method === 'base64' && 'body' in fields) {
    if ('coordinatescaptcha' in fields) {
      if (!isOne(fields.coordinatescaptcha)) return undefined
      return make('Coordinates', fields, { body: 'image', imginstructions: 'instructionsImage' }, false, ['coordinatescaptcha'])
    }
    if ('recaptcha' in fields) {
      // A canvas answers polygons: no kind of the catalogue.
      if ('canvas' in fields || !isOne(fields.recaptcha)) return undefined
      return make('Grid', fields, { body: 'image', textinstructions: 'instructions', imginstructions: 'instructionsImage' }, false, ['recaptcha'])
    }
    return make('ImageToText', fields, { body: 'image' }, false)
  }
  return undefined
}

/** The fields as given, as a `Raw` task (a call without a method is a `post` text captcha). */
function rawTaskOf(given) {
  const request = {}
  for (const [k, v] of Object.entries(given)) if (v !== undefined && v !== null) request[k] = text(v)
  if (request.method === undefined) request.method = 'post'
  // The pingback is the task's own field (the client writes it, once).
  const { pingback, ...rest } = request
  return pingback === undefined ? { type: 'Raw', request } : { type: 'Raw', request: rest, pingback }
}

module.exports = { taskOf, rawTaskOf, text }
