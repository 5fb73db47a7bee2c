/* eslint-disable */
// Types of `capbridge/compat/2captcha`: the API of @2captcha/captcha-solver (1.3.8) on
// capbridge's engine. Every parameter object takes the `in.php` fields the service documents
// under their wire names (the ones named below, and any other: `pingback`, `proxy` with
// `proxytype`, `soft_id`, ...); numbers may be given as numbers or text, as the service reads
// text either way.

import type { ClientSettings, ErrorKind } from '../index'

/** Fields every method takes besides its own. */
export interface CommonParams {
  /** A URL the service calls with the answer (polling stays on). */
  pingback?: string
  /** `login:password@host:port`, with `proxytype`. */
  proxy?: string
  /** `HTTP`, `HTTPS`, `SOCKS4` or `SOCKS5`. */
  proxytype?: string
  /** Any other field the service documents, sent as given. */
  [field: string]: unknown
}

type Num = number | string
type Flag = 0 | 1 | boolean | '0' | '1'

export interface paramsRecaptcha extends CommonParams {
  pageurl: string
  googlekey: string
  invisible?: Flag
  datas?: string
  domain?: string
  cookies?: string
  userAgent?: string
  action?: string
  enterprise?: Flag
  min_score?: Num
  version?: string
}
export interface paramsHCaptcha extends CommonParams {
  sitekey: string
  pageurl: string
  invisible?: Flag
  data?: string
  userAgent?: string
  domain?: string
}
export interface paramsFunCaptcha extends CommonParams {
  publickey: string
  pageurl: string
  surl?: string
  userAgent?: string
  data?: string
}
export interface paramsImageCaptcha extends CommonParams {
  /** The image as base64. */
  body: string
  phrase?: Flag
  regsense?: Flag
  numeric?: 0 | 1 | 2 | 3 | 4
  calc?: Flag
  min_len?: Num
  max_len?: Num
  language?: 0 | 1 | 2
  lang?: string
  textinstructions?: string
}
export interface paramsGeetest extends CommonParams {
  gt: string
  challenge: string
  pageurl: string
  api_server?: string
  offline?: Num | boolean
  new_captcha?: Num | boolean
  userAgent?: string
}
export interface yandexSmart extends CommonParams {
  pageurl: string
  sitekey: string
  userAgent?: string
}
export interface paramsGeeTestV4 extends CommonParams {
  pageurl: string
  captcha_id: string
  risk_type?: string
  userAgent?: string
}
export interface paramsLemin extends CommonParams {
  pageurl: string
  captcha_id: string
  div_id: string
  api_server?: string
}
export interface paramsAmazonWAF extends CommonParams {
  pageurl: string
  sitekey: string
  iv: string
  context: string
  challenge_script?: string
  captcha_script?: string
}
export interface paramsTurnstile extends CommonParams {
  pageurl: string
  sitekey: string
  action?: string
  data?: string
  pagedata?: string
  userAgent?: string
}
export interface paramsCapyPuzzle extends CommonParams {
  pageurl: string
  captchakey: string
  api_server?: string
  version?: string
}
export interface paramsCoordinates extends CommonParams {
  body: string
  language?: 0 | 1 | 2
  lang?: string
  textinstructions?: string
  imginstructions?: string
  min_clicks?: Num
  max_clicks?: Num
}
export interface paramsDataDome extends CommonParams {
  pageurl: string
  captcha_url: string
  userAgent: string
  proxy: string
  proxytype: string
}
export interface paramsCyberSiARA extends CommonParams {
  pageurl: string
  master_url_id: string
  userAgent: string
}
export interface paramsMTCaptcha extends CommonParams {
  pageurl: string
  sitekey: string
  userAgent?: string
}
export interface paramsCutcaptcha extends CommonParams {
  pageurl: string
  miseryKey: string
  apiKey: string
}
export interface friendlyCaptcha extends CommonParams {
  pageurl: string
  sitekey: string
}
export interface paramsBoundingBox extends CommonParams {
  image: string
  textinstructions?: string
  imginstructions?: string
}
export interface paramsGrid extends CommonParams {
  body: string
  rows?: Num
  cols?: Num
  minClicks?: Num
  maxClicks?: Num
  previousId?: string
  imgType?: string
  textinstructions?: string
  imginstructions?: string
  canSkip?: Num
  lang?: string
}
export interface paramsTextcaptcha extends CommonParams {
  textcaptcha: string
  lang?: string
}
export interface paramsRotateCaptcha extends CommonParams {
  body: string
  angle?: Num
  lang?: string
  textinstructions?: string
  imginstructions?: string
}
export interface paramsKeyCaptcha extends CommonParams {
  pageurl: string
  userId: string
  sessionId: string
  webServerSign: string
  webServerSign2: string
}
export interface paramsTencent extends CommonParams {
  pageurl: string
  appId: string
}
export interface paramsAtbCaptcha extends CommonParams {
  pageurl: string
  appId: string
  apiServer: string
}
export interface paramsProsopo extends CommonParams {
  pageurl: string
  sitekey: string
}
export interface paramsCaptchaFox extends CommonParams {
  pageurl: string
  sitekey: string
  userAgent: string
  proxy: string
  proxytype: string
  api_server?: string
}
export interface paramsVkImage extends CommonParams {
  body: string
  steps: string
}
export interface paramsVkCaptcha extends CommonParams {
  redirect_uri: string
  userAgent: string
  proxy: string
  proxytype: string
}
export interface paramsTemu extends CommonParams {
  body: string
  part1: string
  part2: string
  part3: string
}
export interface paramsAltcha extends CommonParams {
  pageurl: string
  challengeUrl?: string
  challengeJson?: string
}
export interface paramsBinance extends CommonParams {
  pageurl: string
  sitekey: string
  validateId: string
  userAgent?: string
}
export interface paramsAudioCaptcha extends CommonParams {
  /** The mp3 as base64. */
  body: string
  /** en, ru, de, el, pt or fr. */
  lang: string
}
export interface paramsYidun extends CommonParams {
  pageurl: string
  sitekey: string
  userAgent?: string
  yidunGetLib?: string
  yidunApiServerSubdomain?: string
  challenge?: string
  hcg?: string
  hct?: Num
}
export interface paramsAlibaba extends CommonParams {
  pageurl: string
  sceneId: string
  prefix: string
  user_id?: string
  user_user_id?: string
  verifyType?: string
  region?: string
  userCertifyId?: string
  apiGetLib?: string
  userAgent?: string
}
export interface paramsTspd extends CommonParams {
  pageurl: string
  tspdCookie: string
  htmlPageBase64: string
  proxy: string
  proxytype: string
  userAgent?: string
}
export interface paramsBasilisk extends CommonParams {
  pageurl: string
  sitekey: string
  userAgent?: string
}
export interface paramsHunt extends CommonParams {
  pageurl: string
  apiGetLib: string
  data?: string
  userAgent?: string
}

