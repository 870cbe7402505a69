/* The suggestion funnel (collected → adopted → implemented) as an ECharts funnel. The data arrives through
   json_script; the chart keeps the stages in their order rather than sorting them by size. */
(function () {
  "use strict";
  function funnel(id, dataId) {
    var el = document.getElementById(id);
    var source = document.getElementById(dataId);
    if (!el || !source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var first = data.stages.length ? data.stages[0].value : 0;
    var chart = echarts.init(el, null, { renderer: "canvas" });
    window.addEventListener("resize", function () { chart.resize(); });
    chart.setOption({
      color: ["#f0b27a", "#e74c3c", "#b71c1c"],
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var share = first ? Math.round((1000 * p.value) / first) / 10 : 0;
          return p.name + ": " + p.value + " (" + share + "%)";
        }
      },
      series: [{
        type: "funnel",
        sort: "none",
        left: "10%", width: "80%", top: 8, bottom: 8,
        minSize: "12%",
        label: { show: true, position: "inside", formatter: "{b} {c}" },
        data: data.stages
      }]
    });
  }
  window.redchainFunnel = funnel;
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-funnel]").forEach(function (el) { funnel(el.id, el.dataset.funnel); });
  });
})();
