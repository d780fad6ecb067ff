// The follow-up sheet (a refused or conflicting row is swapped in by core/samverkan.js).
// After a row is re-rendered, move focus to its status or first error, so keyboard users stay put.
document.addEventListener("htmx:afterSwap", function (event) {
  var row = event.detail.target;
  if (!row || !row.id || !row.id.startsWith("atgard-")) {
    return;
  }
  var fresh = document.getElementById(row.id);
  var focusable = fresh && fresh.querySelector(".error-summary a, .conflict, .sheet-row__status");
  if (focusable) {
    if (!focusable.hasAttribute("tabindex") && focusable.tagName !== "A") {
      focusable.setAttribute("tabindex", "-1");
    }
    focusable.focus();
  }
});
