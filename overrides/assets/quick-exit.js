/* Quick exit: the button in the header, or the Shift key pressed three times within five seconds.
 * Without JavaScript the button is a plain link to the neutral page; with it, the page is
 * blanked first and the history entry is replaced, so "Back" does not return here. */
(function () {
  "use strict";

  // Three presses of Shift alone, the first and the last at most five seconds apart: the number
  // GOV.UK's "Exit this page" uses (its timer restarts at each press). Five seconds leave time
  // to a shaking or slow hand; counting from the first press keeps Shift pressed now and then
  // (a screen reader's "stop talking") from adding up to an exit.
  var PRESSES = 3;
  var WINDOW_MS = 5000;

  var root = document.documentElement;
  var container = document.querySelector("[data-amparo-exit-url]");
  if (!container) return;
  var neutralUrl = container.getAttribute("data-amparo-exit-url");
  // What a screen reader says after the first and the second press (procedures/interface.yml).
  var remaining = {
    2: container.getAttribute("data-amparo-exit-two-more") || "",
    1: container.getAttribute("data-amparo-exit-one-more") || "",
  };
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
  var button = container.querySelector("[data-amparo-exit]");
  var link = container.querySelector("a[data-amparo-exit]");
  if (link) {
    button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.title = link.title;
    button.setAttribute("data-amparo-exit", "");
    while (link.firstChild) button.appendChild(link.firstChild);
    link.replaceWith(button);
  }
  if (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      leave();
    });
  }

  /* The not-found page names the quick exit in every language, as links beside each language's
   * home: each leaves as the button does (replacing this page, not adding to the history).
   * Without script they are plain links to the same neutral page. */
  document.addEventListener("click", function (event) {
    var also = event.target.closest && event.target.closest("a[data-amparo-exit-also]");
    if (also) {
      event.preventDefault();
      leave();
    }
  });

  // A sign on the button for each press (one dot lit per press, as GOV.UK's lights), and a
  // polite message for screen readers: both say how many presses are left.
  var dots = document.createElement("span");
  dots.className = "amparo-exit__presses";
  dots.setAttribute("aria-hidden", "true");
  dots.hidden = true;
  for (var i = 0; i < PRESSES; i++) dots.appendChild(document.createElement("span"));
  if (button) button.appendChild(dots);
  var status = document.createElement("span");
  status.className = "amparo-exit__status";
  status.setAttribute("role", "status");
  container.appendChild(status);

  var count = 0;
  var firstPress = 0;
  var expiry = 0;

  function show() {
    dots.hidden = count === 0;
    for (var i = 0; i < dots.children.length; i++) {
      dots.children[i].className = i < count ? "amparo-exit__press--on" : "";
    }
    status.textContent = count > 0 ? remaining[PRESSES - count] || "" : "";
  }

  function reset() {
    if (count === 0) return;
    count = 0;
    clearTimeout(expiry);
    show();
  }

  // An on-screen keyboard is only open while a text field has focus, and its Shift key may send
  // Shift key events: iOS does, for Shift, caps lock and its "123" key (GOV.UK Frontend issue
  // #4095). So presses while she types in a field (the search box, a date) never count.
  var NOT_TYPED = /^(button|checkbox|radio|submit|reset|image|file|color|range|hidden)$/i;
  function typing(element) {
    if (!element || element.nodeType !== 1) return false;
    if (element.isContentEditable || element.tagName === "TEXTAREA") return true;
    return element.tagName === "INPUT" && !NOT_TYPED.test(element.type);
  }

  // A press counts when a Shift key goes up with no other key pressed since it went down, so
  // Shift used with a letter (or held while typing) never counts, and any other key starts the
  // count again. Each Shift key counts, also when the left and the right one are pressed
  // together or alternated quickly (GOV.UK Frontend issue #5393: there, one Shift still held
  // made the other's release look like part of a combination, and the count was lost).
  var held = {};
  var alone = false;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") {
      alone = false;
      reset();
      return;
    }
    if (event.repeat) return;
    held[event.code || "Shift"] = true;
    alone = true;
  }, true);

  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") return;
    var code = event.code || "Shift";
    if (!held[code]) return; // its press began before this page had the keyboard
    delete held[code];
    var counts = alone && !typing(event.target);
    if (Object.keys(held).length === 0) alone = false;
    if (counts) press();
  }, true);

  function press() {
    var now = Date.now();
    if (count === 0 || now - firstPress > WINDOW_MS) {
      count = 0;
      firstPress = now;
      clearTimeout(expiry);
      expiry = setTimeout(reset, WINDOW_MS);
    }
    count += 1;
    if (count >= PRESSES) {
      count = 0;
      clearTimeout(expiry);
      leave();
      return;
    }
    show();
  }

  // Restored from the back/forward cache after leaving: blank and go again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && exited) leave();
  });
})();
