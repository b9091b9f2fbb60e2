/* Small fixes to how Material behaves on this site. */
(function () {
  "use strict";

  /* Material's bundle reads every <link rel="alternate"> when the DOM is ready and fetches a
   * "sitemap.xml" next to each, expecting language roots. Ours are hreflang links to this same
   * page in each language (search engines need them per page), so every fetch would be a 404
   * and Material would then rewrite language-switcher clicks to a URL without its slash.
   * Hide them from that one read, and put them back right after it. */
  var alternates = Array.prototype.slice.call(document.querySelectorAll('link[rel="alternate"][hreflang]'));
  alternates.forEach(function (link) { link.rel = "amparo-alternate"; });
  // Registered after Material's own listener, so it runs after Material has looked.
  document.addEventListener("DOMContentLoaded", function () {
    alternates.forEach(function (link) { link.rel = "alternate"; });
  }, { once: true });

  /* The language switcher leads to this same page in the other language; keep the section too
   * (anchors are the same in every language), so a reader who switches does not lose the place. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.md-select__link[hreflang]");
    if (link && location.hash && !link.hash) link.hash = location.hash;
  }, true);

  /* The search form's submit button, there for assistive technology: open the best result, as
   * Material does when Enter is pressed in the box. The form never submits (a query must never
   * end up in an address). */
  var searchForm = document.querySelector("form.md-search__form");
  if (searchForm) {
    searchForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var best = document.querySelector(".md-search-result__list > li:first-child a[href]");
      if (best) best.click(); else searchForm.querySelector("input").focus();
    });

    /* Material reads the query when a key is released (keyup), and only then. Text that arrives
     * without one is never searched: a word picked from a phone keyboard's suggestions or a
     * Chinese input method's candidates, handwriting, voice, pasting. The box then keeps saying
     * "type to start searching". Every change of the text is an input event: pass each one on
     * as the keyup Material listens for. A plain Event on the box alone (no key, no bubbling):
     * nothing else on the page, such as the quick exit's Shift count, ever sees it. */
    var searchBox = searchForm.querySelector("input.md-search__input");
    if (searchBox) {
      searchBox.addEventListener("input", function () {
        searchBox.dispatchEvent(new Event("keyup"));
      });
    }
  }

  /* A table wider than the screen scrolls sideways: keyboard users must be able to focus it
   * to scroll it (WCAG 2.1.1). Only when it does overflow, so other tables add no Tab stop. */
  function focusableWhenScrolling() {
    var wraps = document.querySelectorAll(".md-typeset__scrollwrap");
    for (var i = 0; i < wraps.length; i++) {
      if (wraps[i].scrollWidth > wraps[i].clientWidth) {
        wraps[i].setAttribute("tabindex", "0");
      } else {
        wraps[i].removeAttribute("tabindex");
      }
    }
  }
  var pending = 0;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(focusableWhenScrolling, 150);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusableWhenScrolling, { once: true });
  } else {
    focusableWhenScrolling();
  }
})();
