'use strict'
// `capbridge/compat/2captcha`: the API of @2captcha/captcha-solver (`Solver`, `APIError`) on
// capbridge's engine. Migrating is one line:
//
//   const { Solver } = require('capbridge/compat/2captcha')   // was: require('@2captcha/captcha-solver')
//
// Every method builds the `in.php` fields the original builds (its parameter checks and
// renames, `soft_id` 4587, `json=1`, `header_acao`), and runs them as one capbridge solve:
// a typed task where capbridge's catalogue has the kind (so the kind's documented waits,
// batch polling and answer reading apply), a `Raw` task with the fields as given otherwise.
// The engine keeps the service's request limits however many solves run at once
// (`Promise.all` over hundreds is fine), polls the tasks in flight together where the kind allows it, and gives every
// solve a deadline. Results are the original's objects (`{ status, data, id, ... }`); errors
// are `APIError`s with the original's `err`, `code` and message, plus capbridge's `kind`,
// `retryable`, `retryAfter` and `taskId`.

const util = require('node:util')
const { Client, CaptchaError } = require('../capbridge.js')
// The native module, loaded (and given its CaptchaError class) by the entry above.
const native = require('../load.js')
const { taskOf, rawTaskOf } = require('./task.js')

const debug = util.debuglog('capbridge')

/** The integrator id the original sends with every request. */
const SOFT_ID = 4587

// Where behaviour differs from the original: said once per process (NODE_DEBUG=capbridge).
const DIFFERENCES =
  'capbridge/compat/2captcha runs each call as a capbridge solve; where it differs from ' +
  '@2captcha/captcha-solver: submits are spread to keep the service\'s request limits (at most ' +
  '60 in.php requests in 3 s, 100 ms apart), so a burst takes longer to submit instead of ' +
  'drawing MAX_USER_TURN; the first poll waits the service\'s documented time for the kind, ' +
  'then every pollingFrequency ms; tasks in flight are polled together (one ids= request per ' +
  'interval) only for images, reCAPTCHA, MTCaptcha, Friendly Captcha, clicks, grids, text, ' +
  'audio and rotation, while FunCaptcha, Turnstile, GeeTest, GeeTest v4, Amazon WAF, ' +
  'DataDome, Lemin and methods sent as Raw (hCaptcha among them) are polled one by one; ' +
  'every solve has a deadline (the kind\'s documented one, or options.timeoutMs) and then ' +
  'rejects with an APIError of kind "timeout"; reCAPTCHA v3 is sent with action=verify when ' +
  'none is given, text() sends method=post, and a batch-polled result holds status, data and ' +
  'id only; in.php requests are form posts (the original sends GET queries, and images as a ' +
  'JSON body); a server other than 2captcha.com or rucaptcha.com (options.server) is ' +
  'https://host/ with batch polls; an unreachable service is retried until the deadline, then ' +
  'an APIError of kind "timeout" (not a FetchError); an error without a service code has ' +
  'err "ERROR_" and its kind ("ERROR_TIMEOUT", "ERROR_NETWORK"); after ERROR_ZERO_BALANCE the key\'s ' +
  'submits fail at once for 60 s without being sent; balance() errors carry the service\'s ' +
  'code, and Solver lacks in, res and pollResponse (details: the README\'s migration section)'
let noted = false
function noteDifferences() {
  if (!noted) {
    noted = true
    debug(DIFFERENCES)
  }
}

