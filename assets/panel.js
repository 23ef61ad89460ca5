/* The country / post panel on the client: Escape closes it (by clicking its close button, so
   that the URL and the selection follow), and the zoom-to button fits the map to the selection,
   leaving room for the panel that covers the map's right-hand side. */
(function () {
  "use strict";

  function panelOpen() {
    var panel = document.getElementById("panel");
    return panel && panel.classList.contains("panel-open") ? panel : null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.defaultPrevented) { return; }
    // An open dropdown or dialog takes Escape for itself.
    if (document.querySelector(".dash-dropdown-content, [aria-modal='true'], dialog[open]")) {
      return;
    }
    if (!panelOpen()) { return; }
    var close = document.getElementById("panel-close");
    if (close) { close.click(); }
  }, true);

  window.dash_clientside = window.dash_clientside || {};
  Object.assign(window.dash_clientside, {
    atlasPanel: {
      zoomTo: function (nClicks, bounds) {
        if (!nClicks || !bounds) { return window.dash_clientside.no_update; }
        // What the open panel covers: its width at the right, or, as a phone's bottom sheet,
        // its height at the bottom (assets/layouts.css: --panel-width, --panel-height).
        var panel = panelOpen(), right = 0, bottom = 0;
        if (panel) {
          var box = panel.getBoundingClientRect(), sheet = box.left <= 1 && box.width > 0;
          right = sheet ? 0 : box.width;
          bottom = sheet ? box.height : 0;
        }
        return {
          bounds: bounds,
          transition: "flyToBounds",
          options: { paddingTopLeft: [40, 40], paddingBottomRight: [right + 40, bottom + 40],
                     maxZoom: 7, duration: 0.6 },
        };
      },
    },
  });
})();
