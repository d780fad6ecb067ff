// The event form's warning for sensitive categories (EventCategory.sensitive): shown, with its
// confirmation checkbox, only while the chosen category is sensitive and the level is öppen. Without
// script the warning always shows; the server asks for the confirmation only when it applies.
(() => {
  const warning = document.querySelector("[data-sensitive-warning]");
  if (!warning) return;
  const form = warning.closest("form");
  const category = document.getElementById(warning.dataset.categoryInput);
  const sensitive = new Set((warning.dataset.sensitiveCategories || "").split(" ").filter(Boolean));
  const levelName = warning.dataset.levelName;
  const hasError = warning.classList.contains("field--error");

  function level() {
    const checked = form.querySelector(`input[name="${levelName}"]:checked`);
    return checked ? checked.value : "";
  }

  function update() {
    const applies = category !== null && sensitive.has(category.value) && level() === "oppen";
    warning.hidden = !(applies || hasError);
  }

  form.addEventListener("change", update);
  update();
})();
