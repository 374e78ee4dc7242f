// The inbox's two shared decision dialogs: the button that opens one tells it which entry
// (form action), which decision and the work's title. Rows carry only their buttons, so a
// page of 50 entries does not ship 100 hidden forms.
(function () {
  "use strict";

  function fill(dialog, button) {
    var form = dialog.querySelector("form");
    form.setAttribute("action", button.dataset.action);
    form.reset();
    dialog.querySelectorAll("[data-dialog-title]").forEach(function (node) {
      node.textContent = button.dataset.title || "";
    });
    dialog.querySelectorAll("[data-dialog-label]").forEach(function (node) {
      node.textContent = button.dataset.label || "";
    });
    var submit = dialog.querySelector("[data-dialog-submit]");
    if (submit) {
      submit.value = button.dataset.decision;
      submit.textContent = button.dataset.label || "";
    }
  }

  ["decide-reason", "decide-override"].forEach(function (id) {
    var dialog = document.getElementById(id);
    if (!dialog) {
      return;
    }
    dialog.addEventListener("show.bs.modal", function (event) {
      if (event.relatedTarget) {
        fill(dialog, event.relatedTarget);
      }
    });
  });
})();
