/* The leaders' dashboard charts of /stats/ and /stats/wall/: the twelve-month trend (line), the category ×
   month heat map and the channel mix (stacked bars). Data arrives through json_script, never inline. */
(function () {
  "use strict";
  var charts = [];

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function make(id) {
    var el = document.getElementById(id);
    if (!el || typeof echarts === "undefined") { return null; }
    var dark = document.body.classList.contains("wall");
    var chart = echarts.init(el, dark ? "dark" : null, { renderer: "canvas" });
    charts.push(chart);
    return chart;
  }

  function big() { return document.body.classList.contains("wall") ? 18 : 12; }

  function trend() {
    var d = data("trend-chart-data"), chart = make("trend-chart");
    if (!d || !chart) { return; }
    var labels = JSON.parse(document.getElementById("trend-chart").getAttribute("data-labels"));
    chart.setOption({
      backgroundColor: "transparent",
      color: ["#c0392b", "#e67e22", "#2e86c1", "#7d3c98"],
      textStyle: { fontSize: big() },
      tooltip: { trigger: "axis" },
      legend: { data: [labels.response, labels.resolution, labels.satisfaction, labels.score], textStyle: { fontSize: big() } },
      grid: { left: 8, right: 16, bottom: 8, top: 40, containLabel: true },
      xAxis: { type: "category", data: d.months, axisLabel: { fontSize: big() } },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { fontSize: big() } },
      series: [
        { name: labels.response, type: "line", data: d.response },
        { name: labels.resolution, type: "line", data: d.resolution },
        { name: labels.satisfaction, type: "line", data: d.satisfaction },
        { name: labels.score, type: "line", data: d.score, lineStyle: { width: 4 } }
      ]
    });
  }

  function heat() {
    var d = data("heat-chart-data"), chart = make("heat-chart");
    if (!d || !chart) { return; }
    var max = d.cells.reduce(function (m, c) { return Math.max(m, c[2]); }, 1);
    chart.setOption({
      backgroundColor: "transparent",
      tooltip: { position: "top" },
      grid: { left: 8, right: 16, bottom: 48, top: 8, containLabel: true },
      xAxis: { type: "category", data: d.months, splitArea: { show: true }, axisLabel: { fontSize: big() } },
      yAxis: { type: "category", data: d.categories, splitArea: { show: true }, axisLabel: { fontSize: big() } },
      visualMap: { min: 0, max: max, calculable: true, orient: "horizontal", left: "center", bottom: 0,
                   inRange: { color: ["#fdf2e9", "#f0b27a", "#c0392b"] } },
      series: [{ type: "heatmap", data: d.cells, label: { show: true, fontSize: big() } }]
    });
  }

  function channels() {
    var d = data("channel-chart-data"), chart = make("channel-chart");
    if (!d || !chart) { return; }
    chart.setOption({
      backgroundColor: "transparent",
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { type: "scroll", textStyle: { fontSize: big() } },
      grid: { left: 8, right: 16, bottom: 8, top: 40, containLabel: true },
      xAxis: { type: "category", data: d.months, axisLabel: { fontSize: big() } },
      yAxis: { type: "value", minInterval: 1, axisLabel: { fontSize: big() } },
      series: d.series.map(function (s) { return { name: s.name, type: "bar", stack: "n", data: s.data }; })
    });
  }

  document.addEventListener("DOMContentLoaded", function () { trend(); heat(); channels(); });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
})();
