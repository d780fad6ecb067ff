/* Event maps (situation/_event_map.html), drawn with the vendored Leaflet.
 *
 * "show": the kommun boundary on a plain background (tiles only if the operator configured a tile URL), its
 * neighbours and the names of its towns and villages (placed without overlap by indicators/map_labels.js),
 * events as circle markers coloured by lägesbild area, popups built from text nodes (never innerHTML of
 * user data), and a legend of the areas shown. The table beside the map is the accessible alternative.
 * "pick": a click inside the map fills the latitude/longitude inputs of the form, which stay visible and
 * editable; typing in them moves the marker.
 * No inline script: the events come from a hidden list (data-* attributes and text) in the partial.
 */
(function () {
  "use strict";

  // One colour per area (default template's area codes); dark enough for 3:1 against the background.
  var AREA_COLOURS = {
    ordning: "#a6611a",
    vald: "#b2182b",
    extremism: "#5e3c99",
    unga: "#0571b0",
    ant: "#1b7837",
    tjansteman: "#c51b7d"
  };
  var OTHER_COLOUR = "#4a5360";
  var BOUNDARY_STYLE = { color: "#0b4f8a", weight: 2.5, fill: false, interactive: false, className: "map-kommun" };
  var OWN_FILL = { stroke: false, fillColor: "#ffffff", fillOpacity: 1, interactive: false };
  var NEIGHBOUR_STYLE = { color: "#6b7480", weight: 1, fill: false, interactive: false, className: "map-neighbour" };

  function colourFor(area) {
    return AREA_COLOURS[area] || OTHER_COLOUR;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function readEvents(box) {
    // One hidden <li> per event with a point: numbers and links in data-*, texts in child spans.
    var list = document.getElementById(box.dataset.events);
    if (!list) return [];
    return Array.prototype.map.call(list.children, function (li) {
      var item = {
        latitude: li.dataset.latitude,
        longitude: li.dataset.longitude,
        area: li.dataset.area || "",
        url: li.dataset.url || "",
        when: li.dataset.when || ""
      };
      Array.prototype.forEach.call(li.querySelectorAll("[data-key]"), function (span) {
        item[span.dataset.key] = span.textContent;
      });
      return item;
    });
  }

  function createMap(box) {
    box.hidden = false;
    var canvas = document.getElementById(box.dataset.canvas);
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var map = L.map(canvas, {
      fadeAnimation: !still,
      zoomAnimation: !still,
      markerZoomAnimation: !still,
      zoomControl: false,
      attributionControl: true,
      scrollWheelZoom: false,
      zoomSnap: 0.25,
      minZoom: 3,
      maxZoom: 17
    });
    L.control.zoom({ zoomInTitle: box.dataset.zoomIn, zoomOutTitle: box.dataset.zoomOut }).addTo(map);
    map.attributionControl.setPrefix(false);
    var tiles = box.dataset.tileUrl;
    if (tiles) {
      var host = "";
      try { host = new URL(tiles.replace(/[{}]/g, ""), window.location.href).host; } catch (e) { host = ""; }
      L.tileLayer(tiles, { attribution: host, maxZoom: 19 }).addTo(map);
    }
    map.setView([62.5, 16.5], 4); // Sweden until the boundary arrives
    map.on("popupopen", function (event) {
      var close = event.popup.getElement() && event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", box.dataset.closePopup);
        close.setAttribute("title", box.dataset.closePopup);
      }
    });
    return map;
  }

  function drawBoundaries(box, map) {
    if (!box.dataset.boundariesUrl) return Promise.resolve(null);
    return fetch(box.dataset.boundariesUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (geojson) {
        if (!geojson || !geojson.features || !geojson.features.length) return null;
        var context = geojson.context;
        if (context) {
          // Under the events: the kommun on white, its neighbours' borders around it.
          L.geoJSON(context.neighbours, { style: NEIGHBOUR_STYLE }).addTo(map).bringToBack();
          L.geoJSON(context.kommuner, { style: OWN_FILL }).addTo(map).bringToBack();
        }
        var layer = L.geoJSON({ type: "FeatureCollection", features: geojson.features }, { style: BOUNDARY_STYLE }).addTo(map);
        if (context && context.bounds) map.fitBounds(context.bounds, { animate: false });
        else map.fitBounds(layer.getBounds(), { padding: [12, 12] });
        if (context && window.SamverkanMapLabels) {
          var labels = new window.SamverkanMapLabels.LabelLayer(map);
          labels.addContext(context);
          labels.draw();
        }
        return layer;
      })
      .catch(function () { return null; });
  }

  function popupFor(box, item) {
    var root = el("div", "event-popup");
    root.appendChild(el("p", "event-popup__title", item.category));
    var meta = [item.when, item.place].filter(Boolean).join(" · ");
    if (meta) root.appendChild(el("p", "event-popup__meta", meta));
    if (item.label) root.appendChild(el("p", "event-popup__text", item.label));
    if (typeof item.url === "string" && item.url.charAt(0) === "/" && item.url.charAt(1) !== "/") {
      var link = el("a", null, box.dataset.showEvent);
      link.setAttribute("href", item.url);
      root.appendChild(el("p")).appendChild(link);
    }
    return root;
  }

  function drawEvents(box, map) {
    var areas = {};
    readEvents(box).forEach(function (item) {
      var lat = parseFloat(item.latitude), lon = parseFloat(item.longitude);
      if (!isFinite(lat) || !isFinite(lon)) return;
      var colour = colourFor(item.area);
      L.circleMarker([lat, lon], {
        radius: 7, color: "#1b1f24", weight: 1.5, fillColor: colour, fillOpacity: 0.9
      }).bindPopup(popupFor(box, item)).addTo(map);
      if (item.area) areas[item.area] = item.area_title || item.area;
    });
    var legend = box.querySelector(".event-map__legend");
    if (!legend) return;
    Object.keys(areas).sort().forEach(function (area) {
      var entry = el("li");
      var swatch = el("span", "event-map__swatch");
      swatch.style.backgroundColor = colourFor(area);
      swatch.setAttribute("aria-hidden", "true");
      entry.appendChild(swatch);
      entry.appendChild(document.createTextNode(areas[area]));
      legend.appendChild(entry);
    });
    legend.hidden = !legend.children.length;
  }

  function setupPick(box, map) {
    var latInput = document.getElementById(box.dataset.latInput);
    var lonInput = document.getElementById(box.dataset.lonInput);
    var status = document.getElementById(box.dataset.status);
    if (!latInput || !lonInput) return;
    var marker = null;

    function place(lat, lon) {
      if (!isFinite(lat) || !isFinite(lon)) {
        if (marker) { map.removeLayer(marker); marker = null; }
        return;
      }
      if (marker) marker.setLatLng([lat, lon]);
      else marker = L.circleMarker([lat, lon], { radius: 8, color: "#1b1f24", weight: 2, fillColor: "#ffbf47", fillOpacity: 1 }).addTo(map);
    }

    function fromInputs() {
      var lat = parseFloat(String(latInput.value).replace(",", "."));
      var lon = parseFloat(String(lonInput.value).replace(",", "."));
      place(lat, lon);
    }

    map.on("click", function (event) {
      var lat = event.latlng.lat.toFixed(5), lon = event.latlng.wrap().lng.toFixed(5);
      latInput.value = lat;
      lonInput.value = lon;
      [latInput, lonInput].forEach(function (input) {
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
      place(Number(lat), Number(lon));
      if (status) status.textContent = box.dataset.picked + ": " + lat + ", " + lon;
    });
    latInput.addEventListener("change", fromInputs);
    lonInput.addEventListener("change", fromInputs);
    fromInputs();
  }

  function init(box) {
    if (typeof L === "undefined" || box.dataset.started) return;
    box.dataset.started = "true";
    var map = createMap(box);
    box.eventMap = map; // for browser tests and other scripts on the page
    var pick = box.dataset.eventMap === "pick";
    if (pick) setupPick(box, map);
    else drawEvents(box, map);
    drawBoundaries(box, map).then(function () {
      box.dataset.ready = "true";
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-event-map]"), init);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
