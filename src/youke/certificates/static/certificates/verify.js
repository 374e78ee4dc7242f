// Checks the certificate payload's Ed25519 signature in the browser with WebCrypto,
// against the published key set, and that the page shows what was signed.
(function () {
  "use strict";
  var ORDER = ["n", "i", "a", "l", "d", "s", "k"];

  function b64urlBytes(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) b64 += "=";
    var bin = atob(b64);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function show(box, text, ok) {
    var status = document.getElementById("browser-status");
    status.textContent = text;
    status.className = "mb-0 h5 " + (ok ? "text-success" : "text-danger");
    box.dataset.result = ok ? "valid" : "invalid";
  }

  async function check(box) {
    var parts = box.dataset.payload.split(".");
    if (parts.length !== 2) return show(box, box.dataset.labelBad, false);
    var data, signature, fields;
    try {
      data = b64urlBytes(parts[0]);
      signature = b64urlBytes(parts[1]);
      fields = JSON.parse(new TextDecoder().decode(data));
    } catch (e) {
      return show(box, box.dataset.labelBad, false);
    }
    var response = await fetch(box.dataset.keysUrl, { credentials: "omit" });
    var keys = (await response.json()).keys;
    var jwk = keys.find(function (k) { return k.kid === fields.k; });
    if (!jwk) return show(box, box.dataset.labelBad, false);
    var key;
    try {
      key = await crypto.subtle.importKey("raw", b64urlBytes(jwk.x), { name: "Ed25519" }, false, ["verify"]);
    } catch (e) {
      box.dataset.result = "unsupported";
      document.getElementById("browser-status").textContent = box.dataset.labelUnsupported;
      return;
    }
    var ok = await crypto.subtle.verify({ name: "Ed25519" }, key, signature, data);
    if (!ok) return show(box, box.dataset.labelBad, false);
    var shown = document.querySelectorAll("#certificate-fields [data-field-index]");
    for (var i = 0; i < shown.length; i++) {
      var expected = String(fields[ORDER[Number(shown[i].dataset.fieldIndex)]] || "—");
      if (shown[i].textContent.trim() !== expected) return show(box, box.dataset.labelMismatch, false);
    }
    show(box, box.dataset.labelOk + " · " + fields.s, true);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("browser-check");
    if (box) check(box).catch(function () { show(box, box.dataset.labelBad, false); });
  });
})();