/**
 * A solved captcha, as the original returns it: the service's JSON reply with `request` as
 * `data`, and the task id. `data` is the token or text (an object for GeeTest's values);
 * fields such as `useragent` come along when the engine polled the task alone.
 */
export interface CaptchaAnswer {
  data: string
  id: string
  status?: number
  [field: string]: unknown
}

/**
 * Options capbridge adds as the constructor's fourth argument: another server, and any
 * client setting but those the original's arguments and protocol decide (the poll interval
 * is `pollingFrequency`). `providers` adds fallbacks after the server, with their own keys.
 */
export interface SolverOptions
  extends Partial<Omit<ClientSettings, 'pollIntervalMs' | 'jsonReplies' | 'headerAcao' | 'softId'>> {
  /** `'2captcha.com'` (default), `'rucaptcha.com'`, or a base URL (`'http://127.0.0.1:8080/'`). */
  server?: string
}

/**
 * The original's error: `err` is the service's code, `code` its number, `message` the
 * original's text. A failure with no service code has `ERROR_` and capbridge's kind as `err`
 * (`'ERROR_TIMEOUT'`, `'ERROR_NETWORK'`), code 0 and capbridge's explanation. capbridge adds
 * `kind`, `retryable`, `retryAfter` (ms) and `taskId`.
 */
