// Small behaviours without inline handlers (so a Content-Security-Policy can forbid inline script).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-action='print']")) {
    window.print();
  }
  const toggle = event.target.closest("button[data-collapse-narrow]");
  if (toggle) {
    setExpanded(toggle, toggle.getAttribute("aria-expanded") !== "true");
  }
});

// A disclosure button for a menu that only folds on narrow screens (the CSS hides the button and
// shows the menu on wide ones). The page is served with the button hidden and the menu open, so the
// menu stays reachable without JavaScript; here the button appears and the menu starts folded.
function setExpanded(toggle, expanded) {
  toggle.setAttribute("aria-expanded", expanded ? "true" : "false");
  const menu = document.getElementById(toggle.getAttribute("aria-controls"));
  if (menu) {
    menu.toggleAttribute("data-collapsed", !expanded);
  }
}

for (const toggle of document.querySelectorAll("button[data-collapse-narrow]")) {
  toggle.hidden = false;
  setExpanded(toggle, false);
}

// A form posted with htmx that is refused (422) or meets someone else's save (409) answers with the form
// again, its errors or both texts in place: swap it in like a success. htmx leaves 4xx unswapped by
// default, which looked to the writer as if the button did nothing.
document.addEventListener("htmx:beforeSwap", (event) => {
  const status = event.detail.xhr.status;
  if (status === 409 || status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
