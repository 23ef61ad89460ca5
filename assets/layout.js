/* The page's layout and keyboard behaviour on the client (docs/layouts.md):
   - the filters drawer of narrow screens: the header's "Filters" button opens and closes it,
     Escape or its close button close it, focus goes in and comes back;
   - the map is one tab stop: its shapes and markers leave the tab order (arrow keys pan and
     +/- zoom the focused map, Leaflet's keyboard handler), and it is named for what the keys do;
     the zoom buttons speak the page's language;
   - opening a panel by a user action moves focus to its heading; closing it (Escape, its close
     button) gives focus back where it was.
   Nothing here is computed from the data; texts come from the layout's data-* attributes. */
(function () {
  "use strict";

  var root = document.documentElement;

  // ---- filters drawer ------------------------------------------------------------------
  function drawerShown() {
    var toggle = document.getElementById("filters-toggle");
    return toggle && toggle.offsetParent !== null;  // the button only shows on narrow screens
  }

  function setDrawer(open, focusBack) {
    var toggle = document.getElementById("filters-toggle");
    root.classList.toggle("filters-open", open);
    if (toggle) { toggle.setAttribute("aria-expanded", open ? "true" : "false"); }
    if (open) {
      var drawer = document.getElementById("filters");
      var first = drawer && drawer.querySelector("input, button:not(.filters-close), [tabindex='0']");
      // after the drawer became visible (visibility transitions at once when opening)
      window.setTimeout(function () { if (first) { first.focus(); } }, 30);
    } else if (focusBack && toggle) {
      toggle.focus();
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    if (target.closest("#filters-toggle")) {
      setDrawer(!root.classList.contains("filters-open"), true);
    } else if (target.closest("#filters-close")) {
      setDrawer(false, true);
    } else if (root.classList.contains("filters-open") && drawerShown() &&
               (target.closest(".map-wrap") || target.closest(".country-list-item"))) {
      setDrawer(false, false);  // a tap on the map, or a country chosen, puts the drawer away
    }
  });

  // Escape: an open dropdown or calendar takes it first, then the drawer, then the panel
  // (assets/panel.js).
  window.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !root.classList.contains("filters-open") || !drawerShown()) {
      return;
    }
    if (document.querySelector(".dash-dropdown-content, .dash-datepicker-content, dialog[open]")) {
      return;
    }
    event.preventDefault();
    setDrawer(false, true);
  }, true);

  // ---- the map: one tab stop, named, its controls in the page's language ---------------
  function setAttr(el, name, value) {
    if (value && el.getAttribute(name) !== value) { el.setAttribute(name, value); }
  }

  function repairMap() {
    var wrap = document.querySelector(".map-wrap");
    if (!wrap) { return; }
    var container = wrap.querySelector(".leaflet-container");
    if (container) {
      setAttr(container, "tabindex", "0");
      setAttr(container, "aria-label", wrap.getAttribute("data-map-label"));
      setAttr(container, "role", "application");
    }
    wrap.querySelectorAll(".leaflet-interactive:not([tabindex='-1'])").forEach(function (el) {
      el.setAttribute("tabindex", "-1");
    });
    [["a.leaflet-control-zoom-in", "data-zoom-in"], ["a.leaflet-control-zoom-out", "data-zoom-out"]]
      .forEach(function (pair) {
        var button = wrap.querySelector(pair[0]), text = wrap.getAttribute(pair[1]);
        if (button) { setAttr(button, "title", text); setAttr(button, "aria-label", text); }
      });
    var credit = wrap.querySelector(".leaflet-control-attribution a[title]");
    if (credit) { setAttr(credit, "title", wrap.getAttribute("data-attribution-title")); }
  }

  // ---- focus: to the panel's heading on opening, back where it was on closing ---------
  var userActed = false, returnTo = null, wasOpen = false, lastFocus = null;
  document.addEventListener("keydown", function () { userActed = true; }, true);
  document.addEventListener("pointerdown", function () { userActed = true; }, true);
  document.addEventListener("focusin", function (event) {
    var panel = document.getElementById("panel");
    if (panel && !panel.contains(event.target)) { lastFocus = event.target; }
  });

  function visible(el) {
    if (el.offsetParent === null && el !== document.body) { return false; }
    return window.getComputedStyle(el).visibility !== "hidden";
  }

  function follow() {
    var panel = document.getElementById("panel");
    if (!panel) { return; }
    var open = panel.classList.contains("panel-open");
    if (open && !wasOpen && userActed) {
      var inside = panel.contains(document.activeElement);
      returnTo = inside ? returnTo : (lastFocus || document.activeElement);
      var heading = document.getElementById("panel-title");
      if (heading) { heading.focus({ preventScroll: true }); }
    } else if (!open && wasOpen) {
      var back = returnTo && document.body.contains(returnTo) && visible(returnTo)
        ? returnTo : null;
      if (!back && returnTo && returnTo.closest && returnTo.closest("#filters") && drawerShown()) {
        back = document.getElementById("filters-toggle");  // it was in the drawer, now put away
      }
      back = back || document.querySelector(".map-wrap .leaflet-container");
      if (back && (panel.contains(document.activeElement) || document.activeElement === document.body)) {
        back.focus({ preventScroll: true });
      }
      returnTo = null;
    }
    wasOpen = open;
  }

  function start() {
    repairMap();
    follow();
    new MutationObserver(function () { repairMap(); follow(); })
      .observe(document.body, { childList: true, subtree: true, attributes: true,
                                attributeFilter: ["class"] });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
