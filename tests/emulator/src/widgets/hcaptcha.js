// capbridge emulator: a stand-in for hCaptcha's loader, /hcaptcha/1/api.js. It renders what
// the real one renders (the checkbox iframe with `data-hcaptcha-widget-id` and `sitekey=` in
// its fragment, the `h-captcha-response` textarea and, unless `recaptchacompat=off`, a
// `g-recaptcha-response` one) and offers `render`, `execute`, `getResponse`, `getRespKey`,
// `reset` and `remove` on `hcaptcha`. It cannot solve: a checkbox stays unticked until a token
// is written into its field.

var src = scriptUrl()
var base = src.origin
var mode = src.searchParams.get('render') || 'onload'
var onloadName = src.searchParams.get('onload')
var compat = src.searchParams.get('recaptchacompat') !== 'off'
var hl = src.searchParams.get('hl') || 'en'

var widgets = {}
var order = []
var rendered = new WeakSet()

function render(container, params) {
  var el = elementOf(container)
  if (!el) throw new Error('[hCaptcha] render: invalid container')
  params = params || {}
  if (!params.sitekey) throw new Error('[hCaptcha] Missing sitekey - https://docs.hcaptcha.com/configuration#javascript-api')
  if (rendered.has(el)) throw new Error('[hCaptcha] container already rendered')
  rendered.add(el)
  var id = randomId(11)
  var size = params.size || 'normal'
  var frame = makeFrame(
    base + '/hcaptcha/checkbox.html#frame=checkbox&id=' + id + '&host=' + encodeURIComponent(location.hostname) +
      '&sentry=false&recaptchacompat=' + (compat ? 'on' : 'off') + '&hl=' + encodeURIComponent(hl) +
      '&sitekey=' + encodeURIComponent(params.sitekey) + '&theme=' + encodeURIComponent(params.theme || 'light') +
      '&size=' + encodeURIComponent(size) + '&origin=' + encodeURIComponent(location.origin),
    303, 78, 'Widget containing checkbox for hCaptcha security challenge')
  frame.setAttribute('tabindex', '0')
  frame.setAttribute('data-hcaptcha-widget-id', id)
  frame.setAttribute('data-hcaptcha-response', '')
  if (size === 'invisible') frame.style.display = 'none'
  el.appendChild(frame)
  var gfield = null
  if (compat) {
    gfield = document.createElement('textarea')
    gfield.id = 'g-recaptcha-response-' + id
    gfield.name = 'g-recaptcha-response'
    gfield.style.display = 'none'
    el.appendChild(gfield)
  }
  var field = document.createElement('textarea')
  field.id = 'h-captcha-response-' + id
  field.name = 'h-captcha-response'
  field.style.display = 'none'
  el.appendChild(field)
  el.setAttribute('data-hcaptcha-widget-id', id)
  var notify = showWhenSolved(field, frame)
  widgets[id] = { el: el, frame: frame, field: field, gfield: gfield, notify: notify, params: params }
  order.push(id)
  return id
}

function widget(id) {
  var w = widgets[id == null ? order[0] : id]
  if (!w) throw new Error('[hCaptcha] invalid widget id')
  return w
}

/** Opens the challenge (which a stand-in cannot show); `{ async: true }` returns a promise
 * that settles when it is solved, as the real one does. */
function execute(id, opts) {
  // `execute({ async: true })`: the options alone, for the first widget.
  if (id && typeof id === 'object' && opts === undefined) {
    opts = id
    id = null
  }
  widget(id)
  if (opts && opts.async) return new Promise(function () {})
  return undefined
}

function getResponse(id) {
  return widget(id).field.value
}

function getRespKey() {
  return ''
}

function reset(id) {
  var w = widget(id)
  w.field.value = ''
  if (w.gfield) w.gfield.value = ''
  w.frame.setAttribute('data-hcaptcha-response', '')
  w.notify()
}

function remove(id) {
  var w = widget(id)
  w.frame.remove()
  w.field.remove()
  if (w.gfield) w.gfield.remove()
  delete widgets[id]
  order = order.filter(function (x) {
    return x !== id
  })
}

window.hcaptcha = {
  render: render,
  execute: execute,
  getResponse: getResponse,
  getRespKey: getRespKey,
  reset: reset,
  remove: remove,
  setData: function () {},
  close: function () {},
}

whenParsed(function () {
  if (mode !== 'explicit') {
    var found = document.querySelectorAll('.h-captcha')
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
      })
    }
  }
  if (onloadName) callOnload(onloadName)
})
