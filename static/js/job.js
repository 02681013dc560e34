// Polls a background job's status and shows its progress and download link when it is done.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) { return; }
  var statusEl = box.querySelector("[data-job-status]");
  var messageEl = box.querySelector("[data-job-message]");
  var progressEl = box.querySelector("[data-job-progress]");
  var downloadEl = box.querySelector("[data-job-download]");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        statusEl.textContent = job.status_label;
        messageEl.textContent = job.message || "";
        progressEl.value = job.progress;
        if (job.download) {
          downloadEl.href = job.download;
          downloadEl.classList.remove("d-none");
        }
        if (job.status === "queued" || job.status === "running") { setTimeout(poll, 1500); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  poll();
})();
