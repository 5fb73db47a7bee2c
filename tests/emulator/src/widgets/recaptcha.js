// capbridge emulator: a stand-in for Google's reCAPTCHA loaders, /recaptcha/api.js and
// /recaptcha/enterprise.js. It renders what the real one renders (the anchor iframe with
// `k=SITEKEY&size=...`, the `g-recaptcha-response` textarea in the widget, the v3 badge,
// `___grecaptcha_cfg.clients`) and offers `render`, `execute`, `getResponse`, `reset` and
// `ready` on `grecaptcha` (Enterprise: `grecaptcha.enterprise`). It cannot solve: v3's
// `execute` resolves to a token that siteverify refuses, and a checkbox stays unticked until a
// token is written into its field.

var src = scriptUrl()
var base = src.origin
var enterprise = /\/enterprise\.js$/.test(src.pathname)
// `onload` (implicit rendering), `explicit`, or a site key (v3).
var mode = src.searchParams.get('render') || 'onload'
var v3Key = mode !== 'onload' && mode !== 'explicit' ? mode : null
var onloadName = src.searchParams.get('onload')
var hl = src.searchParams.get('hl') || 'en'

var root = (window.grecaptcha = window.grecaptcha || {})
var api = enterprise ? (root.enterprise = root.enterprise || {}) : root
var cfg = (window.___grecaptcha_cfg = window.___grecaptcha_cfg || {})
cfg.clients = cfg.clients || {}
if (typeof cfg.count !== 'number') cfg.count = 0

var widgets = {}
var rendered = new WeakSet()
var firstId = null
var loaded = false
var waiting = []

function anchorUrl(sitekey, size) {
  var path = enterprise ? '/recaptcha/enterprise/anchor' : '/recaptcha/api2/anchor'
  var co = btoa(location.origin).replace(/=/g, '.')
  return base + path + '?ar=1&k=' + encodeURIComponent(sitekey) + '&co=' + co + '&hl=' + encodeURIComponent(hl) +
    '&v=capbridge-stand-in&size=' + encodeURIComponent(size) + '&cb=' + randomId(12)
}

/** grecaptcha.render(container, parameters): the widget's id. */
function render(container, params, fixedId) {
  var el = elementOf(container)
  if (!el) throw new Error('reCAPTCHA placeholder element must be an element or id')
  params = params || {}
  if (!params.sitekey) throw new Error('Missing required parameters: sitekey')
  if (rendered.has(el)) throw new Error('reCAPTCHA has already been rendered in this element')
  rendered.add(el)
  // A widget bound to a button is invisible: the button's click starts it.
  var bound = el.tagName === 'BUTTON' || el.tagName === 'INPUT'
  var size = params.size || (bound ? 'invisible' : 'normal')
  var id = fixedId != null ? fixedId : cfg.count++

  var box = document.createElement('div')
  var frame
  if (size === 'invisible') {
    box.className = 'grecaptcha-badge'
    box.setAttribute('data-style', params.badge || 'bottomright')
    box.style.cssText = 'width: 256px; height: 60px; display: block; position: fixed; bottom: 14px; right: -186px; ' +
      'box-shadow: gray 0px 0px 5px; border-radius: 2px; overflow: hidden;'
    var logo = document.createElement('div')
    logo.className = 'grecaptcha-logo'
    frame = makeFrame(anchorUrl(params.sitekey, size), 256, 60, 'reCAPTCHA')
    logo.appendChild(frame)
    box.appendChild(logo)
  } else {
    box.style.cssText = size === 'compact' ? 'width: 164px; height: 144px;' : 'width: 304px; height: 78px;'
    var inner = document.createElement('div')
    frame = makeFrame(anchorUrl(params.sitekey, size), size === 'compact' ? 164 : 304, size === 'compact' ? 144 : 78, 'reCAPTCHA')
    inner.appendChild(frame)
    box.appendChild(inner)
  }
  frame.setAttribute('role', 'presentation')
  frame.name = 'a-' + randomId(12)
  var field = document.createElement('textarea')
  field.id = id === 0 ? 'g-recaptcha-response' : 'g-recaptcha-response-' + id
  field.name = 'g-recaptcha-response'
  field.className = 'g-recaptcha-response'
  field.style.cssText = 'width: 250px; height: 40px; border: 1px solid rgb(193, 193, 193); margin: 10px 25px; ' +
    'padding: 0px; resize: none; display: none;'
  box.appendChild(field)
  if (bound) {
    el.insertAdjacentElement('afterend', box)
    el.addEventListener('click', function (e) {
      e.preventDefault()
      execute(id)
    })
  } else {
    el.appendChild(box)
  }
  var notify = showWhenSolved(field, frame)

  // As in the real client, the parameters sit a few levels deep under minified names, next
  // to the elements.
  var options = {
    sitekey: params.sitekey,
    size: size,
    theme: params.theme || 'light',
    badge: params.badge || 'bottomright',
    callback: params.callback,
    'expired-callback': params['expired-callback'],
    action: params.action,
  }
  cfg.clients[id] = { id: id, V: el, D: { l: { m: frame }, S: box }, Rb: { Tb: options } }
  widgets[id] = { el: el, field: field, notify: notify, options: options }
  if (firstId === null) firstId = id
  return id
}

function widget(id) {
  var w = widgets[id == null ? firstId : id]
  if (!w) throw new Error('Invalid reCAPTCHA client id: ' + id)
  return w
}

/**
 * v3: execute(sitekey, { action }) resolves to a token (never one siteverify accepts: only a
 * solve makes those). v2: starts the invisible challenge, which a stand-in cannot show.
 */
function execute(a, b) {
  if (typeof a === 'string' || (a == null && v3Key !== null && firstId === null)) {
    return Promise.resolve(unverifiedToken())
  }
  widget(a)
  if (b && typeof b === 'object') return Promise.resolve(unverifiedToken())
  return undefined
}

function getResponse(id) {
  return widget(id).field.value
}

function reset(id) {
  var w = widget(id)
  w.field.value = ''
  w.notify()
}

function ready(cb) {
  if (loaded) setTimeout(cb, 0)
  else waiting.push(cb)
}

api.render = render
api.execute = execute
api.getResponse = getResponse
api.reset = reset
api.ready = ready

whenParsed(function () {
  if (mode === 'onload') {
    var found = document.querySelectorAll('.g-recaptcha')
    for (var i = 0; i < found.length; i++) {
      var el = found[i]
      var key = el.getAttribute('data-sitekey')
      if (!key || rendered.has(el)) continue
      render(el, {
        sitekey: key,
        callback: el.getAttribute('data-callback') || undefined,
        'expired-callback': el.getAttribute('data-expired-callback') || undefined,
        size: el.getAttribute('data-size') || undefined,
        theme: el.getAttribute('data-theme') || undefined,
        badge: el.getAttribute('data-badge') || undefined,
        action: el.getAttribute('data-action') || undefined,
      })
    }
  }
  if (v3Key !== null) {
    // v3 renders its badge by itself, as client 100000, in a container of its own.
    var holder = document.createElement('div')
    document.body.appendChild(holder)
    render(holder, { sitekey: v3Key, size: 'invisible' }, 100000)
  }
  loaded = true
  var cbs = waiting.splice(0)
  for (var j = 0; j < cbs.length; j++) cbs[j]()
  if (onloadName) callOnload(onloadName)
})
