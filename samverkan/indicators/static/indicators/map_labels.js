/* Label placement for the maps: which labels to show and where, so that no two overlap.
 *
 * Pure (no DOM, no Leaflet): the map script measures each label, gives its anchor in screen pixels, its
 * priority (lower first: the statistics' own numbers, then kommun names, then towns before villages) and the
 * positions it may take around the anchor; placement is greedy by priority, trying each position in turn, and a
 * label that would touch one already placed or leave the view is dropped (the tables beside the map carry
 * everything). Greedy keeps it predictable: the same view always gives the same labels.
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

  root.SamverkanMapLabels = { place: place, intersects: intersects, boxAt: boxAt };
})(window);
