// Material's search dialog has role="dialog" but no name, so a screen reader announces an
// unnamed dialog. It is named after its own search field ("Search"), in the site's language.
// Zensical's dialog already has a name, and is left as it is.
(function () {
  "use strict";

  document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])').forEach(function (dialog) {
    var field = dialog.querySelector("input[aria-label]");
    dialog.setAttribute("aria-label", field ? field.getAttribute("aria-label") : "Search");
  });
})();
