// The indicator page's line chart (Chart.js, vendored). Data comes from a json_script element, so the
// page needs no inline script; the table under the chart holds the same values for every reader.
// Lines differ by dash pattern and point shape as well as colour, so colour never carries meaning alone.
// Counts of the län and riket (data.compare_unit) get an axis of their own on the right: on the
// kommun's axis the kommun would be a flat line at the bottom.
(function () {
  "use strict";

  const COLOURS = {
    kommun: "#083a66",
    lan: "#8a4b00",
    riket: "#3d3d3d",
    target: "#a4001d",
    band: "rgba(8, 58, 102, 0.15)",
  };

  function numberFormat(value) {
    return value === null || value === undefined ? "–" : value.toLocaleString("sv-SE");
  }

  function datasets(data) {
    const sets = [];
    const compareAxis = data.compare_unit ? "y2" : "y";
    if (data.ci) {
      // The confidence band: the upper bound filled down to the lower one (the next dataset).
      sets.push({
        label: data.ci.label,
        data: data.ci.high,
        borderWidth: 0,
        pointRadius: 0,
        backgroundColor: COLOURS.band,
        fill: "+1",
        spanGaps: false,
      });
      sets.push({
        label: "",
        data: data.ci.low,
        borderWidth: 0,
        pointRadius: 0,
        backgroundColor: COLOURS.band,
        fill: false,
        ciLower: true,
      });
    }
    sets.push({
      label: data.kommun.label,
      data: data.kommun.values,
      borderColor: COLOURS.kommun,
      backgroundColor: COLOURS.kommun,
      borderWidth: 2.5,
      pointStyle: "circle",
      pointRadius: data.labels.length > 40 ? 0 : 3,
    });
    if (data.lan) {
      sets.push({
        label: data.lan.label,
        data: data.lan.values,
        borderColor: COLOURS.lan,
        backgroundColor: COLOURS.lan,
        borderDash: [8, 4],
        yAxisID: compareAxis,
        borderWidth: 2,
        pointStyle: "triangle",
        pointRadius: data.labels.length > 40 ? 0 : 4,
      });
    }
    if (data.riket) {
      sets.push({
        label: data.riket.label,
        data: data.riket.values,
        borderColor: COLOURS.riket,
        backgroundColor: COLOURS.riket,
        borderDash: [2, 3],
        yAxisID: compareAxis,
        borderWidth: 2,
        pointStyle: "rect",
        pointRadius: data.labels.length > 40 ? 0 : 3,
      });
    }
    for (const target of data.targets) {
      sets.push({
        label: target.label,
        data: target.values,
        borderColor: COLOURS.target,
        backgroundColor: COLOURS.target,
        borderDash: [12, 6],
        borderWidth: 2,
        pointRadius: 0,
        pointStyle: "line",
        spanGaps: false,
        isTarget: true,
      });
    }
    return sets;
  }

  function draw(figure) {
    const source = document.getElementById("indicator-chart-data");
    const canvas = figure.querySelector("canvas");
    if (!source || !canvas || typeof window.Chart === "undefined") {
      return;
    }
    const data = JSON.parse(source.textContent);
    const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    const scales = {
      y: { title: { display: true, text: data.unit }, ticks: { callback: numberFormat } },
      x: { ticks: { autoSkip: true, maxRotation: 0 } },
    };
    if (data.compare_unit) {
      scales.y2 = {
        position: "right",
        title: { display: true, text: data.compare_unit },
        ticks: { callback: numberFormat },
        grid: { drawOnChartArea: false },
      };
    }
    figure.chart = new window.Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets: datasets(data) },
      options: {
        animation: reduceMotion || data.labels.length > 60 ? false : { duration: 300 },
        maintainAspectRatio: false,
        normalized: true,
        interaction: { mode: "index", intersect: false },
        scales: scales,
        plugins: {
          legend: {
            labels: {
              usePointStyle: true,
              filter: (item, chartData) => !chartData.datasets[item.datasetIndex].ciLower,
            },
          },
          tooltip: {
            filter: (item) => !item.dataset.ciLower,
            callbacks: {
              label: (item) => {
                if (item.dataset.fill === "+1") {
                  const low = data.ci.low[item.dataIndex];
                  return `${item.dataset.label}: ${numberFormat(low)}–${numberFormat(item.raw)}`;
                }
                return `${item.dataset.label}: ${numberFormat(item.raw)}`;
              },
            },
          },
        },
      },
    });
    figure.dataset.ready = "true";
  }

  function start() {
    document.querySelectorAll("[data-indicator-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
