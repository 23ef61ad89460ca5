/* The country / post panel on the client: Escape closes it (by clicking its close button, so
   that the URL and the selection follow); opening a selection brings it into the part of the
   map the panel leaves free, choosing regions fits them, and the zoom-to button fits the map to
   the selection. */
(function () {
  "use strict";

  function panelOpen() {
    var panel = document.getElementById("panel");
    return panel && panel.classList.contains("panel-open") ? panel : null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.defaultPrevented) { return; }
    // An open dropdown or dialog takes Escape for itself.
    if (document.querySelector(".dash-dropdown-content, .dash-datepicker-content, "
                               + "[aria-modal='true'], dialog[open]")) {
      return;
    }
    if (!panelOpen()) { return; }
    var close = document.getElementById("panel-close");
    if (close) { close.click(); }
  }, true);

  // The part of the map the panel does not cover, as padding in pixels: the panel sits on the
  // map's right-hand side, or at its bottom when the window is narrow (a bottom sheet).
  function freePadding() {
    var map = document.getElementById("map");
    var pad = { top: 0, right: 0, bottom: 0, left: 0 };
    var panel = panelOpen();
    if (!map || !panel) { return pad; }
    var box = map.getBoundingClientRect();
    var style = window.getComputedStyle(panel);
    var width = panel.offsetWidth, height = panel.offsetHeight;
    // While it slides in, the panel is moved by a transform: take its resting place instead.
    var sheet = width >= box.width * 0.95;
    if (sheet) {
      pad.bottom = Math.min(height, box.height * 0.6);
    } else if (style.position === "absolute" || style.position === "fixed") {
      pad.right = Math.min(width, box.width * 0.7);
    }
    return pad;
  }

  function mercatorY(lat) {
    var rad = Math.max(-85, Math.min(85, lat)) * Math.PI / 180;
    return Math.log(Math.tan(Math.PI / 4 + rad / 2));
  }

  // True when `bounds` lies in the free part of the map now showing `view` (both
  // [[south, west], [north, east]]) and is big enough there to be seen (40 px across).
  function inFreePart(bounds, view, pad) {
    var map = document.getElementById("map");
    if (!map || !view || !view[0] || !view[1]) { return false; }
    var width = map.clientWidth, height = map.clientHeight;
    var west = view[0][1], east = view[1][1];
    var top = mercatorY(view[1][0]), bottom = mercatorY(view[0][0]);
    function x(lon) { return (lon - west) / (east - west) * width; }
    function y(lat) { return (top - mercatorY(lat)) / (top - bottom) * height; }
    var left = x(bounds[0][1]), right = x(bounds[1][1]);
    var upper = y(bounds[1][0]), lower = y(bounds[0][0]);
    var seen = right - left >= 40 || lower - upper >= 40;
    return seen && left >= pad.left && right <= width - pad.right &&
      upper >= pad.top && lower <= height - pad.bottom;
  }

  // The list of countries A to Z (dashboard.panel_layout.country_list): its buttons are drawn
  // here from the list's data-countries when it is first unfolded (the click on its summary,
  // Enter included, comes before the list opens), and a click on one asks for the country's
  // panel through the request store the list names, as the panel's open buttons do.
  var countryRequests = 0;
  function drawCountryList(list) {
    if (!list || list.dataset.drawn === list.dataset.countries) { return; }
    var fragment = document.createDocumentFragment();
    JSON.parse(list.dataset.countries || "[]").forEach(function (entry) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "country-list-item";
      button.dataset.country = entry[0];
      button.textContent = entry[1];
      item.appendChild(button);
      fragment.appendChild(item);
    });
    list.replaceChildren(fragment);
    list.dataset.drawn = list.dataset.countries;
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target || !target.closest) { return; }
    var summary = target.closest(".country-list-summary");
    if (summary) {
      drawCountryList(summary.parentElement.querySelector(".country-list-items"));
      return;
    }
    var button = target.closest(".country-list-item");
    var list = button && button.closest(".country-list-items");
    if (list && button.dataset.country) {
      countryRequests += 1;
      window.dash_clientside.set_props(list.dataset.request, {
        data: { country: button.dataset.country, post: null, n: -countryRequests },
      });
    }
  }, true);

  // What was last brought into view, by source (the panel's selection, the chosen regions),
  // so that a filter change re-sending the same selection does not move the map again; a
  // closed panel forgets its selection, so that opening the same country again brings it back.
  var shown = {};
  var lastMapClick = 0;
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.closest && target.closest("#map .leaflet-interactive")) {
      lastMapClick = Date.now();
    }
  }, true);
  var linkView = /[?&]zoom=/.test(window.location.search);
  var drawnOnce = false;
  // How many moves the page has asked of the map (a region fitted, a selection brought into
  // view, the zoom-to button): a URL's viewport that was on its way meanwhile does not undo one.
  var moves = 0;

  // The move that brings `focus` ({key, bounds}) into view, or no update.
  function moveTo(focus, view, source) {
    if (!focus || !focus.bounds) { return window.dash_clientside.no_update; }
    var pad = freePadding(), margin = 24;
    // A country clicked on the map stays where it is when the panel leaves it in view at a
    // size one can see; a link, a search or a chip always brings the selection to view.
    var clicked = Date.now() - lastMapClick < 3000;
    if (source === "panel" && clicked && inFreePart(focus.bounds, view, pad)) {
      return window.dash_clientside.no_update;
    }
    moves += 1;
    return {
      bounds: source === "panel" ? withNeighbours(focus.bounds) : focus.bounds,
      transition: "flyToBounds",
      options: { paddingTopLeft: [pad.left + margin, pad.top + margin],
                 paddingBottomRight: [pad.right + margin, pad.bottom + margin],
                 maxZoom: 7, duration: 0.6 },
    };
  }

  // A selection's bounds grown on every side by half its span (between 1.5 and 6 degrees),
  // so that it shows with its neighbours: Lebanon with Syria, Kenya with Uganda.
  function withNeighbours(bounds) {
    var south = bounds[0][0], west = bounds[0][1], north = bounds[1][0], east = bounds[1][1];
    function grow(span) { return Math.min(Math.max(span / 2, 1.5), 6); }
    var dLat = grow(north - south), dLon = grow(east - west);
    return [[Math.max(south - dLat, -80), west - dLon], [Math.min(north + dLat, 84), east + dLon]];
  }

  // Which of the two focuses asks for a move now: one whose key changed since it was last
  // seen. The first of each source is the page's arrival: a link that names its own extent
  // keeps it, and the page's own regions (none, or those of a link that also opens a country)
  // do not move the map.
  function newFocus(panelFocus, regionFocus) {
    var panelKey = panelFocus ? panelFocus.key : null;
    var regionKey = regionFocus ? regionFocus.key : null;
    var panelNew = panelKey !== null && panelKey !== shown.panel;
    var regionNew = regionKey !== null && regionKey !== shown.regions;
    if (panelNew && !("panel" in shown) && linkView) { panelNew = false; }
    if (regionNew && !("regions" in shown) &&
        (linkView || regionKey === "regions:" || panelKey !== null)) {
      regionNew = false;
    }
    if (panelKey !== null) { shown.panel = panelKey; }
    if (regionKey !== null) { shown.regions = regionKey; }
    if (panelNew) { return { focus: panelFocus, source: "panel" }; }
    if (regionNew) { return { focus: regionFocus, source: "regions" }; }
    return null;
  }

  window.dash_clientside = window.dash_clientside || {};
  Object.assign(window.dash_clientside, {
    atlasPanel: {
      zoomTo: function (nClicks, focus) {
        if (!nClicks || !focus || !focus.bounds) { return window.dash_clientside.no_update; }
        var pad = freePadding();
        moves += 1;
        return {
          bounds: focus.bounds,
          transition: "flyToBounds",
          options: { paddingTopLeft: [pad.left + 40, pad.top + 40],
                     paddingBottomRight: [pad.right + 40, pad.bottom + 40],
                     maxZoom: 7, duration: 0.6 },
        };
      },
      // The viewport a URL asks for, once the map is drawn: a viewport set before Leaflet's
      // first render is undone by the map's own initial view.
      whenDrawn: function (viewport) {
        if (!viewport) { return window.dash_clientside.no_update; }
        // On arrival, a move the page has asked for (a linked country, linked regions) wins
        // over the URL's home view whichever comes first; later (a reset, back and forward),
        // only one asked while this viewport waits for the map does.
        var arrival = !drawnOnce, movesBefore = moves;
        return new Promise(function (resolve) {
          var tries = 0;
          (function check() {
            var drawn = document.querySelector("#map .leaflet-map-pane");
            if (drawn || tries > 100) {
              window.setTimeout(function () {
                var moved = moves !== movesBefore || (arrival && moves > 0);
                resolve(moved ? window.dash_clientside.no_update : Object.assign({}, viewport));
              }, drawnOnce ? 0 : 150);
              drawnOnce = drawnOnce || Boolean(drawn);
              return;
            }
            tries += 1;
            window.setTimeout(check, 30);
          })();
        });
      },
      // The map's extent for the URL: null while it shows the home view (the world, or a
      // scoped user's countries: see viewmodel.extent.home_view), no update when that does
      // not change it.
      mapExtent: function (center, zoom, world, previous) {
        var lat = center && (center.lat !== undefined ? center.lat : center[0]);
        var lon = center && (center.lng !== undefined ? center.lng : center[1]);
        if (typeof lat !== "number" || typeof lon !== "number" || typeof zoom !== "number") {
          return window.dash_clientside.no_update;
        }
        var atWorld = Math.abs(lat - world.center[0]) < 0.5 &&
          Math.abs(lon - world.center[1]) < 0.5 && zoom <= world.max_zoom;
        if (atWorld) { return previous ? null : window.dash_clientside.no_update; }
        return { lat: lat, lon: lon, zoom: zoom };
      },
      // Opening a country or a post (click, search, link, chip) brings it into the part of the
      // map the panel leaves free, unless it is there already; choosing regions fits them.
      bringIntoView: function (panelFocus, regionFocus, view) {
        if (!panelFocus && "panel" in shown) { shown.panel = null; }
        var next = newFocus(panelFocus, regionFocus);
        return next ? moveTo(next.focus, view, next.source) : window.dash_clientside.no_update;
      },
    },
  });
})();
