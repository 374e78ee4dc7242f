// The monitoring dashboard's charts, from the page's json_script data (no inline script:
// the CSP forbids it). Texts come from the holder's data- attributes, translated server side.
(function () {
  "use strict";

  var charts = {};

  function draw(id, option) {
    var element = document.getElementById(id);
    if (!element) return;
    var chart = echarts.init(element);
    chart.setOption(option);
    charts[id] = chart;
    window.addEventListener("resize", function () { chart.resize(); });
  }

  var LIGHT_COLOURS = { green: "#198754", amber: "#ffc107", red: "#dc3545", none: "#adb5bd" };

  function rankOption(labels, indicator, ranked) {
    var suffix = indicator.percent ? "%" : "";
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: [labels.labelValue, labels.labelTarget] },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: ranked.units, axisLabel: { interval: 0, rotate: ranked.units.length > 5 ? 30 : 0 } },
      yAxis: { type: "value", axisLabel: { formatter: "{value}" + suffix } },
      series: [
        {
          name: labels.labelValue,
          type: "bar",
          data: ranked.values.map(function (value, i) {
            return { value: value, itemStyle: { color: LIGHT_COLOURS[ranked.lights[i]] } };
          }),
        },
        { name: labels.labelTarget, type: "line", step: "middle", symbol: "none", data: ranked.targets },
      ],
    };
  }

  function subjectsOption(labels, rows) {
    var names = rows.map(function (r) { return r.subject ? r.stage + " · " + r.subject : r.stage; });
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: names, inverse: true },
      series: [{ name: labels.labelLessons, type: "bar", data: rows.map(function (r) { return r.lessons; }) }],
    };
  }

  function gapOption(labels, gap) {
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: gap.map(function (g) { return g.name; }) },
      yAxis: { type: "value" },
      series: [
        { name: labels.labelUrban, type: "bar", data: gap.map(function (g) { return g.urban; }) },
        { name: labels.labelCounty, type: "bar", data: gap.map(function (g) { return g.county; }) },
      ],
    };
  }

  function historyOption(labels, history) {
    var days = history.map(function (h) { return h.day; });
    function line(name, key) {
      return { name: name, type: "line", data: history.map(function (h) { return h[key]; }) };
    }
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: days },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        line(labels.labelTeachers, "teachers"),
        line(labels.labelShowcased, "showcased"),
        line(labels.labelLessons, "lessons"),
        line(labels.labelExcellent, "excellent"),
      ],
    };
  }

  function exportPng(id) {
    var chart = charts[id];
    if (!chart) return;
    var link = document.createElement("a");
    link.href = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" });
    link.download = id + ".png";
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var holder = document.getElementById("monitoring-charts");
    var source = document.getElementById("monitoring-data");
    if (!holder || !source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var labels = holder.dataset;
    data.indicators.forEach(function (indicator) {
      draw("chart-rank-" + indicator.key, rankOption(labels, indicator, data.ranked[indicator.key]));
    });
    draw("chart-subjects", subjectsOption(labels, data.subjects));
    draw("chart-gap", gapOption(labels, data.gap));
    draw("chart-history", historyOption(labels, data.history));
    holder.addEventListener("click", function (event) {
      var button = event.target.closest("[data-png]");
      if (button) exportPng(button.dataset.png);
    });
  });
})();