// The service's codes and what the original says of each (first match wins, as in its switch).
const MESSAGES = [
  ['ERROR_CAPTCHA_UNSOLVABLE', 1, "Your captcha was unable to be solved after 3 attempts. You haven't been charged for this request."],
  ['ERROR_WRONG_USER_KEY', 2, "You've specified an invalid key, please make sure it is 32 characters long."],
  ['ERROR_KEY_DOES_NOT_EXIST', 3, "The key you've provided does not exist."],
  ['ERROR_BAD_DUPLICATES', 4, 'The max number of attempts for this captcha has been reached. Please validate.'],
  ['REPORT_NOT_RECORDED', 5, "You have submitted an invalid report. Either you've submitted over 40% of recent captchas, or the captcha was solved over 15 minutes ago."],
  ['ERROR_DUPLICATE_REPORT', 6, "You have already reported this captcha!"],
  ['ERROR_IMAGE_TYPE_NOT_SUPPORTED', 7, "The image type is not supported. Please validate it's a valid image you're passing through."],
  ['ERROR_ZERO_CAPTCHA_FILESIZE', 8, 'The image has no size, and is not valid. Please verify it.'],
  ['ERROR_ZERO_BALANCE', 9, "There aren't enough funds in this account to complete the captcha."],
  ['ERROR_PAGEURL', 10, 'pageurl paramter is missing in the request.'],
  ['ERROR_NO_SLOT_AVAILABLE', 11, 'Captcha Queue exceeded maximum capacity. Please wait a few moments before continuing, or update your settings at https://2captcha.com/setting'],
  ['ERROR_TOO_BIG_CAPTCHA_FILESIZE', 12, 'The Image Filesize exceeds 100kb. Please check the image file.'],
  ['ERROR_WRONG_FILE_EXTENSION', 13, 'Unsupported file extension. Accepted extensions: jpg, jpeg, gif, png.'],
  ['ERROR_UPLOAD', 14, 'The Solve Request was malformed. Please make sure the image is valid. If it is, please open up a github issue detailing this event.'],
  ['ERROR_IP_NOT_ALLOWED', 15, 'The request is sent from an IP that is not on the allowed list. Please configure it here https://2captcha.com/setting/iplist'],
  ['IP_BANNED', 16, 'This IP address is banned due to frequent attempts to access the server via incorrect auth keys. Please try again in 5 minutes.'],
  ['ERROR_BAD_TOKEN_OR_PAGEURL', 17, 'Please insure the googlekey and pageurl are correct for this reCaptcha request.'],
  ['ERROR_GOOGLEKEY', 18, 'Please insure the sitekey provided is correct, and try again.'],
  ['ERROR_WRONG_GOOGLEKEY', 19, "The 'googlekey' parameter is missing or of an invalid format. Please make sure it is a valid string."],
  ['ERROR_CAPTCHAIMAGE_BLOCKED', 20, "You've sent an image that is marked in our database as unrecognizable. Usually that happens if the website where you found the captcha stopped sending you captchas and started to send 'deny access' image."],
  ['TOO_MANY_BAD_IMAGES', 21, "You're sending too many unrecognizable images. Please make sure the images are valid and understandable."],
  ['MAX_USER_TURN', 22, "You've made more then 60 requests to in.php within 3 seconds. Please slow down requests, and wait 10 seconds for this restriction to be lifted."],
  ['ERROR_BAD_PARAMETERS', 23, 'Some parameters are missing in this request. If you\'re using a pre-provided function, please open up an issue on the GitHub'],
  ['ERROR_BAD_PROXY', 24, 'The proxy provided did not work.'],
  ['ERROR_CAPTCHA_ID', 250, "One of the parameters is incorrect. If you are submitting GeeTest V4 captcha, then check that the 'captcha_id' parameter is correct."],
  ['CAPCHA_NOT_READY', 25, 'The captcha is not solved yet. If you see this error, Please open up an issue on the GitHub'],
  ['ERROR_WRONG_ID_FORMAT', 26, "You've provided a captcha ID in the wrong format. The ID can contain only numbers."],
  ['ERROR_WRONG_CAPTCHA_ID', 27, "You've provided an incorrect captcha ID."],
  ['ERROR_REPORT_NOT_RECORDED', 29, "You've submitted more then 40% reports, or are reporting a captcha older then 15 minutes. This report has been ignored."],
  ['ERROR_IP_ADDRES', 31, 'The PingBack/CallBack IP did not match the source of this request.'],
  ['ERROR_TOKEN_EXPIRED', 32, "The 'challenge' value for the GeeTest Captcha has already expired."],
  ['ERROR_EMPTY_ACTION', 33, 'The ACtion parameter is missing. Please open an issue in the GitHub'],
  ['ERROR_PROXY_CONNECTION_FAILED', 34, "The proxy server was unable to load the captcha. This Proxy has been marked as bad, and will recieve an 'ERROR_BAD_PROXY' in future use."],
  ['https://2captcha.com/blog/google-search-recaptcha', 35, "This captcha appears to be a Google Service Captcha (A special captcha that Google uses to protect their websites). Please provide a 'data-s' attribute in the CaptchaExtras of this function. View https://2captcha.com/blog/google-search-recaptcha for more information."],
]
const BY_CODE = new Map()
for (const [err, code, message] of MESSAGES) if (!BY_CODE.has(err)) BY_CODE.set(err, [code, message])
const UNEXPECTED = 'An Unexpected Error has occured. Please submit an issue on GitHub detailing this event.'

