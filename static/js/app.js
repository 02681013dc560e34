// Small behaviours shared by every page. No inline scripts, so a strict content security policy holds.
(function () {
  "use strict";
  // A <select data-autosubmit> submits its form when changed (language and agency switchers).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) {
      if (el.form.requestSubmit) { el.form.requestSubmit(); } else { el.form.submit(); }
    }
  });
})();
