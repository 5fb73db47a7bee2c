// capbridge emulator: helpers shared by the stand-in widget scripts. Each script is served
// wrapped in its own closure, with these functions in front of it.

/** The URL this script was loaded from (its query holds `render=`, `onload=`, ...). */
function scriptUrl() {
  var s = document.currentScript
  return new URL(s && s.src ? s.src : location.href)
}

/** Runs `fn` once the document is parsed. */
function whenParsed(fn) {
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', fn, { once: true })
  } else {
    setTimeout(fn, 0)
  }
}

/** `n` random characters of the alphabet widget ids use. */
function randomId(n) {
  var abc = 'abcdefghijklmnopqrstuvwxyz0123456789'
  var out = ''
  for (var i = 0; i < n; i++) out += abc.charAt(Math.floor(Math.random() * abc.length))
  return out
}

/** A callback given as a function, or as the name of a global one (dots allowed). */
function resolveCallback(cb) {
  if (typeof cb === 'function') return cb
  if (typeof cb !== 'string' || !cb) return null
  var obj = window
  var parts = cb.split('.')
  for (var i = 0; i < parts.length && obj != null; i++) obj = obj[parts[i]]
  return typeof obj === 'function' ? obj : null
}

/** Calls the global function named by a loader's `onload=` parameter. */
function callOnload(name) {
  var fn = resolveCallback(name)
  if (fn) fn()
}

/** An element given as itself, an id, or (Turnstile) a selector. */
function elementOf(container, selector) {
  if (container && container.nodeType === 1) return container
  if (typeof container !== 'string') return null
  return selector ? document.querySelector(container) : document.getElementById(container)
}

/** The widget's iframe. */
function makeFrame(src, width, height, title) {
  var f = document.createElement('iframe')
  f.src = src
  f.title = title
  f.width = String(width)
  f.height = String(height)
  f.setAttribute('frameborder', '0')
  f.setAttribute('scrolling', 'no')
  f.style.border = 'none'
  f.style.overflow = 'hidden'
  return f
}

/**
 * The stand-in cannot solve: the page gets a token only when someone writes one into the
 * response field. When that happens (an `input` or `change` event), the iframe is told, so
 * that its checkbox turns green as the real one does once solved.
 */
function showWhenSolved(field, frame) {
  var tell = function () {
    try {
      frame.contentWindow.postMessage({ capbridgeStandIn: field.value ? 'solved' : 'reset' }, '*')
    } catch (e) {}
  }
  field.addEventListener('input', tell)
  field.addEventListener('change', tell)
  return tell
}

/** A token no solve issued: what a widget that was never solved hands out. */
function unverifiedToken() {
  return 'stand-in-unverified-' + randomId(40)
}
