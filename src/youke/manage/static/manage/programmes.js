// The programme page's chart (tasks per area by status), from the page's json_script data:
// no inline script, the CSP forbids it. Names come translated from the server.
(function () {
  "use strict";

  function draw() {
    var element = document.getElementById("programme-chart");
    var source = document.getElementById("programme-chart-data");
    if (!element || !source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var series = data.series.map(function (s) {
      return { name: s.name, type: "bar", stack: "status", data: s.data };
    });
    series.push({ name: data.overdue.name, type: "bar", data: data.overdue.data, itemStyle: { color: "#dc3545" } });
    var chart = echarts.init(element);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.areas, axisLabel: { interval: 0, rotate: data.areas.length > 4 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: series,
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