/**
 * The original's error: `err` is the service's code as received, `code` its number, `message`
 * the original's text for it. A failure the service gave no code for (the deadline every solve
 * has here, the network) has `ERROR_` and capbridge's kind as `err` (`ERROR_TIMEOUT`,
 * `ERROR_NETWORK`: a code to compare, as callers of the original compare the service's), code
 * 0 and capbridge's explanation as `message`. capbridge adds `kind` (`'balance'`, `'timeout'`,
 * ...), `retryable`, `retryAfter` (ms) and `taskId` (once the service gave one).
 */
class APIError extends Error {
  constructor(err) {
    super(err)
    this.name = this.constructor.name
    this.err = err
    const known = BY_CODE.get(err)
    this.code = known ? known[0] : 0
    this.message = known ? known[1] : UNEXPECTED
    this.kind = undefined
    this.retryable = false
    this.retryAfter = undefined
    this.taskId = undefined
  }
}

/** A capbridge error as the original's `APIError`, capbridge's fields added. */
function apiErrorOf(e) {
  if (!(e instanceof CaptchaError)) return e
  const error = new APIError(e.code !== undefined ? e.code : `ERROR_${e.kind.toUpperCase()}`)
  // Errors with no service code (the deadline, the network, a refused argument) keep
  // capbridge's own explanation rather than "An Unexpected Error".
  if (e.code === undefined || !BY_CODE.has(e.code)) error.message = inSolverTerms(e.message)
  error.kind = e.kind
  error.retryable = e.retryable
  error.retryAfter = e.retryAfter
  error.taskId = e.taskId
  return error
}

/**
 * capbridge's advice in what a Solver offers: a task whose solve passed its deadline is asked
 * for later with `result(taskId)`, a method the Solver lacks (as the original does: it polls
 * until the answer, with no deadline).
 */
function inSolverTerms(message) {
  return message.replace(
    'ask for it later with result(taskId)',
    "give solves more time (the Solver's timeoutMs option), or collect this one with capbridge's Client: client.wait(taskId)",
  )
}

// ---- the original's parameter rules -----------------------------------------------------------

/** Keyword spelling -> in.php field (its renameParams table). */
const RENAMES = {
  cols: 'recaptchacols', rows: 'recaptcharows', minClicks: 'min_clicks', maxClicks: 'max_clicks',
  canSkip: 'can_no_answer', previousId: 'previousID', imgType: 'img_type',
  userId: 's_s_c_user_id', sessionId: 's_s_c_session_id', webServerSign: 's_s_c_web_server_sign',
  webServerSign2: 's_s_c_web_server_sign2', miseryKey: 'misery_key', apiKey: 'api_key',
  appId: 'app_id', apiServer: 'api_server', challengeUrl: 'challenge_url',
  challengeJson: 'challenge_json', validateId: 'validate_id', userAgent: 'useragent',
  yidunGetLib: 'yidun_get_lib', yidunApiServerSubdomain: 'yidun_api_server_subdomain',
  sceneId: 'scene_id', verifyType: 'verify_type', userCertifyId: 'user_certify_id',
  apiGetLib: 'api_get_lib', tspdCookie: 'tspd_cookie', htmlPageBase64: 'html_page_base64',
}

function renameParams(params) {
  const out = {}
  for (const key in params) {
    out[Object.prototype.hasOwnProperty.call(RENAMES, key) ? RENAMES[key] : key] = params[key]
  }
  return out
}

