// The admin dashboard's progress charts: data per child unit from the JSON endpoint.
(function () {
  "use strict";

  function bar(element, units, series, stacked) {
    var chart = echarts.init(element);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: units, axisLabel: { interval: 0, rotate: units.length > 4 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: series.map(function (s) {
        return { name: s.name, type: "bar", stack: stacked ? "total" : undefined, data: s.data };
      }),
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function draw(holder, data) {
    var d = holder.dataset;
    bar(document.getElementById("chart-states"), data.units, data.states.map(function (s) {
      return { name: s.label, data: s.counts };
    }), true);
    bar(document.getElementById("chart-quota"), data.units, [
      { name: d.labelRecommended, data: data.recommended },
      { name: d.labelQuota, data: data.quota },
    ], false);
    bar(document.getElementById("chart-review"), data.units, [
      { name: d.labelDone, data: data.reviews_done },
      { name: d.labelTotal, data: data.reviews_total },
    ], false);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var holder = document.querySelector("[data-chart-url]");
    if (!holder || typeof echarts === "undefined") return;
    fetch(holder.dataset.chartUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) draw(holder, data); });
  });
})();
