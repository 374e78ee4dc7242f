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