/** The fields each method requires (after renaming where the original renames first). */
const REQUIRED = {
  userrecaptcha: ['pageurl', 'googlekey'], hcaptcha: ['pageurl', 'sitekey'],
  geetest: ['pageurl', 'gt', 'challenge'], geetest_v4: ['pageurl', 'captcha_id'],
  yandex: ['pageurl', 'sitekey'], funcaptcha: ['pageurl', 'publickey'],
  lemin: ['pageurl', 'div_id', 'captcha_id'], amazon_waf: ['pageurl', 'context', 'iv', 'sitekey'],
  turnstile: ['pageurl', 'sitekey'], base64: ['body'], capy: ['captchakey'],
  datadome: ['pageurl', 'captcha_url', 'userAgent', 'proxy', 'proxytype'],
  cybersiara: ['pageurl', 'master_url_id', 'userAgent'], mt_captcha: ['pageurl', 'sitekey'],
  bounding_box: ['image'], friendly_captcha: ['pageurl', 'sitekey'], grid: ['body'],
  textcaptcha: ['textcaptcha'], canvas: ['body'], rotatecaptcha: ['body'],
  keycaptcha: ['pageurl', 's_s_c_user_id', 's_s_c_session_id', 's_s_c_web_server_sign', 's_s_c_web_server_sign2'],
  cutcaptcha: ['pageurl', 'misery_key', 'api_key'], tencent: ['pageurl', 'app_id'],
  atb_captcha: ['pageurl', 'app_id', 'api_server'], prosopo: ['pageurl', 'sitekey'],
  captchafox: ['pageurl', 'sitekey', 'userAgent', 'proxy', 'proxytype'], vkimage: ['body', 'steps'],
  vkcaptcha: ['redirect_uri', 'userAgent', 'proxy', 'proxytype'], temu: ['body', 'part1', 'part2', 'part3'],
  altcha: ['pageurl'], binance: ['pageurl', 'sitekey', 'validate_id'], audio: ['body', 'lang'],
  yidun: ['pageurl', 'sitekey'], alibaba: ['pageurl', 'scene_id', 'prefix'],
  tspd: ['pageurl', 'tspd_cookie', 'html_page_base64', 'proxy', 'proxytype'],
  basilisk: ['pageurl', 'sitekey'], hunt: ['pageurl', 'api_get_lib'],
}
const NEEDS_INSTRUCTIONS = new Set(['bounding_box', 'grid', 'canvas'])

/** The original's check before anything is sent: a plain `Error` naming the missing field. */
function checkCaptchaParams(params, method) {
  if (!Object.prototype.hasOwnProperty.call(REQUIRED, method)) {
    throw new Error(`Error when check params captcha. \nNot found "${method}" method in the "supportedMethods" array. \nCheck if the method is written correctly `)
  }
  for (const field of REQUIRED[method]) {
    if (!Object.prototype.hasOwnProperty.call(params, field)) {
      throw new Error(`Error when check params captcha.\nNot found "${field}" field in the Object. Field "${field}" is required for "${method}" method. Please add field "${field}" in object and try again.\nPlease correct your code for the "${method}" method according to the code examples`)
    }
  }
  if (NEEDS_INSTRUCTIONS.has(method) && !('textinstructions' in params || 'imginstructions' in params)) {
    throw new Error(`Error when check params captcha.\nNot found "textinstructions" or "imginstructions" field in the Object. One of this field is required for "${method}" method. Please add field "textinstructions" or "imginstructions" to captcha parameters.`)
  }
  return true
}

// ---- the methods -------------------------------------------------------------------------------

