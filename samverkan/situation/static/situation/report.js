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
