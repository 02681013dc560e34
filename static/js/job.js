// Polls a background job's status and shows its progress and download link when it is done. Polling stops
// when the server says the job is final (done, failed, or given up), when the job is no longer there for this
// person (404, or the login page after the session ended), and after a few network errors in a row.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.dataset.final) { return; }
  var statusEl = box.querySelector("[data-job-status]");
  var messageEl = box.querySelector("[data-job-message]");
  var progressEl = box.querySelector("[data-job-progress]");
  var downloadEl = box.querySelector("[data-job-download]");
  var stoppedEl = box.querySelector("[data-job-stopped]");
  var errors = 0;
  function stop() { stoppedEl.classList.remove("d-none"); }
  // The live region (role="status") announces only when its text changes: set it only when it differs, so a
  // poll that brings nothing new stays silent.
  function setText(el, text) { if (el && el.textContent !== text) { el.textContent = text; } }
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", redirect: "manual", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) { throw new Error("final"); }
        return r.json();
      })
      .then(function (job) {
        errors = 0;
        setText(statusEl, job.status_label);
        setText(messageEl, job.message || "");
        progressEl.value = job.progress;
        if (job.download) {
          downloadEl.href = job.download;
          downloadEl.classList.remove("d-none");
          if (document.activeElement === document.body || document.activeElement === null) { downloadEl.focus(); }
        }
        if (!job.final) { setTimeout(poll, 1500); }
      })
      .catch(function (err) {
        errors += 1;
        if ((err && err.message === "final") || errors >= 3) { stop(); return; }
        setTimeout(poll, 5000);
      });
  }
  poll();
})();
