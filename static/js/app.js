// Small behaviours shared by every page. No inline scripts, so a strict content security policy holds.
(function () {
  "use strict";
  // A <select data-submit-on-enter> (language, agency switcher, filters) acts only on an explicit request: its
  // button, or Enter. Changing the choice alone, with the mouse or the arrow keys, does nothing (WCAG 3.2.2):
  // submitting on "change" reloaded the page on the first arrow key press.
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (event.key !== "Enter" || event.isComposing || !el.matches || !el.matches("select[data-submit-on-enter]")) { return; }
    if (!el.form) { return; }
    event.preventDefault();
    if (el.form.requestSubmit) { el.form.requestSubmit(); } else { el.form.submit(); }
  });
  // A wide table that scrolls sideways on a phone (.table-responsive) must be reachable by keyboard, or its hidden
  // columns are out of reach: while it overflows it is a focusable, named region. The name is the table's caption
  // or aria-label, else the page's generic one (body[data-scroll-label], translated in base.html).
  function markScrollRegions() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var overflows = box.scrollWidth > box.clientWidth + 1;
      if (overflows && !box.hasAttribute("tabindex")) {
        var table = box.querySelector("table");
        var caption = table && table.caption ? table.caption.textContent.trim() : "";
        var name = caption || (table && table.getAttribute("aria-label")) || document.body.dataset.scrollLabel || "";
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", name);
        box.classList.add("scroll-region");
        box.dataset.scrollMarked = "1";
      } else if (!overflows && box.dataset.scrollMarked) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        box.classList.remove("scroll-region");
        delete box.dataset.scrollMarked;
      }
    });
  }
  markScrollRegions();
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(markScrollRegions, 30);
  });

  // A <form data-confirm="question"> asks before it submits (suspending an account and the like).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
  // An error summary (partials/error_summary.html) takes focus when the page loads after a failed save, so a
  // screen reader reads it first and the keyboard starts from it; its links move focus to the field.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href^='#']");
      if (!link) { return; }
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (field) {
        event.preventDefault();
        field.focus();
        field.scrollIntoView({ block: "center" });
      }
    });
  }
})();
