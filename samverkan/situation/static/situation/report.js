// The report form saves drafts as you go (htmx posts the form on change). Here: say so when a save fails
// because the connection dropped, so nobody believes a draft was kept when it was not.
document.addEventListener("htmx:sendError", (event) => {
  const status = document.getElementById("autosave-status");
  if (status && event.target.closest("#report-form")) {
    status.textContent = status.dataset.offline || "Kunde inte spara just nu. Tryck på ”Spara utkast” när du har anslutning igen.";
  }
});
document.addEventListener("htmx:responseError", (event) => {
  const status = document.getElementById("autosave-status");
  if (status && event.target.closest("#report-form")) {
    status.textContent = status.dataset.failed || "Kunde inte spara. Tryck på ”Spara utkast”.";
  }
});

// "Spara utkast" and "Skicka in" post the whole form the ordinary way. An autosave still on its way would
// race that post on the server, so the post waits for it, and no autosave starts once the post has begun.
(() => {
  const form = document.getElementById("report-form");
  if (!form) return;
  let inFlight = 0;
  let posting = false;
  let waiting = null;
  form.addEventListener("htmx:beforeRequest", (event) => {
    if (posting) {
      event.preventDefault();
      return;
    }
    inFlight += 1;
  });
  form.addEventListener("htmx:afterRequest", () => {
    inFlight = Math.max(0, inFlight - 1);
    if (inFlight === 0 && waiting) {
      const submitter = waiting;
      waiting = null;
      form.requestSubmit(submitter);
    }
  });
  form.addEventListener("submit", (event) => {
    if (inFlight > 0) {
      event.preventDefault();
      waiting = event.submitter || null;
      return;
    }
    posting = true;
  });
})();
