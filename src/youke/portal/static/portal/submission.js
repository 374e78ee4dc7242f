/* After an upload finishes, refresh that slot's check result (it then polls itself while
 * the server checks the file); the other slots and their uploads are left alone. */
(function () {
  "use strict";
  document.addEventListener("youke:uploaded", function (event) {
    var row = event.target.closest("tr");
    var cell = row && row.querySelector("[data-slot-status]");
    if (cell && window.htmx) window.htmx.trigger(cell, "refresh");
  });
})();

/* The history loads when its <details> is opened (hx-trigger "toggle once"). Opened before
 * htmx was ready (a quick click on a slow connection), the toggle was missed: load it now. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("submission-history-box");
    if (box && box.open && window.htmx) window.htmx.trigger(box, "toggle");
  });
})();
