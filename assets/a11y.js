/* Accessibility repairs for Dash 4 core components, applied as they render:
   - option lists (RadioItems, Checklist) are exposed as radiogroup/group named by their field
     label, and their rows lose the nested role="option" (axe: aria-input-field-name,
     nested-interactive);
   - the dropdowns' focus target is a real, named focusable input rather than an aria-hidden
     one (axe: aria-hidden-focus).
   Each repair is idempotent and only touches attributes React does not change afterwards. */
(function () {
  "use strict";

  function fieldLabel(element) {
    var field = element.closest(".field");
    var label = field && field.querySelector(".field-label");
    return label ? label.textContent.trim() : "";
  }

  function repair(root) {
    root.querySelectorAll(".dash-options-list[role='listbox']").forEach(function (list) {
      if (list.closest(".dash-dropdown-content")) { return; }  // a dropdown's real listbox
      var radios = list.querySelector("input[type='radio']");
      list.setAttribute("role", radios ? "radiogroup" : "group");
      var name = fieldLabel(list);
      if (name) { list.setAttribute("aria-label", name); }
      list.querySelectorAll("[role='option']").forEach(function (row) {
        row.removeAttribute("role");
        row.removeAttribute("aria-selected");
      });
    });
    root.querySelectorAll(".dash-dropdown-focus-target[aria-hidden='true']").forEach(function (el) {
      el.removeAttribute("aria-hidden");
      var button = el.parentElement && el.parentElement.querySelector("button.dash-dropdown");
      var name = fieldLabel(el) || (button && button.textContent.trim()) || "";
      if (name) { el.setAttribute("aria-label", name); }
    });
  }

  function start() {
    repair(document);
    new MutationObserver(function () { repair(document); })
      .observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
