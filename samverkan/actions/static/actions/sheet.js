// The follow-up sheet: a row answered 409 (conflict) or 422 (not saved) is still swapped in, so the
// message is shown in the row that was saved; htmx leaves error responses unswapped by default.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  var target = event.detail.target;
  if ((status === 409 || status === 422) && target && target.classList.contains("sheet-row")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
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
