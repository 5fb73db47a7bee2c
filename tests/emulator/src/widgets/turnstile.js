// capbridge emulator: a stand-in for Cloudflare's Turnstile loader, /turnstile/v0/api.js. It
// renders what the real one renders: an iframe (its URL holds the site key) inside a closed
// shadow root, and a hidden `cf-turnstile-response` input (id `cf-chl-widget-..._response`)
// in the container, and offers `render`, `execute`, `getResponse`, `reset`, `remove`,
// `isExpired` and `ready` on `turnstile`. As with the real widget, the options given to
// `render` (`callback`, `action`, `cData`, `chlPageData`) are kept nowhere a page can read.
// It cannot solve: the widget stays unticked until a token is written into its field.

var src = scriptUrl()
var base = src.origin
var mode = src.searchParams.get('render') || 'onload'
var onloadName = src.searchParams.get('onload')

var widgets = {}
var order = []
var rendered = new WeakSet()
var loaded = false
var waiting = []

var ACTION = /^[a-zA-Z0-9_-]{0,32}$/
var CDATA = /^[a-zA-Z0-9_-]{0,255}$/

function render(container, params) {
  var el = elementOf(container, true)
  if (!el) throw new Error('[Cloudflare Turnstile] Unable to find a container for "' + container + '".')
  params = params || {}
  if (typeof params.sitekey !== 'string' || !params.sitekey) {
    throw new Error('[Cloudflare Turnstile] Invalid or missing type for parameter "sitekey", expected "string".')
  }
  if (params.action != null && !ACTION.test(params.action)) {
    throw new Error('[Cloudflare Turnstile] Invalid input for optional parameter "action".')
  }
  if (params.cData != null && !CDATA.test(params.cData)) {
    throw new Error('[Cloudflare Turnstile] Invalid input for optional parameter "cData".')
  }
  if (rendered.has(el)) throw new Error('[Cloudflare Turnstile] Container already rendered.')
  rendered.add(el)
  // The iframe's URL holds the short id (as `cf-chl-widget-SHORT` names the widget) and then
  // the site key, as the real one's does.
  var short = randomId(5)
  var id = 'cf-chl-widget-' + short
  var size = params.size || 'normal'
  var host = document.createElement('div')
  var shadow = host.attachShadow({ mode: 'closed' })
  var frame = makeFrame(
    base + '/turnstile/if/ov2/av0/rcv/' + short + '/' + encodeURIComponent(params.sitekey) + '/' +
      encodeURIComponent(params.theme || 'light') + '/fbE/new/' + encodeURIComponent(size) + '/auto/',
    size === 'compact' ? 150 : 300, size === 'compact' ? 140 : 65, 'Widget containing a Cloudflare security challenge')
  frame.id = id
  shadow.appendChild(frame)
  el.appendChild(host)
  var field = null
  var notify = function () {}
  if (params['response-field'] !== false) {
    field = document.createElement('input')
    field.type = 'hidden'
    field.name = params['response-field-name'] || 'cf-turnstile-response'
    field.id = id + '_response'
    el.appendChild(field)
    notify = showWhenSolved(field, frame)
  }
  widgets[id] = { el: el, host: host, field: field, notify: notify }
  order.push(id)
  return id
}

function widget(id) {
  if (id && id.nodeType === 1) {
    for (var k in widgets) if (widgets[k].el === id) return widgets[k]
  }
  var w = widgets[id == null ? order[0] : id]
  if (!w) throw new Error('[Cloudflare Turnstile] Nothing to do: no widget ' + id + '.')
  return w
}

function getResponse(id) {
  var w = widget(id)
  return w.field ? w.field.value : undefined
}

function reset(id) {
  var w = widget(id)
  if (w.field) w.field.value = ''
  w.notify()
}

function remove(id) {
  var w = widget(id)
  w.host.remove()
  if (w.field) w.field.remove()
  for (var k in widgets) if (widgets[k] === w) delete widgets[k]
}

function ready(cb) {
  if (loaded) setTimeout(cb, 0)
  else waiting.push(cb)
}

window.turnstile = {
  render: render,
  execute: function (id) {
    widget(id)
  },
  getResponse: getResponse,
  reset: reset,
  remove: remove,
  isExpired: function () {
    return false
  },
  ready: ready,
}

whenParsed(function () {
  if (mode !== 'explicit') {
    var found = document.querySelectorAll('.cf-turnstile')
    for (var i = 0; i < found.length; i++) {
      var el = found[i]
      var key = el.getAttribute('data-sitekey')
      if (!key || rendered.has(el)) continue
      render(el, {
        sitekey: key,
        callback: el.getAttribute('data-callback') || undefined,
        action: el.getAttribute('data-action') || undefined,
        cData: el.getAttribute('data-cdata') || undefined,
        theme: el.getAttribute('data-theme') || undefined,
        size: el.getAttribute('data-size') || undefined,
        'response-field-name': el.getAttribute('data-response-field-name') || undefined,
      })
    }
  }
  loaded = true
  var cbs = waiting.splice(0)
  for (var j = 0; j < cbs.length; j++) cbs[j]()
  if (onloadName) callOnload(onloadName)
})