// name -> [the check's method name, rename ('before' the check, 'after' it, or none), the fields
// the original adds (its `method` and flags), whether its defaults come last (overriding
// the caller's), as the original builds each payload].
const METHODS = {
  recaptcha: ['userrecaptcha', null, { method: 'userrecaptcha' }],
  hcaptcha: ['hcaptcha', null, { method: 'hcaptcha' }],
  geetest: ['geetest', null, { method: 'geetest' }],
  geetestV4: ['geetest_v4', null, { method: 'geetest_v4' }, true],
  yandexSmart: ['yandex', null, { method: 'yandex' }, true],
  imageCaptcha: ['base64', null, { method: 'base64' }],
  funCaptcha: ['funcaptcha', null, { method: 'funcaptcha' }],
  lemin: ['lemin', null, { method: 'lemin' }],
  amazonWaf: ['amazon_waf', null, { method: 'amazon_waf' }],
  cloudflareTurnstile: ['turnstile', null, { method: 'turnstile' }],
  coordinates: ['base64', null, { method: 'base64', coordinatescaptcha: 1 }],
  capyPuzzle: ['capy', null, { method: 'capy' }],
  dataDome: ['datadome', null, { method: 'datadome' }, true],
  cyberSiARA: ['cybersiara', null, { method: 'cybersiara' }],
  mtCaptcha: ['mt_captcha', null, { method: 'mt_captcha' }],
  cutCaptcha: ['cutcaptcha', 'before', { method: 'cutcaptcha' }],
  friendlyCaptcha: ['friendly_captcha', null, { method: 'friendly_captcha' }],
  boundingBox: ['bounding_box', null, { method: 'bounding_box' }],
  grid: ['grid', 'after', { method: 'base64', recaptcha: 1 }],
  text: ['textcaptcha', 'after', {}],
  canvas: ['canvas', 'after', { recaptcha: 1, canvas: 1, method: 'base64' }],
  rotate: ['rotatecaptcha', null, { method: 'rotatecaptcha' }],
  keyCaptcha: ['keycaptcha', 'before', { method: 'keycaptcha' }, true],
  tencent: ['tencent', 'before', { method: 'tencent' }],
  atbCaptcha: ['atb_captcha', 'before', { method: 'atb_captcha' }],
  prosopo: ['prosopo', null, { method: 'prosopo' }],
  captchaFox: ['captchafox', null, { method: 'captchafox' }],
  vkimage: ['vkimage', null, { method: 'vkimage' }],
  vkcaptcha: ['vkcaptcha', null, { method: 'vkcaptcha' }],
  temu: ['temu', null, { method: 'temuimage' }],
  altcha: ['altcha', 'before', { method: 'altcha' }],
  binance: ['binance', 'before', { method: 'binance' }],
  audio: ['audio', null, { method: 'audio' }],
  yidun: ['yidun', 'before', { method: 'yidun' }],
  alibaba: ['alibaba', 'before', { method: 'alibaba' }],
  tspd: ['tspd', 'before', { method: 'tspd' }],
  basilisk: ['basilisk', 'before', { method: 'basilisk' }],
  hunt: ['hunt', 'before', { method: 'hunt' }],
}

