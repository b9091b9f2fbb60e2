/* Quick exit: the button in the header, or Shift pressed three times within a second.
 * Without JavaScript the button is a plain link to the neutral page; with it, the page is
 * blanked first and the history entry is replaced, so "Back" does not return here. */
(function () {
  "use strict";

  var root = document.documentElement;
  var container = document.querySelector("[data-amparo-exit-url]");
  if (!container) return;
  var neutralUrl = container.getAttribute("data-amparo-exit-url");
  var exited = false;

  function blank() {
    // Hide first (one class, applied before the next paint), then remove the content so
    // nothing can be read from the DOM or shown again if the page comes back.
    root.classList.add("amparo-exiting");
    var body = document.body;
    while (body && body.firstChild) body.removeChild(body.firstChild);
    document.title = "";
  }

  function leave() {
    exited = true;
    // Lets the quiz forget the answers and stop its engine before the page goes.
    document.dispatchEvent(new Event("amparo:exit"));
    blank();
    location.replace(neutralUrl);
  }

  // A real <button>: Space and Enter both work, and it says what it is to screen readers.
  var link = container.querySelector("a[data-amparo-exit]");
  if (link) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.title = link.title;
    button.setAttribute("data-amparo-exit", "");
    while (link.firstChild) button.appendChild(link.firstChild);
    link.replaceWith(button);
    button.addEventListener("click", function (event) {
      event.preventDefault();
      leave();
    });
  }

  var presses = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") {
      presses = [];  // Shift+letter while typing is not a request to leave
      return;
    }
    if (event.repeat) return;
    var now = Date.now();
    presses.push(now);
    presses = presses.filter(function (time) { return now - time <= 1000; });
    if (presses.length >= 3) {
      presses = [];
      leave();
    }
  }, true);

  // Restored from the back/forward cache after leaving: blank and go again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && exited) leave();
  });
})();
