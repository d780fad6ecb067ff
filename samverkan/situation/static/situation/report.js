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

// An autosave answers with each answer's errors (out of band, in "#fel-q<id>"). The field itself is not
// replaced, so the writer keeps typing where they are; here it is marked the way Django marks a field
// with errors on a full page: aria-invalid, and the error list named in aria-describedby. The answer's
// tick box (personal data to confirm) is shown as soon as the server asks for it, and stays while ticked.
(() => {
  const form = document.getElementById("report-form");
  if (!form) return;
  const mark = () => {
    form.querySelectorAll(".question__errors[data-for]").forEach((slot) => {
      const list = slot.querySelector("ul");
      const question = slot.closest(".question");
      if (question) question.classList.toggle("field--error", Boolean(list));
      const field = document.getElementById(slot.dataset.for);
      if (field) {
        const errorId = `${slot.dataset.for}_error`;
        const described = (field.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && id !== errorId);
        if (list) {
          list.id = errorId;
          field.setAttribute("aria-invalid", "true");
          described.push(errorId);
        } else {
          field.removeAttribute("aria-invalid");
        }
        if (described.length) field.setAttribute("aria-describedby", described.join(" "));
        else field.removeAttribute("aria-describedby");
      }
      const name = slot.id.replace(/^fel-/, "");
      const acknowledge = document.getElementById(`bekrafta-${name}`);
      if (acknowledge) {
        const box = acknowledge.querySelector("input");
        acknowledge.hidden = slot.dataset.acknowledge !== "1" && !(box && box.checked);
      }
    });
  };
  document.body.addEventListener("htmx:afterSettle", mark);
})();