/** A `server` option as a capbridge provider (`2captcha.com` and `rucaptcha.com` are presets). */
function providerOf(server) {
  if (server === undefined || server === null) return { provider: '2captcha' }
  if (typeof server !== 'string' && !(server instanceof URL)) {
    throw new Error(`Solver options: server: expected text, such as 'rucaptcha.com' or 'http://127.0.0.1:8080/'; got ${described(server)}`)
  }
  const text = String(server).trim()
  const bare = text.toLowerCase().replace(/^https?:\/\//, '').replace(/\/+$/, '')
  if (bare === '2captcha.com' || bare === 'www.2captcha.com') return { provider: '2captcha' }
  if (bare === 'rucaptcha.com' || bare === 'www.rucaptcha.com') return { provider: 'rucaptcha' }
  if (text.includes('://') && !/^https?:\/\//i.test(text)) {
    throw new Error(
      `Solver options: server: ${JSON.stringify(text)} is not a service capbridge can reach: give ` +
        "'2captcha.com', 'rucaptcha.com' or a base URL starting with http:// or https://",
    )
  }
  let url = text.includes('://') ? text : 'https://' + text
  if (!url.endsWith('/')) url += '/'
  // A service of the same protocol: batch polls on (the engine falls back to single polls
  // when a service does not answer them).
  return { provider: url, batchPolling: true }
}

/** The client options of a Solver: its settings, its service, and what the original sends. */
function clientOptions(settings, provider, apikey, softId, headerAcao, debugDump = false) {
  // The service's defaults first (batch polls on for a base URL), so that the caller's own
  // `batchPolling: false` wins; what the Solver's arguments decide last.
  return {
    ...provider, ...settings, apiKey: String(apikey), softId: String(softId),
    jsonReplies: true, headerAcao, ...(debugDump ? { debugDump: true } : {}),
  }
}

/** The key the fourth argument is checked with: the original takes any key (and a later
 * `apikey` setter), and the first call reports a wrong one as the service's error. */
const CHECK_KEY = 'capbridge-compat-options-check'

/** Whether the original's `0`/`1` field is on. */
const on = (value) => String(value) === '1'

/**
 * Options the Solver's own arguments or the original's protocol decide, by their core
 * (snake_case) name, and what to do instead: given in the fourth argument, they would be
 * overridden, or change what the original sends.
 */
const DECIDED = {
  api_key: "is the Solver's first argument (apikey)",
  poll_interval: "is the Solver's second argument (pollingFrequency, in milliseconds)",
  poll_interval_ms: "is the Solver's second argument (pollingFrequency, in milliseconds)",
  header_acao: "is the Solver's third argument (enableACAO)",
  json_replies: 'is set by the Solver, as the original library sends it (json=1)',
  soft_id: 'is set by the Solver, as the original library sends it (soft_id=4587)',
  provider: "is given as server: '2captcha.com', 'rucaptcha.com' or a base URL",
  base_url: "is given as server: '2captcha.com', 'rucaptcha.com' or a base URL",
  protocol: 'is always the form protocol, the one the Solver speaks',
}

/** Client options that the Solver makes from `server`: an error about one is about it. */
const FROM_SERVER = new Set(['provider', 'baseUrl', 'protocol', 'batchPolling'])

/** A name as the core spells options (`pollIntervalMs` -> `poll_interval_ms`). */
function coreName(name) {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()
}

function described(value) {
  if (Array.isArray(value)) return 'an array'
  return value === null ? 'null' : `a ${typeof value}`
}

/**
 * The constructor's fourth argument, checked as `new Client` checks options, where it was
 * given: the Solver makes its client only at its first call, too late to say which argument
 * was wrong. Throws a plain `Error`, as the original does for bad parameters
 * (checkCaptchaParams), naming the option as the caller wrote it (`server`, never the
 * `provider` capbridge makes of it); capbridge's `CaptchaError` is its `cause`.
 */
function checkedOptions(options, headerAcao) {
  if (options === undefined || options === null) return {}
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new Error(
      "Solver options: the fourth argument is an object of capbridge's options, such as " +
        `{ server: 'rucaptcha.com', timeoutMs: 180000 }; got ${described(options)}`,
    )
  }
  const copy = Object.assign({}, options)
  for (const name of Object.keys(copy)) {
    const key = coreName(name)
    if (Object.prototype.hasOwnProperty.call(DECIDED, key)) {
      throw new Error(`Solver options: ${name}: ${DECIDED[key]}, not an option`)
    }
  }
  const { server, ...settings } = copy
  const provider = providerOf(server)
  try {
    native.__checkClientOptions(clientOptions(settings, provider, CHECK_KEY, SOFT_ID, headerAcao === 1))
  } catch (e) {
    if (!(e instanceof CaptchaError)) throw e
    let text = e.message.replace(/^usage: /, '')
    if (e.option !== undefined && FROM_SERVER.has(e.option) && text.startsWith(`${e.option}: `)) {
      text = `server: ${text.slice(e.option.length + 2)}`
    }
    throw new Error(`Solver options: ${text}`, { cause: e })
  }
  return copy
}

// Clients shared by every Solver of the process with the same service, key and settings, so
// that one engine spreads their submits and batches their polls.
const clients = new Map()
// Functions among the settings (`onEvent`) by identity: JSON drops them, and two Solvers
// with different handlers must not share a client.
const functionIds = new WeakMap()
let functionsSeen = 0
function settingsIdent(settings) {
  return JSON.stringify(settings, (_, v) => {
    if (typeof v !== 'function') return v
    if (!functionIds.has(v)) functionIds.set(v, ++functionsSeen)
    return `function#${functionIds.get(v)}`
  })
}

/**
 * @2captcha/captcha-solver's `Solver`, each solve run by capbridge's engine.
 *
 * `new Solver(apikey, pollingFrequency = 5000, enableACAO = true, options)`: the original's
 * arguments, and capbridge's `options` (`server`: `'2captcha.com'` (default),
 * `'rucaptcha.com'`, or a base URL such as a local emulator's; `timeoutMs`: each solve's
 * deadline, default the kind's documented one), checked here (`checkedOptions`).
 */
class Solver {
  constructor(apikey, pollingFrequency = 5000, enableACAO = true, options = {}) {
    this._apikey = apikey
    this._pollingFrequency = pollingFrequency
    this._headerACAO = enableACAO ? 1 : 0
    this._options = checkedOptions(options, this._headerACAO)
    noteDifferences()
  }

  get apikey() { return this._apikey }
  set apikey(update) { this._apikey = update }
  get pollingFrequency() { return this._pollingFrequency }

