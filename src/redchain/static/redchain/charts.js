/* Small ECharts helpers shared by redchain pages. Data arrives through json_script, never inline. */
(function () {
  "use strict";
  function init(id) {
    var el = document.getElementById(id);
    if (!el || typeof echarts === "undefined") { return null; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  function chainBar(id, data, labels) {
    var chart = init(id);
    if (!chart) { return; }
    chart.setOption({
      color: ["#c0392b", "#f0b27a"],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { data: [labels.above, labels.below] },
      grid: { left: 8, right: 16, bottom: 8, top: 32, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.chains, inverse: true },
      series: [
        { name: labels.above, type: "bar", stack: "n", data: data.above },
        { name: labels.below, type: "bar", stack: "n", data: data.below }
      ]
    });
  }

  function matrix(id, graph) {
    var chart = init(id);
    if (!chart) { return; }
    var palette = ["#b71c1c", "#e53935", "#ef6c00", "#1565c0", "#2e7d32", "#6a1b9a", "#00838f"];
    chart.setOption({
      color: palette,
      tooltip: {
        formatter: function (p) {
          if (p.dataType !== "node") { return ""; }
          return p.data.value ? p.data.name + "<br>" + p.data.value : p.data.name;
        }
      },
      legend: [{ data: graph.categories.map(function (c) { return c.name; }), bottom: 0 }],
      animationDuration: 800,
      series: [{
        type: "graph",
        layout: "force",
        roam: true,
        draggable: true,
        data: graph.nodes,
        links: graph.links,
        categories: graph.categories,
        label: { show: true, position: "right", formatter: "{b}", fontSize: 11 },
        labelLayout: { hideOverlap: true },
        force: { repulsion: 160, edgeLength: [40, 120], gravity: 0.08 },
        lineStyle: { color: "source", opacity: 0.5, curveness: 0.1 },
        emphasis: { focus: "adjacency", lineStyle: { width: 3 } }
      }]
    });
  }

  window.redchainCharts = { chainBar: chainBar, matrix: matrix };
})();
