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
// taken up within `executeHoldMs` (default 60 s), or whose solve has not come within 10
// minutes of being taken up, gets the vendor's own execute (a failed solve gives it back to
// the first wait); and a v3 token solved from the badge answers the page's execute for that
// site key and action, made before the token came or after (one solve, not two). A page the helper is merely run in (no `prepare`) keeps its
// widgets' functions untouched.
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
  /** How long a held v3 execute waits for a scan to take it up (prepare's `executeHoldMs`),
   * and then for its token, before the vendor's own execute answers it. */
  var EXECUTE_HOLD_MS = 60000
  var CLAIMED_HOLD_MS = 600000
  /** A v3 token is accepted for two minutes after it was made; one written here more than
   * 100 s ago (leaving the page time to send it) is not handed to an execute. */
  var V3_TOKEN_FRESH_MS = 100000

  var state = {
    hooked: false,
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

  /** Calls `onValue` with the value of `obj[name]` now and whenever it is assigned. */
  function watch(obj, name, onValue) {
    var value = obj[name]
    var d = Object.getOwnPropertyDescriptor(obj, name)
    if (value && (typeof value === 'object' || typeof value === 'function')) onValue(value)
    if (d && (!d.configurable || d.get || d.set)) return
    try {
      Object.defineProperty(obj, name, {
        configurable: true,
        enumerable: true,
        get: function () {
          return value
        },
        set: function (v) {
          value = v
          if (v && (typeof v === 'object' || typeof v === 'function')) onValue(v)
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
    done[name] = true
    var impl = obj[name]
    var wrapped = typeof impl === 'function' ? wrap(impl) : impl
    try {
      Object.defineProperty(obj, name, {
        configurable: true,
        enumerable: true,
        get: function () {
          return wrapped
        },
        set: function (v) {
          impl = v
          wrapped = typeof v === 'function' ? wrap(v) : v
        },
      })
    } catch (e) {}
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

  function wrapExecute(enterprise) {
    return function (impl) {
      return function (a, b) {
        var opts = b && typeof b === 'object' ? b : null
        var sitekey = null
        if (typeof a === 'string') {
          sitekey = a
        } else if (opts && 'action' in opts) {
          // execute(widgetId, { action }): v3 rendered explicitly.
          for (var i = state.renders.length - 1; i >= 0; i--) {
            var r = state.renders[i]
            if (r.vendor === 'recaptcha' && r.widgetId === (a == null ? r.widgetId : a)) {
              sitekey = text(r.params.sitekey)
              break
            }
          }
        }
        if (!sitekey) return impl.apply(this, arguments)
        var action = opts ? text(opts.action) : null
        var ready = takeV3Token(sitekey, action)
        if (ready !== null) return Promise.resolve(ready)
        var self = this
        var args = arguments
        return new Promise(function (resolve, reject) {
          var e = { sitekey: sitekey, action: action, enterprise: enterprise, resolve: resolve, done: false, until: Date.now() + state.executeHoldMs }
          e.fallback = function () {
            if (e.done) return
            e.done = true
            try {
              resolve(impl.apply(self, args))
            } catch (err) {
              reject(err)
            }
          }
          push(state.executes, e)
          holdUntil(e)
        })
      }
    }
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

  function scan(opts) {
    opts = opts || {}
    var defaultAction = text(opts.action) || 'verify'
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

    // 7. Report what is to be solved.
    var kinds = Array.isArray(opts.kinds) ? opts.kinds : null
    var out = []
    found.forEach(function (r) {
      if (!r.sitekey || r.coveredByExecute) return
      if (!r.exec && isSolved(r)) return
      var kind = r.vendor === 'recaptcha' ? (r.v3 ? 'RecaptchaV3' : 'RecaptchaV2') : r.vendor === 'hcaptcha' ? 'HCaptcha' : 'Turnstile'
      var shown = !r.invisible && !r.v3 && visible(r.frame || r.container)
      if (kinds && kinds.indexOf(kind) < 0) return
      if (opts.visibleOnly && !shown) return
      r.ref = state.nextRef++
      r.reportedAction = kind === 'RecaptchaV3' ? text(r.action) || defaultAction : null
      // A held execute reported is taken up: its solve starts now, and the page waits for it.
      if (r.exec) r.exec.until = Math.max(r.exec.until, Date.now() + CLAIMED_HOLD_MS)
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
      })
    })
    // Old scans' records are not needed once newer scans reported the same widgets again.
    var keys = state.widgets.keys()
    while (state.widgets.size > MAX_RECORDS * 4) state.widgets.delete(keys.next().value)
    return out
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

  function apply(ref, token, extra) {
    var r = typeof ref === 'number' ? state.widgets.get(ref) : null
    var out = { filled: false, callbackCalled: false, callbackError: null }
    if (!r || typeof token !== 'string') return out
    // Its execute was answered by the vendor's own meanwhile (the hold passed): too late.
    if (r.exec && r.exec.done) return out
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
      out.filled = true
      out.callbackCalled = true
      return out
    }
    if (r.v3 && !r.exec && r.reportedAction) {
      // Solved from the badge: an execute the page made meanwhile for this site key and action
      // gets it now; else the page's next one does.
      var waiting = null
      for (var i = 0; i < state.executes.length && !waiting; i++) {
        var e = state.executes[i]
        if (!e.done && e.sitekey === r.sitekey && (e.action === null || e.action === r.reportedAction)) waiting = e
      }
      if (waiting) {
        waiting.done = true
        waiting.resolve(token)
        out.callbackCalled = true
      } else {
        push(state.v3Tokens, { sitekey: r.sitekey, action: r.reportedAction, token: token, at: Date.now() })
      }
    }
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

  /** A widget whose solve failed (or ran out of time): a held execute it had taken up goes
   * back to waiting `executeHoldMs` for another scan, then to the vendor's own execute. */
  function release(ref) {
    var r = typeof ref === 'number' ? state.widgets.get(ref) : null
    if (!r || !r.exec || r.exec.done) return false
    r.exec.until = Date.now() + state.executeHoldMs
    holdUntil(r.exec) // the timer set when it was taken up waits for the longer hold
    return true
  }

  var api = { version: VERSION, scan: scan, apply: apply, release: release, frameInfo: frameInfo, installHooks: installHooks }
  try {
    Object.defineProperty(w, NAME, { value: api, configurable: true, enumerable: false, writable: true })
  } catch (e) {
    w[NAME] = api
  }
})()