  /** What the original adds to every request. */
  get defaultPayload() {
    return { key: this.apikey, json: 1, header_acao: this._headerACAO, soft_id: SOFT_ID }
  }

  /** The shared client of this key, `soft_id`, `header_acao` and `debug_dump` (the call's,
   * else the defaults): the fields the client writes itself, so they choose the client. */
  _client(softId = SOFT_ID, headerAcao = this._headerACAO, debugDump = 0) {
    const { server, ...settings } = this._options
    const provider = providerOf(server)
    const [acao, dump] = [on(headerAcao), on(debugDump)]
    const ident = JSON.stringify([provider, String(this.apikey), String(softId), acao, dump, settingsIdent(settings)])
    let client = clients.get(ident)
    if (client === undefined) {
      client = new Client(clientOptions(settings, provider, this.apikey, softId, acao, dump))
      clients.set(ident, client)
    }
    return client
  }

  /** One method call: the original's checks and payload, then one capbridge solve. */
  async _call(name, params) {
    const [checked, rename, adds, defaultsLast] = METHODS[name]
    if (rename === 'before') params = renameParams(params)
    checkCaptchaParams(params, checked)
    if (rename === 'after') params = renameParams(params)
    const payload = defaultsLast
      ? { ...params, ...adds, ...this.defaultPayload }
      : { ...this.defaultPayload, ...params, ...adds }
    return this._solve(payload)
  }

  async _solve(payload) {
    // The key, `json`, `header_acao`, `debug_dump` and `soft_id` are the client's to send.
    const fields = { ...payload }
    for (const name of ['key', 'json', 'header_acao', 'debug_dump', 'soft_id']) delete fields[name]
    // capbridge takes 1 ms to 1 day; 0 (or nonsense) leaves the documented interval.
    const interval = Number(this.pollingFrequency)
    const solveOptions = interval > 0 ? { pollIntervalMs: Math.min(interval, 86_400_000) } : {}
    let solution
    try {
      const client = this._client(payload.soft_id, payload.header_acao, payload.debug_dump)
      const typed = taskOf(fields)
      if (typed !== undefined) {
        try {
          solution = await client.solve(typed, solveOptions)
        } catch (e) {
          if (!sendAsGiven(e)) throw e
        }
      }
      if (solution === undefined) solution = await client.solve(rawTaskOf(fields), solveOptions)
    } catch (e) {
      throw apiErrorOf(e)
    }
    return resultOf(solution)
  }

  async balance() {
    try {
      return parseFloat(await this._client().balance())
    } catch (e) {
      throw apiErrorOf(e)
    }
  }

  async goodReport(id) {
    try {
      await this._client().report(String(id), true)
    } catch (e) {
      throw apiErrorOf(e)
    }
    return 'OK_REPORT_RECORDED'
  }

  async badReport(id) {
    try {
      await this._client().report(String(id), false)
    } catch (e) {
      // The original accepts a repeated bad report.
      if (e instanceof CaptchaError && e.code === 'ERROR_DUPLICATE_REPORT') return 'ERROR_DUPLICATE_REPORT'
      throw apiErrorOf(e)
    }
    return 'OK_REPORT_RECORDED'
  }
}

for (const name of Object.keys(METHODS)) {
  Object.defineProperty(Solver.prototype, name, {
    value: { async [name](params) { return this._call(name, params) } }[name],
    writable: true,
    configurable: true,
  })
}

/**
 * Whether capbridge refused a typed task before sending anything (a field it reads
 * differently, a kind the provider does not list): the original would have sent the fields
 * and let the service answer, so the raw task does that.
 */
function sendAsGiven(e) {
  return e instanceof CaptchaError && e.taskId === undefined && e.code === undefined &&
    (e.kind === 'invalid_task' || (e.kind === 'usage' && e.option === undefined))
}

/** The original's result: the service's JSON reply, `request` as `data`, and the task id. */
function resultOf(solution) {
  const raw = solution.raw !== null && typeof solution.raw === 'object' && !Array.isArray(solution.raw)
    ? solution.raw
    : { status: 1, request: solution.answer }
  const result = { ...raw, data: raw.request !== undefined ? raw.request : solution.answer, id: solution.taskId }
  delete result.request
  return result
}

module.exports = { Solver, APIError }
