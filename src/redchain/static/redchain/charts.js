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

  /* Place the core at the centre, the alliances on a ring around it and each alliance's members on a
     small ring around the alliance: the 一核多堡 picture, deterministic and readable, unlike a force layout. */
  function placeMatrix(graph) {
    var children = {};
    graph.links.forEach(function (l) { (children[l.source] = children[l.source] || []).push(l.target); });
    var byId = {};
    graph.nodes.forEach(function (n) { byId[n.id] = n; });
    var alliances = children.core || [];
    var ring = 400, inner = 110;
    byId.core.x = 0; byId.core.y = 0;
    alliances.forEach(function (aid, i) {
      var angle = (2 * Math.PI * i) / Math.max(alliances.length, 1) - Math.PI / 2;
      var a = byId[aid];
      a.x = ring * Math.cos(angle); a.y = ring * Math.sin(angle);
      var members = children[aid] || [];
      members.forEach(function (mid, j) {
        var spread = (2 * Math.PI * j) / Math.max(members.length, 1);
        var radius = inner * (0.75 + 0.25 * (j % 2));
        byId[mid].x = a.x + radius * Math.cos(spread);
        byId[mid].y = a.y + radius * Math.sin(spread);
        byId[mid].label = { show: false };
      });
    });
    byId.core.label = { show: true, position: "inside", fontSize: 12, fontWeight: "bold", width: 90, overflow: "break" };
    return graph;
  }

  function matrix(id, graph) {
    var chart = init(id);
    if (!chart) { return; }
    placeMatrix(graph);
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
      series: [{
        type: "graph",
        layout: "none",
        roam: true,
        data: graph.nodes,
        links: graph.links,
        categories: graph.categories,
        label: { show: true, position: "bottom", formatter: "{b}", fontSize: 11 },
        labelLayout: { hideOverlap: true },
        lineStyle: { color: "source", opacity: 0.45, curveness: 0.05 },
        emphasis: { focus: "adjacency", label: { show: true }, lineStyle: { width: 2 } }
      }]
    });
  }

  window.redchainCharts = { chainBar: chainBar, matrix: matrix };
})();
