// Live preview of tool scores, total and level on the score entry page. The server recomputes with
// exact decimals on save; here numbers are kept in hundredths to avoid the worst of float rounding.
(function () {
  "use strict";
  var rulesEl = document.getElementById("scoring-rules");
  var form = document.getElementById("assessment-form");
  if (!rulesEl || !form) { return; }
  var rules = JSON.parse(rulesEl.textContent);
  // The page's digits (the agency's choice on Thai pages; <html data-digits>).
  var thaiDigits = (document.documentElement.dataset.digits || (document.documentElement.lang === "th" ? "thai" : "")) === "thai";

  function toArabic(text) {
    return text.replace(/[๐-๙]/g, function (d) { return String(d.charCodeAt(0) - 0x0E50); });
  }
  function show(value) {
    if (value === null) { return "—"; }
    var text = value.toFixed(2);
    return thaiDigits ? text.replace(/[0-9]/g, function (d) { return String.fromCharCode(0x0E50 + Number(d)); }) : text;
  }
  function round2(x) { return Math.round((x + 1e-9) * 100) / 100; }
  function readScores() {
    var scores = {};
    form.querySelectorAll("input[data-indicator]").forEach(function (input) {
      var text = toArabic(input.value.trim());
      if (/^\d{1,3}(\.\d{1,2})?$/.test(text) && Number(text) <= 100) { scores[input.dataset.indicator] = Number(text); }
    });
    return scores;
  }
  function recompute() {
    var scores = readScores();
    var total = 0, complete = true, toolScores = [];
    rules.tools.forEach(function (tool) {
      var sum = 0, weights = 0, toolComplete = true;
      Object.keys(tool.indicators).forEach(function (n) {
        var w = Number(tool.indicators[n]);
        if (scores[n] === undefined) { toolComplete = false; } else { sum += scores[n] * w; weights += w; }
      });
      var el = form.querySelector('[data-tool-total="' + tool.code + '"]');
      if (toolComplete) {
        var score = sum / weights;
        toolScores.push(round2(score));
        total += score * Number(tool.weight) / 100;
        if (el) { el.textContent = show(round2(score)); }
      } else {
        complete = false;
        if (el) { el.textContent = "—"; }
      }
    });
    var totalEl = form.querySelector("[data-total]");
    var levelEl = form.querySelector("[data-level]");
    if (!complete) { totalEl.textContent = "—"; levelEl.textContent = ""; return; }
    total = round2(total);
    totalEl.textContent = show(total);
    var level = "";
    for (var i = 0; i < rules.levels.length; i++) {
      var rule = rules.levels[i];
      if (total < Number(rule.min_total)) { continue; }
      if (rule.min_each_tool !== null && toolScores.some(function (s) { return s < Number(rule.min_each_tool); })) { continue; }
      level = rule.label; break;
    }
    levelEl.textContent = level;
  }
  // A score that cannot count is marked on its own field when the officer leaves it: the message sits under the
  // field, is named by its aria-describedby and the field says aria-invalid, so a screen reader reads both together.
  function validScore(text) { return text === "" || (/^\d{1,3}(\.\d{1,2})?$/.test(text) && Number(text) <= 100); }
  function markScore(input) {
    var message = document.getElementById(input.id + "-error");
    if (!message) { return; }
    var ok = validScore(toArabic(input.value.trim()));
    input.classList.toggle("is-invalid", !ok);
    if (ok) {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
      message.textContent = "";
    } else {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", message.id);
      message.textContent = form.dataset.scoreError || "";
    }
  }
  form.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("input[data-indicator]")) { markScore(event.target); }
  });
  form.addEventListener("input", recompute);
  recompute();
})();
