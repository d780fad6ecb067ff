// Small behaviours without inline handlers (so a Content-Security-Policy can forbid inline script).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-action='print']")) {
    window.print();
  }
});
