/* Label placement for the maps: which labels to show and where, so that no two overlap.
 *
 * Pure (no DOM, no Leaflet): the map script measures each label, gives its anchor in screen pixels, its
 * priority (lower first: the statistics' own numbers, then kommun names, then towns before villages) and the
 * positions it may take around the anchor; placement is greedy by priority, trying each position in turn, and a
 * label that would touch one already placed or leave the view is dropped (the tables beside the map carry
 * everything). Greedy keeps it predictable: the same view always gives the same labels.
 * ``LabelLayer`` puts this on a Leaflet map (a pane above the areas, redrawn after every zoom and move); it is
 * the only part that needs the DOM and Leaflet, and is used by the statistics map and the event map.
 */
(function (root) {
  "use strict";

  var GAP = 3; // pixels kept free between two labels, so halos do not touch either

  function intersects(a, b, gap) {
    var g = gap || 0;
    return a.x < b.x + b.w + g && b.x < a.x + a.w + g && a.y < b.y + b.h + g && b.y < a.y + a.h + g;
  }

  function boxAt(c, position) {
    var off = c.offset || 0;
    switch (position) {
      case "right": return { x: c.x + off, y: c.y - c.h / 2, w: c.w, h: c.h };
      case "left": return { x: c.x - off - c.w, y: c.y - c.h / 2, w: c.w, h: c.h };
      case "above": return { x: c.x - c.w / 2, y: c.y - off - c.h, w: c.w, h: c.h };
      case "below": return { x: c.x - c.w / 2, y: c.y + off, w: c.w, h: c.h };
      default: return { x: c.x - c.w / 2, y: c.y - c.h / 2, w: c.w, h: c.h };
    }
  }

  function inside(box, view) {
    return box.x >= 0 && box.y >= 0 && box.x + box.w <= view.width && box.y + box.h <= view.height;
  }

  /* candidates: [{id, x, y, w, h, priority, positions: ["center"|"right"|"left"|"above"|"below"], offset, mark}]
   * ``mark``: the size of a dot drawn at the anchor with the label; it must be free too, and stays taken. 
   * view: {width, height}; options.obstacles: boxes no label may cover (e.g. the zoom buttons).
   * Returns [{id, box: {x, y, w, h}, position}] in placement order. */
  function place(candidates, view, options) {
    var gap = options && typeof options.gap === "number" ? options.gap : GAP;
    var taken = (options && options.obstacles ? options.obstacles : []).slice();
    var order = candidates.map(function (c, i) { return { c: c, i: i }; });
    order.sort(function (a, b) { return (a.c.priority - b.c.priority) || (a.i - b.i); });
    var placed = [];
    order.forEach(function (item) {
      var c = item.c;
      var positions = c.positions && c.positions.length ? c.positions : ["center"];
      var mark = c.mark ? { x: c.x - c.mark / 2, y: c.y - c.mark / 2, w: c.mark, h: c.mark } : null;
      if (mark && taken.some(function (other) { return intersects(other, mark, 0); })) return;
      for (var p = 0; p < positions.length; p++) {
        var box = boxAt(c, positions[p]);
        if (!inside(box, view)) continue;
        if (taken.some(function (other) { return intersects(other, box, gap); })) continue;
        taken.push(box);
        if (mark) taken.push(mark);
        placed.push({ id: c.id, box: box, position: positions[p] });
        return;
      }
    });
    return placed;
  }

  // --- On a Leaflet map -------------------------------------------------------------------------------

  var DOT_SIZE = 8; // a place's dot (6 px) and its white ring
  // Label priorities (lower is placed first): the statistics' numbers, the seats of the collaboration's kommuner,
  // the kommuner's names (in a network; one kommun's name only after its own villages, the page already names
  // it), villages, the neighbours last.
  var PRIORITY = { count: 0, kommun: 1.5, kommunAlone: 3.5, place: { 1: 1, 2: 3, 3: 4, 4: 6 }, neighbour: 5 };

  function LabelLayer(map) {
    this.map = map;
    this.pane = map.createPane("samverkanLabels");
    this.pane.classList.add("map-labels");
    this.items = [];
    var self = this;
    map.on("zoomend moveend resize viewreset", function () { self.draw(); });
  }

  /* A label: its text and class, where it stands (latlng), its priority and positions; ``fits`` (optional)
   * says whether it may show at the current zoom (a number only inside its own area). */
  LabelLayer.prototype.add = function (spec) {
    var node = document.createElement("span");
    node.className = "map-label " + spec.className;
    node.textContent = spec.text;
    node.hidden = true;
    this.pane.appendChild(node);
    var dot = null;
    if (spec.dot) {
      dot = document.createElement("span");
      dot.className = "map-dot";
      dot.setAttribute("aria-hidden", "true");
      dot.hidden = true;
      this.pane.appendChild(dot);
    }
    this.items.push({ spec: spec, node: node, dot: dot, w: 0, h: 0 });
  };

  /* The names in a map's context (situation.map_context): the collaboration's kommuner, their neighbours, and
   * the localities in view with their rank. */
  LabelLayer.prototype.addContext = function (context) {
    var network = context.kommuner.features.length > 1;
    var self = this;
    context.kommuner.features.concat(context.neighbours.features).forEach(function (f) {
      var p = f.properties;
      if (!p.label) return;
      var priority = p.own ? (network ? PRIORITY.kommun : PRIORITY.kommunAlone) : PRIORITY.neighbour;
      self.add({
        text: p.name, className: p.own ? "map-label--kommun" : "map-label--neighbour",
        latlng: L.latLng(p.label[0], p.label[1]), priority: priority,
        positions: ["center", "below", "above"], offset: 14
      });
    });
    context.places.forEach(function (place) {
      self.add({
        text: place.name, className: "map-label--place map-label--rank" + place.rank,
        latlng: L.latLng(place.lat, place.lon), priority: PRIORITY.place[place.rank] || 7,
        positions: ["right", "left", "above", "below"], offset: 6, dot: true
      });
    });
  };

  LabelLayer.prototype.measure = function (item) {
    if (!item.w) {
      // Measured once, unseen; the size of a text does not change with the zoom.
      item.node.style.visibility = "hidden";
      item.node.hidden = false;
      item.w = Math.ceil(item.node.offsetWidth);
      item.h = Math.ceil(item.node.offsetHeight);
      item.node.hidden = true;
      item.node.style.visibility = "";
    }
  };

  LabelLayer.prototype.obstacles = function () {
    var frame = this.map.getContainer().getBoundingClientRect();
    return Array.prototype.map.call(
      this.map.getContainer().querySelectorAll(".leaflet-control"),
      function (control) {
        var r = control.getBoundingClientRect();
        return { x: r.left - frame.left, y: r.top - frame.top, w: r.width, h: r.height };
      }
    );
  };

  LabelLayer.prototype.draw = function () {
    var map = this.map, size = map.getSize(), self = this;
    var candidates = [];
    this.items.forEach(function (item, i) {
      self.measure(item);
      var spec = item.spec;
      if (spec.fits && !spec.fits(item.w, item.h)) return;
      var at = map.latLngToContainerPoint(spec.latlng);
      candidates.push({
        id: i, x: at.x, y: at.y, w: item.w, h: item.h, priority: spec.priority,
        positions: spec.positions, offset: spec.offset || 0, mark: item.dot ? DOT_SIZE : 0
      });
    });
    var placed = {};
    place(candidates, { width: size.x, height: size.y }, { obstacles: this.obstacles() })
      .forEach(function (p) { placed[p.id] = p.box; });
    this.items.forEach(function (item, i) {
      var box = placed[i];
      item.node.hidden = !box;
      if (item.dot) item.dot.hidden = !box;
      if (!box) return;
      L.DomUtil.setPosition(item.node, map.containerPointToLayerPoint([box.x, box.y]));
      if (item.dot) L.DomUtil.setPosition(item.dot, map.latLngToLayerPoint(item.spec.latlng));
    });
    map.getContainer().dataset.labels = String(Object.keys(placed).length);
  };

  root.SamverkanMapLabels = { place: place, intersects: intersects, boxAt: boxAt, LabelLayer: LabelLayer };
})(window);
