/* Search starts when the reader asks for it, not on every page.
 *
 * Material's bundle downloads the language's search index as each page loads and builds it, in
 * its search worker, whether or not the reader ever searches: on a cheap phone that is data and
 * a few hundred milliseconds of processor on every page. This file runs before the bundle and
 * holds the index's download until the reader opens search (the search box gets the focus, or
 * the phone's search button is pressed); the bundle then builds it as before. Every other
 * request goes through untouched.
 */
(function () {
  "use strict";
  var INDEX = /\/search\/search_index\.json$/;
  var asked = false;
  var waiting = [];

  function ask() {
    if (asked) return;
    asked = true;
    waiting.forEach(function (start) { start(); });
    waiting = [];
  }

  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches(".md-search__input")) ask();
  });
  document.addEventListener("change", function (event) {
    if (event.target.id === "__search") ask();
  });

  // The bundle asks with XMLHttpRequest: its send() waits for the reader when the address is the index.
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var isIndex = new WeakSet();
  XMLHttpRequest.prototype.open = function (method, address) {
    if (INDEX.test(String(address).split(/[?#]/)[0])) isIndex.add(this);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (asked || !isIndex.has(this)) return send.apply(this, arguments);
    var request = this, args = arguments;
    waiting.push(function () { send.apply(request, args); });
  };
})();