export declare class APIError extends Error {
  constructor(err: string)
  err: string
  code: number
  kind: ErrorKind | undefined
  retryable: boolean
  retryAfter: number | undefined
  taskId: string | undefined
}

/** @2captcha/captcha-solver's `Solver`, each solve run by capbridge's engine. */
export declare class Solver {
  /**
   * @param apikey the account's API key
   * @param pollingFrequency milliseconds between polls (default 5000)
   * @param enableACAO send `header_acao=1` (default true)
   * @param options capbridge's additions: another server, a deadline per solve
   */
  constructor(apikey: string, pollingFrequency?: number, enableACAO?: boolean, options?: SolverOptions)
  _apikey: string
  _pollingFrequency: number
  _headerACAO: number
  get apikey(): string
  set apikey(update: string)
  get pollingFrequency(): number
  balance(): Promise<number>
  recaptcha(params: paramsRecaptcha): Promise<CaptchaAnswer>
  hcaptcha(params: paramsHCaptcha): Promise<CaptchaAnswer>
  geetest(params: paramsGeetest): Promise<CaptchaAnswer>
  geetestV4(params: paramsGeeTestV4): Promise<CaptchaAnswer>
  yandexSmart(params: yandexSmart): Promise<CaptchaAnswer>
  imageCaptcha(params: paramsImageCaptcha): Promise<CaptchaAnswer>
  funCaptcha(params: paramsFunCaptcha): Promise<CaptchaAnswer>
  lemin(params: paramsLemin): Promise<CaptchaAnswer>
  amazonWaf(params: paramsAmazonWAF): Promise<CaptchaAnswer>
  cloudflareTurnstile(params: paramsTurnstile): Promise<CaptchaAnswer>
  coordinates(params: paramsCoordinates): Promise<CaptchaAnswer>
  capyPuzzle(params: paramsCapyPuzzle): Promise<CaptchaAnswer>
  dataDome(params: paramsDataDome): Promise<CaptchaAnswer>
  cyberSiARA(params: paramsCyberSiARA): Promise<CaptchaAnswer>
  mtCaptcha(params: paramsMTCaptcha): Promise<CaptchaAnswer>
  cutCaptcha(params: paramsCutcaptcha): Promise<CaptchaAnswer>
  friendlyCaptcha(params: friendlyCaptcha): Promise<CaptchaAnswer>
  boundingBox(params: paramsBoundingBox): Promise<CaptchaAnswer>
  grid(params: paramsGrid): Promise<CaptchaAnswer>
  text(params: paramsTextcaptcha): Promise<CaptchaAnswer>
  canvas(params: paramsGrid): Promise<CaptchaAnswer>
  rotate(params: paramsRotateCaptcha): Promise<CaptchaAnswer>
  keyCaptcha(params: paramsKeyCaptcha): Promise<CaptchaAnswer>
  tencent(params: paramsTencent): Promise<CaptchaAnswer>
  atbCaptcha(params: paramsAtbCaptcha): Promise<CaptchaAnswer>
  prosopo(params: paramsProsopo): Promise<CaptchaAnswer>
  captchaFox(params: paramsCaptchaFox): Promise<CaptchaAnswer>
  vkimage(params: paramsVkImage): Promise<CaptchaAnswer>
  vkcaptcha(params: paramsVkCaptcha): Promise<CaptchaAnswer>
  temu(params: paramsTemu): Promise<CaptchaAnswer>
  altcha(params: paramsAltcha): Promise<CaptchaAnswer>
  binance(params: paramsBinance): Promise<CaptchaAnswer>
  audio(params: paramsAudioCaptcha): Promise<CaptchaAnswer>
  yidun(params: paramsYidun): Promise<CaptchaAnswer>
  alibaba(params: paramsAlibaba): Promise<CaptchaAnswer>
  tspd(params: paramsTspd): Promise<CaptchaAnswer>
  basilisk(params: paramsBasilisk): Promise<CaptchaAnswer>
  hunt(params: paramsHunt): Promise<CaptchaAnswer>
  goodReport(id: string): Promise<void>
  badReport(id: string): Promise<void>
}
