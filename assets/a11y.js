/* Accessibility repairs for Dash 4 core components, applied as they render:
   - option lists (RadioItems, Checklist) are exposed as radiogroup/group named by their field
     label, and their rows lose the nested role="option"/aria-selected (axe:
     aria-input-field-name, nested-interactive, aria-allowed-attr);
   - the dropdowns' focus target is a real, named focusable input rather than an aria-hidden
     one (axe: aria-hidden-focus);
   - the date pickers' popup state sits on their input (a combobox), not on the role-less
     wrapper Dash draws around it (axe: aria-allowed-attr).
   Attributes are written only when they differ, so the observer never feeds itself. */
(function () {
  "use strict";

  function setAttr(el, name, value) {
    if (el.getAttribute(name) !== value) { el.setAttribute(name, value); }
  }

  function dropAttr(el, name) {
    if (el.hasAttribute(name)) { el.removeAttribute(name); }
  }

  function fieldLabel(element) {
    var field = element.closest(".field, .export-field");
    var label = field && field.querySelector(".field-label, .export-label");
    return label ? label.textContent.trim() : "";
  }

  function repair(root) {
    root.querySelectorAll(".dash-options-list").forEach(function (list) {
      if (list.closest(".dash-dropdown-content")) { return; }  // a dropdown's real listbox
      var radios = list.querySelector("input[type='radio']");
      setAttr(list, "role", radios ? "radiogroup" : "group");
      var name = fieldLabel(list);
      if (name) { setAttr(list, "aria-label", name); }
      list.querySelectorAll(".dash-options-list-option").forEach(function (row) {
        dropAttr(row, "role");
        dropAttr(row, "aria-selected");
      });
    });
    root.querySelectorAll(".dash-dropdown-focus-target[aria-hidden]").forEach(function (el) {
      dropAttr(el, "aria-hidden");
      var button = el.parentElement && el.parentElement.querySelector("button.dash-dropdown");
      var name = fieldLabel(el) || (button && button.textContent.trim()) || "";
      if (name) { setAttr(el, "aria-label", name); }
    });
    root.querySelectorAll(".dash-datepicker-input-wrapper[aria-expanded]").forEach(function (el) {
      var input = el.querySelector("input");
      if (input) {
        setAttr(input, "role", "combobox");
        setAttr(input, "aria-haspopup", "dialog");
        setAttr(input, "aria-expanded", el.getAttribute("aria-expanded") || "false");
      }
      ["aria-haspopup", "aria-expanded", "aria-disabled", "aria-labelledby"].forEach(
        function (name) { dropAttr(el, name); });
    });
  }

  function start() {
    repair(document);
    new MutationObserver(function () { repair(document); })
      .observe(document.body, { childList: true, subtree: true, attributes: true,
                                attributeFilter: ["role", "aria-selected", "aria-hidden",
                                                  "aria-expanded"] });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
