// Draws every <canvas data-chart="ID"> from the JSON in <script id="ID" type="application/json">
// (Django's json_script), so pages need no inline script.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var palette = ["#1f3a68", "#f0ad4e", "#5cb85c", "#d9534f", "#6f42c1"];
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var datasets = spec.datasets.map(function (ds, i) {
      var color = palette[i % palette.length];
      var line = spec.type === "line" || ds.kind === "line";
      return {
        label: ds.label, data: ds.data, type: line ? "line" : "bar",
        backgroundColor: line ? color : color + "cc", borderColor: color,
        borderWidth: line ? 2 : 0, pointRadius: line ? 3 : 0, spanGaps: true, tension: 0.2
      };
    });
    // Chart.js writes a zero tick as the literal "0" whatever the locale (its numeric formatter returns it before
    // formatting): the axis read ๒, ๑, 0. Every tick goes through the page's number format instead.
    var format = new Intl.NumberFormat(spec.locale || undefined, { maximumFractionDigits: 2 });
    var tick = function (value) { return format.format(value); };
    new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        // Values on the axis and in tooltips in the page's digits (labels come written in them).
        locale: spec.locale || undefined,
        responsive: true, maintainAspectRatio: false,
        scales: spec.scale === "count"
          ? { y: { beginAtZero: true, ticks: { precision: 0, callback: tick } } }
          : { y: { min: 0, max: 100, ticks: { callback: tick } } },
        plugins: {
          legend: { position: "bottom", display: spec.datasets.length > 1 },
          tooltip: { callbacks: { title: function (items) {
            var i = items[0].dataIndex;
            return spec.titles ? spec.labels[i] + ". " + spec.titles[i] : spec.labels[i];
          } } }
        }
      }
    });
  });
})();
