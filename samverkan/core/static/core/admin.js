// Fixes to Django's admin scripts for WCAG 2.1 AA (tests/e2e/test_admin_accessibility.py); loaded by
// samverkan/templates/admin/base_site.html as a file, since the CSP forbids inline script.
(function () {
  "use strict";

  // The two-list widget (filter_horizontal) names its filter boxes with an aria-label on a bare span,
  // which ARIA does not allow (aria-prohibited-attr); as an image the span's name is the label's text.
  function nameFilterIcons() {
    document.querySelectorAll(".selector .search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  // The autocomplete widget (select2) names its combobox by the chosen value only, so an empty one has
  // no name (aria-input-field-name): each is named by the field's label, then the value.
  function nameAutocompletes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const widget = select.nextElementSibling;
      if (!widget || !widget.classList.contains("select2")) {
        return;
      }
      const combobox = widget.querySelector(".select2-selection[role=combobox]");
      const rendered = widget.querySelector(".select2-selection__rendered");
      const label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
      if (!combobox || !rendered) {
        return;
      }
      if (label) {
        if (!label.id) {
          label.id = select.id + "_label";
        }
        combobox.setAttribute("aria-labelledby", label.id + " " + rendered.id);
        rendered.setAttribute("aria-labelledby", label.id);
      } else if (select.getAttribute("aria-label")) {
        // A row of a tabular inline: no label element, the row's name is on the select.
        combobox.removeAttribute("aria-labelledby");
        combobox.setAttribute("aria-label", select.getAttribute("aria-label"));
        rendered.setAttribute("aria-label", select.getAttribute("aria-label"));
      }
    });
  }

  function fixAll() {
    nameFilterIcons();
    nameAutocompletes();
  }

  // SelectFilter2.js builds its widget on window load and autocomplete.js on document ready; this
  // listener is added after theirs (a deferred script runs after the form's media), and the timeout
  // covers a widget built later in the same turn (a new inline row).
  window.addEventListener("load", function () {
    fixAll();
    window.setTimeout(fixAll, 0);
  });
  document.addEventListener("formset:added", function () {
    window.setTimeout(fixAll, 0);
  });
})();
