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
  // A <form data-confirm="question"> asks before it submits (suspending an account and the like).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
