/* A moved address (amparo/templates/redirect.html): go to the new one at once, keeping the
 * #section the old link asked for, and leave no entry for the old address in the history. */
(function () {
  "use strict";
  var link = document.querySelector("a[data-amparo-redirect]");
  if (!link) return;
  var target = link.getAttribute("href");
  if (location.hash && target.indexOf("#") < 0) target += location.hash;
  location.replace(target);
})();
