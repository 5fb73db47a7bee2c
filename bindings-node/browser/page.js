// capbridge's in-page helper: the one detector and injector of captcha widgets, shared by the
// Python (`capbridge.browser`) and Node (`capbridge/browser`) helpers, which run it in every
// frame of a page. This file is the canonical copy; the wheel and the npm package ship
// identical copies (tests/run-browser fails when they differ).
//
// It finds reCAPTCHA v2 (checkbox and invisible), v3 and Enterprise, hCaptcha and Turnstile by
// the markers the vendors' own widgets leave (the iframe's URL and the site key in it,
// `___grecaptcha_cfg.clients`, `.g-recaptcha`, `.h-captcha`, `.cf-turnstile`, the response
// fields), writes a token into the widget's response field and calls the widget's callback.
// Added as an init script by `prepare`, which then calls `installHooks()`, it also wraps
// `grecaptcha.render` / `execute`, `hcaptcha.render` / `execute` and `turnstile.render` before
// the page's scripts run, to learn what only they see (the callback function, Turnstile's
// `action`, `cData` and `chlPageData`) and to hold v3's `execute(sitekey, { action })` promise
// until a solved token resolves it. A held execute never hangs the page: one that no scan has
// taken up within `executeHoldMs` (default 60 s), or whose solve has not come within its
// call's claim (at most 10 minutes) of being taken up, gets the vendor's own execute (a failed
// solve gives it back to the first wait); and a v3 token solved from the badge answers the
// page's execute for that site key and action, made before the token came or after (one
// solve, not two). A page the helper is merely run in (no `prepare`) keeps its widgets'
// functions untouched, but for v3's `execute`: a scan that reports v3 found by its badge wraps
// `grecaptcha.execute` (and `grecaptcha.enterprise.execute`) where they are then, so that the
// page's next execute gets the token solved from the badge (one made before went to the
// vendor). Such an execute waits only for a badge solve under way; any other goes to the
// vendor's at once. `apply` says whether the page's execute can be reached at all.
//
// Each scan claims what it reports for the calling solve (`opts.claim`, for `opts.claimMs`):
// another call's scan skips a claimed widget until the claim ends (the call applied or
// released it, or `claimMs` passed: a call that died), so that concurrent calls on one page
// never solve the same widget twice.
//
// The page never sees the API key: solving happens in the automation process, and the page
// only receives tokens.
//
// The whole file is one expression, so that it can be evaluated as is (Playwright and
// Puppeteer evaluate a string as an expression) and added as an init script.
(function () {
  'use strict'
  var NAME = '__capbridgeBrowser'
  var VERSION = 1
  var w = window
  var existing = w[NAME]
  if (existing && existing.version === VERSION) return

  /** Most render and execute calls remembered (a page that renders in a loop stays bounded). */
  var MAX_RECORDS = 500
  /** Most elements walked looking for open shadow roots. */
  var MAX_ELEMENTS = 50000
  /** How long a held v3 execute waits for a scan to take it up (prepare's `executeHoldMs`)
   * before the vendor's own execute answers it. */
  var EXECUTE_HOLD_MS = 60000
  /** How long a held execute a scan took up waits for its token at most. */
  var CLAIMED_HOLD_MS = 600000
  /** Longest claim a scan makes (a call's timeout plus its margin); longer ones are cut. */
  var MAX_CLAIM_MS = 86400000
  /** A v3 token is accepted for two minutes after it was made; one written here more than
   * 100 s ago (leaving the page time to send it) is not handed to an execute. */
  var V3_TOKEN_FRESH_MS = 100000

  var state = {
    /** prepare's hooks are in place (render and execute, from before the page's scripts). */
    hooked: false,
    /** Only v3's execute is hooked, by a scan that found v3 on a page prepare did not hook. */
    v3Hooked: false,
    /** { vendor, enterprise, container, params, widgetId } per render call. */
    renders: [],
    /** Pending v3 executes: { sitekey, action, enterprise, resolve, done, until, fallback }. */
    executes: [],
    executeHoldMs: EXECUTE_HOLD_MS,
    /** v3 tokens solved from a badge before any execute asked: { sitekey, action, token, at }. */
    v3Tokens: [],
    /** Pending hCaptcha `execute(id, { async: true })` or `execute({ async: true })`:
     * { widgetId, resolve, done }. */
    hExecutes: [],
    /** Every widget a scan reported, by its `ref` (the latest MAX_RECORDS * 4). */
    widgets: new Map(),
    nextRef: 0,
    /** Elements (containers, iframes) of widgets this helper filled, and the token given. */
    solved: new WeakMap(),
    /** Elements of the Turnstile widgets a scan reported as rendered by a call nobody saw
     * (`renderUnseen`): each is reported so once, for the caller to warn once per widget. */
    unseenTold: new WeakSet(),
    /** Each widget element a call's scan claimed, and its claim
     * ({ id, until, released, sitekey, action, covers }): another call's scan skips it while the
     * claim lives (until the call applies or releases it, or `until` passes). A held execute's
     * claim is on the execute itself (`e.claim`). */
    claims: new WeakMap(),
    /** The claims of v3 badges being solved: a page's execute for that site key and action made
     * meanwhile waits for the badge's token (`claim.covers`) rather than being solved again. */
    v3Claims: [],
  }

  // ---- small helpers ----------------------------------------------------------------------

  function push(list, item) {
    list.push(item)
    if (list.length > MAX_RECORDS) list.splice(0, list.length - MAX_RECORDS)
  }

  function isElement(x) {
    return !!x && typeof x === 'object' && x.nodeType === 1 && typeof x.tagName === 'string'
  }

  /** The parent of a node, crossing from a shadow root to its host. */
  function up(node) {
    var p = node.parentNode
    if (p && p.nodeType === 11 && p.host) return p.host
    return node.parentElement
  }

  /** Whether `inner` is `outer` or inside it, shadow roots included. */
  function within(outer, inner) {
    for (var n = inner, i = 0; n && i < 200; n = up(n), i++) if (n === outer) return true
    return false
  }

  /** The document and every open shadow root in it. */
  function roots() {
    var out = [document]
    for (var k = 0; k < out.length; k++) {
      var all = out[k].querySelectorAll('*')
      for (var i = 0; i < all.length && i < MAX_ELEMENTS; i++) {
        if (all[i].shadowRoot) out.push(all[i].shadowRoot)
      }
    }
    return out
  }

  function query(rootList, selector) {
    var out = []
    for (var i = 0; i < rootList.length; i++) {
      var found = rootList[i].querySelectorAll(selector)
      for (var j = 0; j < found.length; j++) out.push(found[j])
    }
    return out
  }

  function elementOf(container, vendor) {
    if (isElement(container)) return container
    if (typeof container !== 'string') return null
    try {
      return vendor === 'turnstile' ? document.querySelector(container) : document.getElementById(container)
    } catch (e) {
      return null
    }
  }

  /** A callback given as a function or as the name of a global one (dots allowed). */
  function callbackOf(cb) {
    if (typeof cb === 'function') return cb
    if (typeof cb !== 'string' || !cb) return null
    var obj = w
    var parts = cb.split('.')
    for (var i = 0; i < parts.length && obj != null; i++) obj = obj[parts[i]]
    return typeof obj === 'function' ? obj : null
  }

  function text(v) {
    return typeof v === 'string' && v ? v : null
  }

  function visible(el) {
    if (!el || !el.isConnected || !el.getClientRects().length) return false
    var r = el.getBoundingClientRect()
    if (r.width < 2 || r.height < 2) return false
    var s = w.getComputedStyle(el)
    return s.visibility !== 'hidden' && s.opacity !== '0'
  }

  var SITEKEY_TURNSTILE = /^[0-3]x[A-Za-z0-9_-]{8,}$/

  /** What a widget iframe's URL says: vendor, site key, size; null for other frames. */
  function frameInfo(url) {
    var u
    try {
      u = new URL(url, location.href)
    } catch (e) {
      return null
    }
    var path = u.pathname
    var m = /\/recaptcha\/(api2|enterprise)\/anchor$/.exec(path)
    if (m) {
      var k = u.searchParams.get('k')
      return k ? { vendor: 'recaptcha', sitekey: k, enterprise: m[1] === 'enterprise', invisible: u.searchParams.get('size') === 'invisible', href: u.href } : null
    }
    if (/hcaptcha/i.test(u.hostname + path)) {
      var h = new URLSearchParams(u.hash.replace(/^#/, ''))
      var key = h.get('sitekey') || u.searchParams.get('sitekey')
      var frame = h.get('frame') || u.searchParams.get('frame') || 'checkbox'
      if (!key || frame.indexOf('checkbox') !== 0) return null
      var size = h.get('size') || u.searchParams.get('size')
      return { vendor: 'hcaptcha', sitekey: key, invisible: size === 'invisible' || frame === 'checkbox-invisible', widgetId: h.get('id'), href: u.href }
    }
    if (path.indexOf('/turnstile/if/') >= 0) {
      var segs = path.split('/')
      for (var i = 0; i < segs.length; i++) {
        var s = decodeURIComponent(segs[i])
        if (SITEKEY_TURNSTILE.test(s)) return { vendor: 'turnstile', sitekey: s, shortId: i > 0 ? segs[i - 1] : null, href: u.href }
      }
    }
    return null
  }

  var FIELDS = {
    recaptcha: 'textarea[name="g-recaptcha-response"]',
    hcaptcha: 'textarea[name="h-captcha-response"], textarea[name="g-recaptcha-response"]',
    turnstile: 'input[name="cf-turnstile-response"], input[id^="cf-chl-widget-"][id$="_response"]',
  }

  function fieldsIn(el, vendor) {
    if (!el || !el.querySelectorAll) return []
    return Array.prototype.slice.call(el.querySelectorAll(FIELDS[vendor]))
  }

  /** The widget's container: the nearest ancestor of its iframe holding a response field. */
  function containerOf(frame, vendor) {
    for (var el = up(frame), i = 0; el && i < 8; el = up(el), i++) {
      if (fieldsIn(el, vendor).length) return el
    }
    return up(frame)
  }

  // ---- hooks (prepare) --------------------------------------------------------------------

  var hookedMethods = new WeakMap()
  /** The functions this helper made in place of a page's (`hook`'s wrappers). */
  var ours = new WeakSet()
  /** obj -> { name: [onValue, ...] }: what `watch` calls when `obj[name]` is assigned. */
  var watchers = new WeakMap()

  /** Calls `onValue` with the value of `obj[name]` now and whenever it is assigned. */
  function watch(obj, name, onValue) {
    var value = obj[name]
    if (value && (typeof value === 'object' || typeof value === 'function')) onValue(value)
    var all = watchers.get(obj)
    if (!all) watchers.set(obj, (all = {}))
    if (all[name]) return void all[name].push(onValue)
    var d = Object.getOwnPropertyDescriptor(obj, name)
    if (d && (!d.configurable || d.get || d.set)) return
    var listeners = (all[name] = [onValue])
    try {
      Object.defineProperty(obj, name, {
        configurable: true,
        enumerable: true,
        get: function () {
          return value
        },
        set: function (v) {
          value = v
          if (v && (typeof v === 'object' || typeof v === 'function')) listeners.slice().forEach(function (fn) { fn(v) })
        },
      })
    } catch (e) {}
  }

  /** Wraps `obj[name]` (now and whenever it is reassigned) with `wrap(impl)`. */
  function hook(obj, name, wrap) {
    var done = hookedMethods.get(obj)
    if (!done) hookedMethods.set(obj, (done = {}))
    if (done[name]) return
    var d = Object.getOwnPropertyDescriptor(obj, name)
    if (d && (!d.configurable || d.get || d.set)) return
    var impl = obj[name]
    var wrapped = typeof impl === 'function' ? ourOwn(wrap(impl)) : impl
    var get = function () {
      return wrapped
    }
    done[name] = get
    try {
      Object.defineProperty(obj, name, {
        configurable: true,
        enumerable: true,
        get: get,
        set: function (v) {
          impl = v
          wrapped = typeof v === 'function' ? ourOwn(wrap(v)) : v
        },
      })
    } catch (e) {}
  }

  function ourOwn(fn) {
    ours.add(fn)
    return fn
  }

  /** Whether `obj.name` is this helper's wrapper now (or will be once the page's script
   * assigns it): what the page calls there reaches the helper. */
  function isHooked(obj, name) {
    try {
      if (!obj || (typeof obj !== 'object' && typeof obj !== 'function')) return false
      var f = obj[name]
      if (typeof f === 'function') return ours.has(f)
      var done = hookedMethods.get(obj)
      var d = Object.getOwnPropertyDescriptor(obj, name)
      return !!(done && done[name] && d && d.get === done[name])
    } catch (e) {
      return false
    }
  }

  function wrapRender(vendor, enterprise) {
    return function (impl) {
      return function (container, params) {
        var id = impl.apply(this, arguments)
        push(state.renders, {
          vendor: vendor,
          enterprise: enterprise,
          container: elementOf(container, vendor),
          params: params && typeof params === 'object' ? params : {},
          widgetId: id,
        })
        return id
      }
    }
  }

  /** The site key of the widget `execute(widgetId, { action })` names: from the render call
   * prepare saw, else from reCAPTCHA's registry. */
  function sitekeyOfWidget(id) {
    for (var i = state.renders.length - 1; i >= 0; i--) {
      var r = state.renders[i]
      if (r.vendor === 'recaptcha' && r.widgetId === (id == null ? r.widgetId : id)) return text(r.params.sitekey)
    }
    try {
      var cfg = w.___grecaptcha_cfg
      var clients = cfg && typeof cfg === 'object' && cfg.clients && typeof cfg.clients === 'object' ? cfg.clients : null
      if (!clients) return null
      var key = id == null ? Object.keys(clients)[0] : String(id)
      var c = key != null && Object.prototype.hasOwnProperty.call(clients, key) ? walkClient(clients[key]) : null
      return c && c.options ? text(c.options.sitekey) : null
    } catch (e) {
      return null
    }
  }

  /**
   * v3's `execute(sitekey, { action })` (or `execute(widgetId, { action })`): a token solved
   * from the badge for it answers at once; one a call is solving from the badge answers it
   * when it comes; else, with prepare's hooks, the execute is held until a scan takes it up
   * (or its hold passes). Hooked by a scan instead (no prepare), an execute nothing is solving
   * for goes to the vendor's own at once: the page waits only for a token on its way.
   */
  function wrapExecute(enterprise) {
    return function (impl) {
      return function (a, b) {
        var opts = b && typeof b === 'object' ? b : null
        var sitekey = null
        if (typeof a === 'string') sitekey = a
        else if (opts && 'action' in opts) sitekey = sitekeyOfWidget(a) // v3 rendered explicitly
        if (!sitekey) return impl.apply(this, arguments)
        var action = opts ? text(opts.action) : null
        var ready = takeV3Token(sitekey, action)
        if (ready !== null) return Promise.resolve(ready)
        var coming = badgeSolveFor(sitekey, action)
        if (!state.hooked && !coming) return impl.apply(this, arguments)
        var self = this
        var args = arguments
        return new Promise(function (resolve, reject) {
          var e = { sitekey: sitekey, action: action, enterprise: enterprise, resolve: resolve, done: false, until: Date.now() + (state.hooked ? state.executeHoldMs : 0), claim: null, coveredBy: null }
          e.fallback = function () {
            if (e.done) return
            e.done = true
            try {
              resolve(impl.apply(self, args))
            } catch (err) {
              reject(err)
            }
          }
          if (coming) {
            coming.covers = e
            e.coveredBy = coming
            e.until = Math.max(e.until, Math.min(coming.until, Date.now() + CLAIMED_HOLD_MS))
          }
          push(state.executes, e)
          holdUntil(e)
        })
      }
    }
  }

  function live(claim) {
    return !!claim && !claim.released && Date.now() < claim.until
  }

  /** The claim of a badge solve under way whose token would answer an execute for this site
   * key and action, and that answers no other execute yet; else null. */
  function badgeSolveFor(sitekey, action) {
    for (var i = 0; i < state.v3Claims.length; i++) {
      var c = state.v3Claims[i]
      if (live(c) && (!c.covers || c.covers.done) && c.sitekey === sitekey && (action === null || c.action === action)) return c
    }
    return null
  }

  /** A claim ends: its widget was solved (`apply`), or its call gave it up (`release`). An
   * execute waiting for the badge's token it gave up goes back to waiting for a scan (prepare's
   * hold), or without prepare to the vendor's own execute at once. */
  function endClaim(c, solved) {
    if (!c || c.released) return
    c.released = true
    var e = c.covers
    if (solved || !e || e.done) return
    e.coveredBy = null
    if (!state.hooked) return void e.fallback()
    e.until = Date.now() + state.executeHoldMs
    holdUntil(e)
  }

  /** Hands a held execute to the vendor's own once its hold has passed (a scan that takes it
   * up moves `until` on). */
  function holdUntil(e) {
    var wait = Math.max(0, e.until - Date.now())
    setTimeout(function () {
      if (e.done) return
      if (Date.now() < e.until) return void holdUntil(e)
      e.fallback()
    }, Math.min(wait, 2147483647))
  }

  /** A fresh token solved from the badge for this site key and action (any action when the
   * page gave none), taken so that it is used once; else null. */
  function takeV3Token(sitekey, action) {
    var now = Date.now()
    for (var i = 0; i < state.v3Tokens.length; i++) {
      var t = state.v3Tokens[i]
      if (t.sitekey === sitekey && (action === null || t.action === action) && now - t.at < V3_TOKEN_FRESH_MS) {
        state.v3Tokens.splice(i, 1)
        return t.token
      }
    }
    return null
  }

  function wrapHExecute(impl) {
    return function (id, opts) {
      // `execute({ async: true })` is the options alone, for the first widget.
      if (id && typeof id === 'object' && opts === undefined) {
        opts = id
        id = null
      }
      if (!(opts && typeof opts === 'object' && opts.async)) return impl.apply(this, arguments)
      return new Promise(function (resolve) {
        push(state.hExecutes, { widgetId: id == null ? null : id, resolve: resolve, done: false })
      })
    }
  }

  function installHooks(opts) {
    if (state.hooked) return
    state.hooked = true
    var hold = opts && Number(opts.executeHoldMs)
    if (hold >= 0 && hold <= CLAIMED_HOLD_MS) state.executeHoldMs = hold
    watch(w, 'grecaptcha', function (g) {
      hook(g, 'render', wrapRender('recaptcha', false))
      hook(g, 'execute', wrapExecute(false))
      watch(g, 'enterprise', function (e) {
        hook(e, 'render', wrapRender('recaptcha', true))
        hook(e, 'execute', wrapExecute(true))
      })
    })
    watch(w, 'hcaptcha', function (h) {
      hook(h, 'render', wrapRender('hcaptcha', false))
      hook(h, 'execute', wrapHExecute)
    })
    watch(w, 'turnstile', function (t) {
      hook(t, 'render', wrapRender('turnstile', false))
    })
  }

  /** What a scan installs on finding v3 in a document prepare did not hook: v3's execute only
   * (`grecaptcha.execute`, `grecaptcha.enterprise.execute`), wrapped where it is now, so that
   * the page's later executes get the tokens solved from the badge. An execute the page made
   * before went to the vendor; a function the page took from `grecaptcha` earlier stays the
   * vendor's. Every other widget function stays untouched. */
  function installV3Hooks() {
    if (state.hooked || state.v3Hooked) return
    state.v3Hooked = true
    try {
      watch(w, 'grecaptcha', function (g) {
        hook(g, 'execute', wrapExecute(false))
        watch(g, 'enterprise', function (e) {
          hook(e, 'execute', wrapExecute(true))
        })
      })
    } catch (e) {}
  }

  /** Whether the page's next v3 execute reaches this helper: where the page calls it now
   * (`grecaptcha.execute`, or `grecaptcha.enterprise.execute` for Enterprise) is hooked. */
  function executeHooked(enterprise) {
    try {
      var g = w.grecaptcha
      return isHooked(enterprise ? g && g.enterprise : g, 'execute')
    } catch (e) {
      return false
    }
  }

  // ---- scan -------------------------------------------------------------------------------

  /** The elements and the options object of one `___grecaptcha_cfg` client. */
  function walkClient(client) {
    var elements = []
    var options = null
    var seen = new Set()
    var stack = [[client, 0]]
    var budget = 2000
    while (stack.length && budget-- > 0) {
      var top = stack.pop()
      var obj = top[0]
      if (!obj || typeof obj !== 'object' || seen.has(obj) || obj === w || obj === document) continue
      seen.add(obj)
      if (isElement(obj)) {
        elements.push(obj)
        continue
      }
      if (!options && typeof obj.sitekey === 'string') options = obj
      if (top[1] >= 5) continue
      var keys
      try {
        keys = Object.keys(obj)
      } catch (e) {
        continue
      }
      for (var i = 0; i < keys.length && i < 200; i++) {
        var v
        try {
          v = obj[keys[i]]
        } catch (e) {
          continue
        }
        if (v && typeof v === 'object') stack.push([v, top[1] + 1])
      }
    }
    return { elements: elements, options: options }
  }

  /**
   * Finds the widgets to solve. `opts`: `kinds`, `visibleOnly`, `action` (v3's default),
   * `childUrls` (the frame's child frames' URLs), and `claim` (the calling solve's id) with
   * `claimMs`: each widget reported is claimed for that call for `claimMs` (until it applies
   * or releases it), and a widget another call claimed is not reported. A Turnstile record's
   * `renderUnseen` is true the first time it is reported rendered by a call nobody saw
   * (`renderUnseen()`), for the caller to warn.
   */
  function scan(opts) {
    opts = opts || {}
    var defaultAction = text(opts.action) || 'verify'
    var claimId = text(opts.claim)
    var claimMs = Number(opts.claimMs)
    if (!(claimMs > 0)) claimId = null
    else claimMs = Math.min(claimMs, MAX_CLAIM_MS)
    var rootList = roots()
    var found = []
    var byFrame = new Map()

    function add(r) {
      r.hosts = r.hosts || []
      r.fields = r.fields || []
      found.push(r)
      return r
    }
    function owner(el, vendor) {
      for (var i = 0; i < found.length; i++) {
        var r = found[i]
        if (vendor && r.vendor !== vendor) continue
        if (r.container === el || r.hosts.indexOf(el) >= 0 || (r.frame && within(el, r.frame))) return r
      }
      return null
    }
    function fromFrame(frame, info) {
      if (byFrame.has(frame)) return byFrame.get(frame)
      var container = containerOf(frame, info.vendor)
      var r = add({
        vendor: info.vendor,
        sitekey: info.sitekey,
        enterprise: !!info.enterprise,
        invisible: !!info.invisible,
        frame: frame,
        container: container,
        fields: fieldsIn(container, info.vendor),
        hcaptchaId: info.widgetId || (frame.getAttribute && frame.getAttribute('data-hcaptcha-widget-id')) || null,
      })
      byFrame.set(frame, r)
      return r
    }

    // 1. The widgets' iframes, by their URLs.
    var frames = query(rootList, 'iframe')
    var frameHrefs = new Set()
    for (var i = 0; i < frames.length; i++) {
      var info = frameInfo(frames[i].src)
      if (!info) continue
      frameHrefs.add(info.href)
      fromFrame(frames[i], info)
    }

    // 2. reCAPTCHA's own registry: the callback and options given to render, and the elements.
    var cfg = w.___grecaptcha_cfg
    var clients = cfg && typeof cfg === 'object' && cfg.clients && typeof cfg.clients === 'object' ? cfg.clients : {}
    Object.keys(clients).forEach(function (id) {
      var c = walkClient(clients[id])
      if (!c.options) return
      var r = null
      for (var j = 0; j < c.elements.length && !r; j++) r = owner(c.elements[j], 'recaptcha')
      if (!r) return
      r.hosts = r.hosts.concat(c.elements)
      r.cfgOptions = c.options
      if (!r.callback && c.options.callback) r.callback = c.options.callback
      if (!r.action && text(c.options.action)) r.action = c.options.action
      if (c.options.size === 'invisible') r.invisible = true
      // reCAPTCHA numbers v2 widgets from 0 and the client it renders for v3's
      // `render=SITEKEY` 100000 (anything from 10000 is taken for v3): v3 even when the
      // loader's tag is gone or `prepare` saw nothing.
      if (Number(id) >= 10000) {
        r.invisible = true
        r.v3 = true
      }
    })

    // 3. Elements marked up for implicit rendering (before or after the API rendered them).
    var marked = [
      ['recaptcha', '.g-recaptcha[data-sitekey]'],
      ['hcaptcha', '.h-captcha[data-sitekey]'],
      ['turnstile', '.cf-turnstile[data-sitekey]'],
    ]
    marked.forEach(function (pair) {
      query(rootList, pair[1]).forEach(function (el) {
        // A widget bound to a button renders its badge next to it: the registry links the two.
        var r = owner(el, pair[0])
        var bound = el.tagName === 'BUTTON' || el.tagName === 'INPUT'
        if (!r) {
          r = add({ vendor: pair[0], sitekey: el.getAttribute('data-sitekey'), container: el, fields: fieldsIn(el, pair[0]) })
          if (pair[0] === 'recaptcha' && bound) r.invisible = true
        }
        if (r.hosts.indexOf(el) < 0) r.hosts.push(el)
        // What the vendor's implicit render reads (callback, action, cData) is read here too.
        r.markup = true
        if (!r.callback && el.getAttribute('data-callback')) r.callback = el.getAttribute('data-callback')
        if (!r.action && el.getAttribute('data-action')) r.action = el.getAttribute('data-action')
        if (!r.cdata && el.getAttribute('data-cdata')) r.cdata = el.getAttribute('data-cdata')
        if (el.getAttribute('data-size') === 'invisible') r.invisible = true
      })
    })

    // 4. What the hooked render calls saw (prepare): the callback function and every option.
    state.renders.forEach(function (rec) {
      if (!rec.container || !rec.container.isConnected) return
      var r = owner(rec.container, null)
      var p = rec.params
      if (!r) {
        if (!text(p.sitekey)) return
        r = add({ vendor: rec.vendor, sitekey: p.sitekey, container: rec.container, fields: fieldsIn(rec.container, rec.vendor) })
      }
      if (r.hosts.indexOf(rec.container) < 0) r.hosts.push(rec.container)
      if (!r.sitekey && text(p.sitekey)) r.sitekey = p.sitekey
      if (p.callback) r.callback = p.callback
      if (text(p.action)) r.action = p.action
      if (text(p.cData)) r.cdata = p.cData
      if (text(p.chlPageData)) r.pageData = p.chlPageData
      if (p.size === 'invisible') r.invisible = true
      if (rec.enterprise) r.enterprise = true
      if (rec.vendor === 'hcaptcha' && rec.widgetId != null) r.hcaptchaId = rec.widgetId
    })

    // 5. Turnstile fields whose iframe sits in a closed shadow root: the child frames' URLs
    //    hold the site key and the widget's short id (`cf-chl-widget-SHORT_response`).
    var children = Array.isArray(opts.childUrls) ? opts.childUrls : []
    children.forEach(function (url) {
      var info = frameInfo(url)
      if (!info || frameHrefs.has(info.href) || info.vendor !== 'turnstile' || !info.shortId) return
      var field = document.getElementById('cf-chl-widget-' + info.shortId + '_response') || document.getElementById(info.shortId + '_response')
      if (!field) return
      var container = field.parentElement
      var r = owner(container, 'turnstile')
      if (!r) r = add({ vendor: 'turnstile', sitekey: info.sitekey, container: container, fields: [field] })
      if (!r.sitekey) r.sitekey = info.sitekey
    })

    // 6. reCAPTCHA v3: the loader's `render=SITEKEY`, its badge, and the executes waiting.
    var v3Keys = {}
    query(rootList, 'script[src]').forEach(function (s) {
      try {
        var u = new URL(s.src, location.href)
        var m = /\/recaptcha\/(api|enterprise)\.js$/.exec(u.pathname)
        var key = m && u.searchParams.get('render')
        if (key && key !== 'explicit' && key !== 'onload') v3Keys[key] = m[1] === 'enterprise'
      } catch (e) {}
    })
    found.forEach(function (r) {
      if (r.vendor === 'recaptcha' && r.invisible && Object.prototype.hasOwnProperty.call(v3Keys, r.sitekey)) {
        r.v3 = true
        if (v3Keys[r.sitekey]) r.enterprise = true
      }
    })
    state.executes.forEach(function (e) {
      if (e.done) return
      var badge = null
      for (var j = 0; j < found.length; j++) {
        if (found[j].vendor === 'recaptcha' && found[j].sitekey === e.sitekey && !found[j].exec) badge = badge || found[j]
      }
      if (badge) badge.coveredByExecute = true
      add({
        vendor: 'recaptcha',
        v3: true,
        sitekey: e.sitekey,
        action: e.action,
        enterprise: e.enterprise || !!v3Keys[e.sitekey] || (badge ? badge.enterprise : false),
        invisible: true,
        exec: e,
        container: badge ? badge.container : null,
        fields: badge ? badge.fields : [],
        frame: badge ? badge.frame : null,
      })
    })

    // 7. Report what is to be solved (and claim it for this call), but what another call has
    //    claimed: that call is solving it (a held execute a badge solve under way will answer
    //    is that solve's too).
    var kinds = Array.isArray(opts.kinds) ? opts.kinds : null
    var out = []
    var badgeV3 = false
    found.forEach(function (r) {
      if (!r.sitekey || r.coveredByExecute) return
      if (!r.exec && isSolved(r)) return
      var kind = r.vendor === 'recaptcha' ? (r.v3 ? 'RecaptchaV3' : 'RecaptchaV2') : r.vendor === 'hcaptcha' ? 'HCaptcha' : 'Turnstile'
      var shown = !r.invisible && !r.v3 && visible(r.frame || r.container)
      if (kinds && kinds.indexOf(kind) < 0) return
      if (opts.visibleOnly && !shown) return
      var held = claimOf(r)
      if (held && held.id !== claimId) return
      r.ref = state.nextRef++
      r.reportedAction = kind === 'RecaptchaV3' ? text(r.action) || defaultAction : null
      if (claimId) claim(r, claimId, claimMs)
      // A held execute reported is taken up: its solve starts now, and the page waits for it
      // (as long as the call's claim, at most 10 minutes).
      if (r.exec) r.exec.until = Math.max(r.exec.until, Date.now() + Math.min(claimId ? claimMs : CLAIMED_HOLD_MS, CLAIMED_HOLD_MS))
      if (kind === 'RecaptchaV3' && !r.exec) badgeV3 = true
      var unseen = kind === 'Turnstile' && renderUnseen(r)
      state.widgets.set(r.ref, r)
      out.push({
        ref: r.ref,
        kind: kind,
        sitekey: r.sitekey,
        invisible: !!r.invisible,
        enterprise: !!r.enterprise,
        action: kind === 'RecaptchaV3' ? text(r.action) || defaultAction : kind === 'Turnstile' ? text(r.action) : null,
        cdata: kind === 'Turnstile' ? text(r.cdata) : null,
        pageData: kind === 'Turnstile' ? text(r.pageData) : null,
        visible: shown,
        renderUnseen: unseen,
      })
    })
    // v3 found by its badge on a page prepare did not hook: its execute is hooked now, so that
    // the page's next execute gets the token solved from the badge (see installV3Hooks).
    if (badgeV3) installV3Hooks()
    // Old scans' records are not needed once newer scans reported the same widgets again.
    var keys = state.widgets.keys()
    while (state.widgets.size > MAX_RECORDS * 4) state.widgets.delete(keys.next().value)
    return out
  }

  /** Whether the Turnstile `r` was rendered by a `turnstile.render` call nobody saw, the first
   * time a scan reports it: no prepare hooks in this document, and no `.cf-turnstile` markup
   * (the implicit render's, which the scan reads as the vendor does). Turnstile keeps the
   * callback, `action` and `cData` such a call gave only inside the widget: the solve goes
   * without them and the callback is not called, which the result alone would not show. */
  function renderUnseen(r) {
    if (state.hooked || r.markup) return false
    var els = [r.frame, r.container].concat(r.hosts).filter(Boolean)
    for (var i = 0; i < els.length; i++) if (state.unseenTold.has(els[i])) return false
    els.forEach(function (el) {
      state.unseenTold.add(el)
    })
    return true
  }

  /** What a claim of `r` is made on: a held execute itself, else the widget's elements. */
  function claimTargets(r) {
    return r.exec ? [] : [r.frame, r.container].concat(r.hosts).filter(Boolean)
  }

  /** The live claim another call (or this one) holds on the widget `r`, or null. */
  function claimOf(r) {
    if (r.exec) return live(r.exec.claim) ? r.exec.claim : live(r.exec.coveredBy) ? r.exec.coveredBy : null
    var els = claimTargets(r)
    for (var i = 0; i < els.length; i++) {
      var c = state.claims.get(els[i])
      if (live(c)) return c
    }
    return null
  }

  function claim(r, id, ms) {
    var c = { id: id, until: Date.now() + ms, released: false, sitekey: r.sitekey, action: r.reportedAction, covers: null }
    r.claim = c
    // The same call's earlier claim of it (a scan run twice) gives way to this one.
    var before = r.exec ? r.exec.claim : claimOf(r)
    if (live(before) && before.id === id) {
      before.released = true
      if (before.covers && !before.covers.done) {
        c.covers = before.covers
        c.covers.coveredBy = c
      }
    }
    if (r.exec) {
      r.exec.claim = c
      return
    }
    claimTargets(r).forEach(function (el) {
      state.claims.set(el, c)
    })
    if (r.v3) {
      state.v3Claims = state.v3Claims.filter(live)
      push(state.v3Claims, c)
    }
  }

  /** Whether this helper filled the widget and its response field still holds a token: a
   * widget reset (`grecaptcha.reset()`, an expired token, a failed login) or rendered anew
   * empties its field, and is then found and solved again. */
  function isSolved(r) {
    var els = [r.frame, r.container].concat(r.hosts)
    var filled = false
    for (var i = 0; i < els.length && !filled; i++) filled = !!els[i] && state.solved.has(els[i])
    if (!filled) return false
    var fields = r.fields.filter(function (f) {
      return f.isConnected
    })
    if (!fields.length) return true // nothing to read it from: as filled
    return fields.some(function (f) {
      return !!f.value
    })
  }

  // ---- apply ------------------------------------------------------------------------------

  function fill(f, token) {
    if (f.tagName === 'TEXTAREA') f.textContent = token
    f.value = token
    f.dispatchEvent(new Event('input', { bubbles: true }))
    f.dispatchEvent(new Event('change', { bubbles: true }))
  }

  /** Once the widget renders its own response field after this helper made one (solved before
   * the vendor's script ran), the token moves into the widget's field and the made one goes:
   * two fields of one name would post the widget's empty one last. */
  function adoptWhenRendered(r, made, token) {
    var root = r.container && (r.container.tagName === 'BUTTON' || r.container.tagName === 'INPUT') ? r.container.parentElement : r.container
    if (!root || typeof MutationObserver !== 'function') return
    var observer = new MutationObserver(function () {
      var theirs = fieldsIn(root, r.vendor).filter(function (f) {
        return f !== made
      })
      if (!theirs.length) return
      observer.disconnect()
      theirs.forEach(function (f) {
        fill(f, token)
      })
      if (made.parentNode) made.parentNode.removeChild(made)
    })
    observer.observe(root, { childList: true, subtree: true })
    // A widget that never renders: stop watching after a while.
    setTimeout(function () {
      observer.disconnect()
    }, 300000)
  }

  /** A response field where the widget has none (not rendered yet): posts with the form. */
  function makeField(r) {
    var c = r.container
    if (!c || !c.isConnected) return null
    var el
    if (r.vendor === 'turnstile') {
      el = document.createElement('input')
      el.type = 'hidden'
      el.name = 'cf-turnstile-response'
    } else {
      el = document.createElement('textarea')
      el.name = r.vendor === 'hcaptcha' ? 'h-captcha-response' : 'g-recaptcha-response'
      el.style.display = 'none'
    }
    if (c.tagName === 'BUTTON' || c.tagName === 'INPUT') c.insertAdjacentElement('afterend', el)
    else c.appendChild(el)
    return el
  }

  /**
   * Writes a solved token into the widget `ref` names and calls its callback; ends the call's
   * claim. `{ filled, callbackCalled, callbackError, v3 }`: for v3 solved from its badge,
   * `v3` says where the token went: `'execute'` (an execute the page made got it),
   * `'next-execute'` (prepare's hooks give it to the page's next execute), `'next-execute-late'`
   * (the same through the execute hook this helper's scan installed: an execute the page made
   * before got the vendor's token), or `'no-hook'` (the page's execute cannot be reached from
   * this frame: `filled` is false, the badge's field holds the token).
   */
  function apply(ref, token, extra) {
    var r = typeof ref === 'number' ? state.widgets.get(ref) : null
    var out = { filled: false, callbackCalled: false, callbackError: null }
    if (!r || typeof token !== 'string') return out
    // Its execute was answered by the vendor's own meanwhile (the hold passed): too late.
    if (r.exec && r.exec.done) {
      endClaim(r.claim, true)
      return out
    }
    extra = extra || {}
    var fields = r.fields.filter(function (f) {
      return f.isConnected
    })
    if (!fields.length && !r.exec) {
      var made = makeField(r)
      if (made) {
        fields.push(made)
        adoptWhenRendered(r, made, token)
      }
    }
    fields.forEach(function (f) {
      fill(f, token)
    })
    if (r.vendor === 'hcaptcha' && r.frame && r.frame.setAttribute) r.frame.setAttribute('data-hcaptcha-response', token)
    out.filled = fields.length > 0
    ;[r.frame, r.container].concat(r.hosts).forEach(function (el) {
      if (el) state.solved.set(el, token)
    })

    if (r.exec && !r.exec.done) {
      r.exec.done = true
      r.exec.resolve(token)
      endClaim(r.claim, true)
      out.filled = true
      out.callbackCalled = true
      return out
    }
    if (r.v3 && !r.exec && r.reportedAction) {
      // Solved from the badge: an execute the page made meanwhile for this site key and action
      // gets it now (the one that waited for this solve first; not one another call is
      // solving); else the page's next one does, if it reaches this helper.
      var covered = r.claim && r.claim.covers
      var waiting = covered && !covered.done ? covered : null
      for (var i = 0; i < state.executes.length && !waiting; i++) {
        var e = state.executes[i]
        if (e.done || live(e.claim) || (live(e.coveredBy) && e.coveredBy !== r.claim)) continue
        if (e.sitekey === r.sitekey && (e.action === null || e.action === r.reportedAction)) waiting = e
      }
      if (waiting) {
        waiting.done = true
        waiting.resolve(token)
        out.filled = true
        out.callbackCalled = true
        out.v3 = 'execute'
      } else {
        push(state.v3Tokens, { sitekey: r.sitekey, action: r.reportedAction, token: token, at: Date.now() })
        out.filled = executeHooked(!!r.enterprise)
        out.v3 = !out.filled ? 'no-hook' : state.hooked ? 'next-execute' : 'next-execute-late'
      }
    }
    endClaim(r.claim, true)
    if (r.vendor === 'hcaptcha') {
      state.hExecutes.forEach(function (e) {
        if (!e.done && (e.widgetId == null || e.widgetId === r.hcaptchaId)) {
          e.done = true
          e.resolve({ response: token, key: typeof extra.respKey === 'string' ? extra.respKey : '' })
          out.callbackCalled = true
        }
      })
    }
    var cb = callbackOf(r.callback)
    if (cb) {
      try {
        cb.call(w, token)
        out.callbackCalled = true
      } catch (e) {
        out.callbackError = String((e && e.message) || e)
      }
    }
    return out
  }

  /** A widget whose solve failed (or ran out of time, or was not made): the call's claim ends,
   * so that another call may solve it; a held execute it had taken up goes back to waiting
   * `executeHoldMs` for another scan, then to the vendor's own execute (without prepare's hooks,
   * to the vendor's at once). */
  function release(ref) {
    var r = typeof ref === 'number' ? state.widgets.get(ref) : null
    if (!r) return false
    var had = !!r.claim && !r.claim.released
    endClaim(r.claim, false)
    if (!r.exec || r.exec.done) return had
    if (r.exec.claim === r.claim) r.exec.claim = null
    if (!state.hooked) {
      r.exec.fallback()
      return true
    }
    r.exec.until = Date.now() + state.executeHoldMs
    holdUntil(r.exec) // the timer set when it was taken up waits for the longer hold
    return true
  }

  /** Releases every widget the call `id` still claims in this document (a call that stops
   * before solving what its scans reported); how many. */
  function releaseCall(id) {
    var n = 0
    state.widgets.forEach(function (r) {
      if (r.claim && r.claim.id === id && !r.claim.released && release(r.ref)) n++
    })
    return n
  }

  var api = { version: VERSION, scan: scan, apply: apply, release: release, releaseCall: releaseCall, frameInfo: frameInfo, installHooks: installHooks }
  try {
    Object.defineProperty(w, NAME, { value: api, configurable: true, enumerable: false, writable: true })
  } catch (e) {
    w[NAME] = api
  }
})()
