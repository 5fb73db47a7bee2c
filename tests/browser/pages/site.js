// Shared by the test pages: readiness, status lines, and the search for secrets.
window.pageReady = false

/** The page's widgets are rendered: tell the test (and the parent page, for framed ones). */
function markReady() {
  window.pageReady = true
  if (window.parent !== window) window.parent.postMessage('capbridge-test-ready', '*')
}

/** A page that frames the widget is ready when the framed page is. */
window.addEventListener('message', function (e) {
  if (e.data === 'capbridge-test-ready') window.pageReady = true
})

function say(id, text) {
  document.getElementById(id).textContent = text
}

/**
 * Everything this frame's scripts can reach, as text: every string under the window's own
 * properties (a few levels deep), the DOM with every field's value and every open shadow
 * root, storage, cookies, the URLs this frame loaded. The API key must be in none of it.
 */
window.capbridgeCollect = function () {
  var out = []
  var seen = new Set()
  var budget = 300000
  function walk(v, depth) {
    if (budget-- <= 0 || v == null) return
    var t = typeof v
    if (t === 'string') return void out.push(v)
    if (t === 'number' || t === 'boolean' || t === 'bigint') return void out.push(String(v))
    if (t === 'function') {
      try { out.push(Function.prototype.toString.call(v)) } catch (e) {}
    } else if (t !== 'object') {
      return
    }
    if (seen.has(v) || depth > 4) return
    seen.add(v)
    var names
    try {
      if (v.nodeType) return // the DOM is read below, as markup and values
      names = Object.getOwnPropertyNames(v)
    } catch (e) {
      return // another origin's window
    }
    for (var i = 0; i < names.length; i++) {
      var x
      try { x = v[names[i]] } catch (e) { continue }
      out.push(names[i])
      walk(x, depth + 1)
    }
  }
  walk(window, 0)
  var roots = [document]
  for (var k = 0; k < roots.length; k++) {
    var all = roots[k].querySelectorAll('*')
    for (var i = 0; i < all.length; i++) {
      var el = all[i]
      if (el.shadowRoot) { roots.push(el.shadowRoot); out.push(el.shadowRoot.innerHTML) }
      if ('value' in el && typeof el.value === 'string') out.push(el.value)
      for (var a = 0; a < el.attributes.length; a++) out.push(el.attributes[a].value)
    }
  }
  out.push(document.documentElement.outerHTML, document.cookie, location.href, document.referrer, window.name)
  for (var s = 0; s < 2; s++) {
    var store = s ? sessionStorage : localStorage
    for (var j = 0; j < store.length; j++) out.push(store.key(j), store.getItem(store.key(j)))
  }
  performance.getEntries().forEach(function (e) { out.push(e.name) })
  return out.join('\n')
}
