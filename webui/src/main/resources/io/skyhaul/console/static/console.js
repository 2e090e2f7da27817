// Skyhaul console: small, optional enhancements. Every page works without this script.
(function () {
  "use strict";

  // Dashboard: re-fetch the live fragment and swap it in (the page has a <noscript> refresh otherwise).
  var live = document.getElementById("live");
  if (live && live.dataset.refresh) {
    var seconds = Math.max(1, parseInt(live.dataset.seconds || "2", 10));
    var busy = false;
    var refresh = function () {
      if (busy || document.hidden) { return; }
      busy = true;
      fetch(live.dataset.refresh, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (r) {
          if (r.redirected || !r.ok) { throw new Error("status " + r.status); }
          return r.text();
        })
        .then(function (html) { live.innerHTML = html; live.removeAttribute("data-stale"); })
        .catch(function () { live.setAttribute("data-stale", "true"); })
        .then(function () { busy = false; });
    };
    window.setInterval(refresh, seconds * 1000);
  }

  // Copy buttons: copy the named field's text (a token shown once, a command to paste).
  document.addEventListener("click", function (e) {
    var b = e.target.closest("button.copy");
    if (!b) { return; }
    var field = document.getElementById(b.dataset.copy);
    if (!field) { return; }
    field.select();
    var done = function () { b.textContent = "Copied"; window.setTimeout(function () { b.textContent = "Copy"; }, 2000); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  });
})();
