/* The safety page's two buttons: save the guide for offline use (a service worker and its cache,
 * off until the reader presses the button) and remove every trace this site left in the browser. */
(function () {
  "use strict";
  var box = document.querySelector("[data-amparo-offline]");
  if (!box || !("serviceWorker" in navigator) || !("caches" in window)) return;
  var script = document.querySelector("script[src$='assets/offline.js']");
  var siteRoot = new URL("../", script.src).href;
  var state = box.querySelector(".amparo-offline__state");
  var saveButton = box.querySelector("[data-amparo-offline-save]");
  var removeButton = box.querySelector("[data-amparo-offline-remove]");
  // The save button says so once the guide is saved (its words are the page's, in its language),
  // and waits there until "remove all traces" undoes it: pressing it again would do nothing new.
  var saveWords = saveButton.textContent;
  var savedWords = saveButton.getAttribute("data-amparo-saved") || saveWords;

  function show(which) {
    state.textContent = box.getAttribute("data-state-" + which);
    box.setAttribute("data-amparo-offline", which);
    saveButton.textContent = which === "on" ? savedWords : saveWords;
    saveButton.disabled = which === "on" || which === "working";
    removeButton.disabled = which === "working";
  }

  function saveIn(worker) {
    return new Promise(function (resolve, reject) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function (event) {
        if (event.data.saved) resolve(event.data.saved); else reject(new Error(event.data.failed));
      };
      worker.postMessage({ type: "save", language: document.documentElement.lang }, [channel.port2]);
    });
  }

  function save() {
    show("working");
    navigator.serviceWorker.register(siteRoot + "sw.js", { scope: siteRoot })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) { return saveIn(registration.active); })
      .then(function () { show("on"); }, function () { show("failed"); });
  }

  function removeAll() {
    show("working");
    var steps = [
      navigator.serviceWorker.getRegistrations().then(function (registrations) {
        return Promise.all(registrations.map(function (registration) { return registration.unregister(); }));
      }),
      caches.keys().then(function (keys) {
        return Promise.all(keys.map(function (key) { return caches.delete(key); }));
      }),
    ];
    if (window.indexedDB && indexedDB.databases) {
      steps.push(indexedDB.databases().then(function (databases) {
        databases.forEach(function (database) { indexedDB.deleteDatabase(database.name); });
      }));
    }
    try { localStorage.clear(); sessionStorage.clear(); } catch (error) { /* storage blocked: nothing there */ }
    document.cookie.split(";").forEach(function (cookie) {
      var name = cookie.split("=")[0].trim();
      if (name) document.cookie = name + "=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/";
    });
    Promise.all(steps)
      // Last, where the host sends headers: its Clear-Site-Data answer empties this site's HTTP
      // cache (the copies of pages seen), which no script can reach. Elsewhere it changes nothing.
      .then(function () {
        return fetch(siteRoot + "clear-site-data.txt", { cache: "no-store" }).catch(function () {});
      })
      .then(function () { show("removed"); }, function () { show("failed"); });
  }

  saveButton.addEventListener("click", save);
  removeButton.addEventListener("click", removeAll);
  box.hidden = false;
  navigator.serviceWorker.getRegistration(siteRoot).then(function (registration) {
    show(registration ? "on" : "off");
  });
})();
