// Polls a background job's status and shows its progress and download link when it is done.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) { return; }
  var statusEl = box.querySelector("[data-job-status]");
  var messageEl = box.querySelector("[data-job-message]");
  var progressEl = box.querySelector("[data-job-progress]");
  var downloadEl = box.querySelector("[data-job-download]");
  // The live region (role="status") announces only when its text changes: set it only when it differs, so a
  // poll that brings nothing new stays silent.
  function setText(el, text) { if (el && el.textContent !== text) { el.textContent = text; } }
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        setText(statusEl, job.status_label);
        setText(messageEl, job.message || "");
        progressEl.value = job.progress;
        if (job.download) {
          downloadEl.href = job.download;
          downloadEl.classList.remove("d-none");
          if (document.activeElement === document.body || document.activeElement === null) { downloadEl.focus(); }
        }
        if (job.status === "queued" || job.status === "running") { setTimeout(poll, 1500); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  poll();
})();
