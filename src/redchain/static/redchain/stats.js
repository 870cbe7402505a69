/* The 三率 bar chart of /stats/ and /stats/ranking/. Data arrives through json_script; an HTMX swap redraws. */
(function () {
  "use strict";
  var chart = null;

  function draw() {
    var el = document.getElementById("rates-chart");
    var source = document.getElementById("rates-chart-data");
    if (!el || !source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var labels = JSON.parse(el.getAttribute("data-labels"));
    if (chart) { chart.dispose(); }
    chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      color: ["#c0392b", "#e67e22", "#2e86c1", "#7d3c98"],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v === null || v === undefined ? "–" : v; } },
      legend: { data: [labels.response, labels.resolution, labels.satisfaction, labels.score] },
      grid: { left: 8, right: 16, bottom: 8, top: 40, containLabel: true },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 8 ? 40 : 0 } },
      yAxis: { type: "value", min: 0, max: 100 },
      series: [
        { name: labels.response, type: "bar", data: data.response },
        { name: labels.resolution, type: "bar", data: data.resolution },
        { name: labels.satisfaction, type: "bar", data: data.satisfaction },
        { name: labels.score, type: "line", data: data.score, connectNulls: false }
      ]
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSwap", draw);
  window.addEventListener("resize", function () { if (chart) { chart.resize(); } });
})();
