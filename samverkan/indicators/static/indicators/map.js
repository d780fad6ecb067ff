/* The statistics map (situation/statistics_map.html), drawn with the vendored Leaflet.
 *
 * Fetches the page's layers as JSON (situation:statistics_map_data, same filters as the page): hexagons of
 * members' events or DeSO areas of registered crimes, each with its count (the server has already hidden or merged
 * small counts outside the begränsad view), and in the begränsad view the events' points; and the context a
 * reader needs to tell where things are (the kommuner and their neighbours, DeSO areas, towns and villages, the
 * view to fit), all open reference data. No tiles unless the operator configured a tile URL.
 * Counts are written on the map where they fit and always in the tables below it, so colour is never the only
 * carrier. Labels are placed by map_labels.js so that none overlaps another, again after every zoom.
 * No inline script and no innerHTML of data: texts go in through textContent.
 */
(function () {
  "use strict";

  // Four steps of one blue (light → dark); light steps get dark labels.
  var STEPS = ["#c6dbef", "#6baed6", "#2171b5", "#08306b"];
  var OWN_FILL = { stroke: false, fillColor: "#ffffff", fillOpacity: 1, interactive: false };
  var BOUNDARY_STYLE = { color: "#0b4f8a", weight: 2.5, fill: false, interactive: false, className: "map-kommun" };
  var NEIGHBOUR_STYLE = { color: "#6b7480", weight: 1, fill: false, interactive: false, className: "map-neighbour" };
  var DESO_STYLE = { color: "#6b7480", weight: 0.8, dashArray: "3 3", fill: false, interactive: false, className: "map-deso" };
  var ZERO_FILL = "#f4f4f2";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function breaks(counts) {
    // Upper bounds of four equal-width classes between the smallest and largest shown count.
    var values = counts.filter(function (n) { return typeof n === "number" && n > 0; });
    if (!values.length) return [];
    var lo = Math.min.apply(null, values), hi = Math.max.apply(null, values);
    if (lo === hi) return [hi];
    var width = (hi - lo) / STEPS.length;
    return STEPS.map(function (_, i) { return i === STEPS.length - 1 ? hi : Math.floor(lo + width * (i + 1)); });
  }

  function stepOf(n, bounds) {
    for (var i = 0; i < bounds.length; i++) if (n <= bounds[i]) return i + (STEPS.length - bounds.length);
    return STEPS.length - 1;
  }

  function createMap(box) {
    box.hidden = false;
    var canvas = box.querySelector(".event-map__canvas");
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var map = L.map(canvas, {
      fadeAnimation: !still, zoomAnimation: !still, markerZoomAnimation: !still,
      zoomControl: false, scrollWheelZoom: false, zoomSnap: 0.25, minZoom: 3, maxZoom: 17
    });
    L.control.zoom({ zoomInTitle: box.dataset.zoomIn, zoomOutTitle: box.dataset.zoomOut }).addTo(map);
    map.attributionControl.setPrefix(false);
    var tiles = box.dataset.tileUrl;
    if (tiles) {
      var host = "";
      try { host = new URL(tiles.replace(/[{}]/g, ""), window.location.href).host; } catch (e) { host = ""; }
      L.tileLayer(tiles, { attribution: host, maxZoom: 19 }).addTo(map);
    }
    map.setView([62.5, 16.5], 4);
    map.on("popupopen", function (event) {
      var close = event.popup.getElement() && event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", box.dataset.closePopup);
        close.setAttribute("title", box.dataset.closePopup);
      }
    });
    return map;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .catch(function () { return null; });
  }

  // A number stands only inside its own area, with room to spare, so it is never read as a neighbour's.
  function fitsInside(map, shape) {
    return function (w, h) {
      var b = shape.getBounds();
      var nw = map.latLngToContainerPoint(b.getNorthWest()), se = map.latLngToContainerPoint(b.getSouthEast());
      return w <= (se.x - nw.x) * 0.8 && h <= (se.y - nw.y) * 0.7;
    };
  }

  // --- Layers -----------------------------------------------------------------------------------------

  function contextLayers(box, map, labels, context) {
    var legend = [];
    if (context.kommuner.features.length) {
      L.geoJSON(context.kommuner, { style: OWN_FILL }).addTo(map);
    }
    if (context.neighbours.features.length) {
      L.geoJSON(context.neighbours, { style: NEIGHBOUR_STYLE }).addTo(map);
      legend.push(["stat-map__swatch--neighbour", box.dataset.legendNeighbour]);
    }
    if (context.deso.features.length) {
      L.geoJSON(context.deso, { style: DESO_STYLE }).addTo(map);
      legend.push(["stat-map__swatch--deso", box.dataset.legendDeso]);
    }
    labels.addContext(context);
    return legend;
  }

  function countLayer(box, map, labels, geojson, word) {
    var counts = geojson.features.map(function (f) { return f.properties.count; });
    var bounds = breaks(counts);
    var layer = L.geoJSON(geojson, {
      style: function (feature) {
        var p = feature.properties;
        if (p.hidden) return { color: "#4a5360", weight: 1.5, dashArray: "4 4", fillColor: "#ffffff", fillOpacity: 0.8 };
        var fill = p.count > 0 ? STEPS[stepOf(p.count, bounds)] : ZERO_FILL;
        return { color: "#1b1f24", weight: p.merged ? 2 : 1.25, dashArray: p.merged ? "6 4" : null, fillColor: fill, fillOpacity: 0.8 };
      },
      onEachFeature: function (feature, shape) {
        var p = feature.properties;
        var text = p.hidden ? p.text : String(p.count);
        var where = p.place || (p.code ? p.code + (p.name ? " " + p.name : "") : "");
        var title = (where ? where + ": " : "") + text + " " + word + (p.merged ? " (" + box.dataset.merged + ")" : "");
        shape.bindTooltip(title);
        shape.bindPopup(el("p", null, title));
        labels.add({
          text: text, className: "map-label--count",
          latlng: p.label ? L.latLng(p.label[0], p.label[1]) : shape.getBounds().getCenter(),
          priority: 0, // the statistics' own numbers first positions: ["center"], fits: fitsInside(map, shape)
        });
      }
    }).addTo(map);
    drawLegend(box, bounds, geojson.features);
    return layer;
  }

  function drawLegend(box, bounds, features) {
    var legend = box.querySelector(".stat-map__legend");
    var shown = features.map(function (f) { return f.properties.count; }).filter(function (n) { return typeof n === "number" && n > 0; });
    var lower = shown.length ? Math.min.apply(null, shown) : 1; // never suggest counts that are not on the map
    var offset = STEPS.length - bounds.length;
    bounds.forEach(function (upper, i) {
      var item = el("li");
      var swatch = el("span", "stat-map__swatch");
      swatch.style.backgroundColor = STEPS[i + offset];
      swatch.setAttribute("aria-hidden", "true");
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(lower === upper ? String(upper) : lower + "–" + upper));
      legend.appendChild(item);
      lower = upper + 1;
    });
    function extra(className, text) {
      var item = el("li");
      var swatch = el("span", "stat-map__swatch " + className);
      swatch.setAttribute("aria-hidden", "true");
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(text));
      legend.appendChild(item);
    }
    if (features.some(function (f) { return f.properties.merged; })) extra("stat-map__swatch--dashed", box.dataset.legendMerged);
    if (features.some(function (f) { return f.properties.hidden; })) extra("stat-map__swatch--dashed", box.dataset.legendHidden);
  }

  function legendItem(box, className, text) {
    var item = el("li");
    var swatch = el("span", "stat-map__swatch " + className);
    swatch.setAttribute("aria-hidden", "true");
    item.appendChild(swatch);
    item.appendChild(document.createTextNode(text));
    box.querySelector(".stat-map__legend").appendChild(item);
  }

  function pointLayer(box, map, geojson) {
    var layer = L.geoJSON(geojson, {
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, { radius: 6, color: "#1b1f24", weight: 1.5, fillColor: "#ffbf47", fillOpacity: 1 });
      },
      onEachFeature: function (feature, marker) {
        var p = feature.properties;
        var root = el("div", "event-popup");
        root.appendChild(el("p", "event-popup__title", p.category));
        root.appendChild(el("p", "event-popup__meta", p.when));
        if (typeof p.url === "string" && p.url.charAt(0) === "/" && p.url.charAt(1) !== "/") {
          var link = el("a", null, box.dataset.showEvent);
          link.setAttribute("href", p.url);
          root.appendChild(el("p")).appendChild(link);
        }
        marker.bindPopup(root);
      }
    }).addTo(map);
    if (geojson.features.length) {
      var item = el("li");
      var swatch = el("span", "stat-map__swatch stat-map__swatch--point");
      swatch.setAttribute("aria-hidden", "true");
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(box.dataset.legendPoint));
      box.querySelector(".stat-map__legend").appendChild(item);
    }
    return layer;
  }

  function init(box) {
    if (typeof L === "undefined" || !window.SamverkanMapLabels || box.dataset.started) return;
    box.dataset.started = "true";
    var map = createMap(box);
    box.statMap = map; // for browser tests
    var labels = new window.SamverkanMapLabels.LabelLayer(map);
    box.statLabels = labels; // for browser tests
    getJSON(box.dataset.dataUrl).then(function (data) {
      var context = data && data.context;
      var legend = context ? contextLayers(box, map, labels, context) : [];
      if (data) {
        var layer = data.hexes || data.deso;
        var word = data.hexes ? box.dataset.eventsWord : box.dataset.crimesWord;
        if (layer) countLayer(box, map, labels, layer, word);
        if (data.points) pointLayer(box, map, data.points);
        box.dataset.features = String(layer ? layer.features.length : 0);
      }
      if (context && context.kommuner.features.length) {
        // The border on top of the statistics, so it stays visible through every hexagon.
        L.geoJSON(context.kommuner, { style: BOUNDARY_STYLE }).addTo(map);
        legendItem(box, "stat-map__swatch--kommun", box.dataset.legendKommun);
      }
      legend.forEach(function (entry) { legendItem(box, entry[0], entry[1]); });
      if (context && context.bounds) map.fitBounds(context.bounds, { animate: false });
      labels.draw();
      box.dataset.ready = "true";
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-stat-map]"), init);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
