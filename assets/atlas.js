/* Client-side style and interaction functions of the map layers (referenced from Python with
   dash_extensions.javascript.Namespace("atlas", "layers")). Nothing is computed here: the shapes
   come once from the server, and every style value (classes, outlines, sizes, which names show)
   comes in each layer's `hideout`, computed in Python (layers/*.py) for the screen and the
   exports alike. Every string that comes from the data is escaped before it reaches a tooltip
   or a label. */
(function () {
  "use strict";

  // The latest hideout of the country layers, read by tooltips (which open long after styling).
  var current = { countries: null, posts: null, latest: null, labels: null };
  var firstStyled = new WeakSet();
  // The countries and small states are restyled in place (`restyleCountries`): a filter change
  // sends their new hideout values to `applyLive`, never a new `hideout` (dash-leaflet would
  // draw all 250 paths again). By layer id: the paths drawn, the hideout they were drawn with
  // (the component's own), and the values applied over it since.
  var COUNTRIES = "layer-countries", SMALL_STATES = "layer-small-states";
  var LIVE_STORE = "live-hideouts";  // dashboard.ids.LIVE_HIDEOUTS
  var drawn = {};
  drawn[COUNTRIES] = { paths: new Set(), hideout: undefined, live: null };
  drawn[SMALL_STATES] = { paths: new Set(), hideout: undefined, live: null };

  function esc(value) {
    return String(value === undefined || value === null ? "" : value)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  function fillFor(props, hideout) {
    var index = hideout.classes ? hideout.classes[props.id] : undefined;
    return index === undefined ? hideout.default_fill : hideout.fill_colors[index];
  }

  function isOutlined(props, hideout) {
    return (hideout.outlined || []).indexOf(props.id) >= 0;
  }

  function countryName(props, lang) {
    return lang === "en" ? props.name_en : props.name_fr;
  }

  function cityName(props, lang) {
    return (lang === "en" && props.city_en) || props.city;
  }

  function countryTooltip(props) {
    var h = current.countries || { counts: {}, lang: "fr", text: {} };
    var text = h.text || {};
    var lines = ["<strong>" + esc(countryName(props, h.lang)) + "</strong>"];
    if (props.cov === "host") {
      lines.push(esc(text.host_of) + " " + esc(props.post) + " (" + esc(cityName(props, h.lang)) + ")");
    } else if (props.cov === "regional") {
      lines.push(esc(text.covered_from) + " " + esc(props.post) + " (" +
                 esc(cityName(props, h.lang)) + ")");
    } else if (props.cov === "out") {
      lines.push(esc(text.out_of_scope));
      return lines.join("<br>");
    } else {
      lines.push(esc(text.not_covered));
    }
    var count = (h.counts && h.counts[props.id]) || 0;
    lines.push(esc((h.programmes_text || {})[count] || count));
    return lines.join("<br>");
  }

  function samePostPaths(group, post, add) {
    group.eachLayer(function (layer) {
      var f = layer.feature;
      if (f && f.properties && f.properties.post === post && layer.getElement) {
        var el = layer.getElement();
        if (el) { el.classList.toggle("atlas-same-post", add); }
      }
    });
  }

  // A tooltip opens on the side of the pointer that leaves it inside the visible map: to the
  // left when it would pass under the open panel or the map's right edge.
  function keepTooltipInView(event) {
    var tooltip = event.target.getTooltip && event.target.getTooltip();
    var element = tooltip && tooltip.getElement();
    var map = document.getElementById("map");
    if (!element || !map || !tooltip.isOpen()) { return; }
    var right = map.getBoundingClientRect().right;
    var panel = document.getElementById("panel");
    if (panel && panel.classList.contains("panel-open")) {
      right = Math.min(right, panel.getBoundingClientRect().left);
    }
    var pointer = event.originalEvent ? event.originalEvent.clientX : null;
    if (pointer === null) { return; }
    var wanted = pointer + element.offsetWidth + 24 > right ? "left" : "right";
    if (tooltip.options.direction !== wanted) {
      tooltip.options.direction = wanted;
      tooltip.options.offset = wanted === "left" ? [-8, 0] : [8, 0];
      if (event.latlng) { tooltip.setLatLng(event.latlng); }
    }
  }

  // A layout pass run at most once per animation frame and map, again after each of the map's
  // `events` (the names' declutter, the markers' spread).
  function frameScheduler(pass, events) {
    var pending = new WeakMap(), watched = new WeakSet();
    return function schedule(map) {
      if (!map) { return; }
      if (!watched.has(map)) {
        watched.add(map);
        map.on(events, function () { schedule(map); });
      }
      if (pending.get(map)) { return; }
      pending.set(map, true);
      window.requestAnimationFrame(function () {
        pending.set(map, false);
        pass(map);
      });
    };
  }

  // Names: the hideout's order decides which are placed first; a name overlapping one placed
  // before it is hidden. At world zoom only the first `world_labels` are candidates.
  var scheduleDeclutter = frameScheduler(declutter, "zoomend moveend resize");

  function declutter(map) {
    var h = current.labels;
    if (!h) { return; }
    var place = {};
    (h.order || []).forEach(function (id, i) { place[id] = i; });
    var everyName = map.getZoom() >= h.all_from_zoom;
    var labels = [];
    map.eachLayer(function (layer) { if (layer.atlasLabel && layer.getElement()) { labels.push(layer); } });
    labels.sort(function (a, b) {
      var pa = place[a.atlasLabel.id], pb = place[b.atlasLabel.id];
      return (pa === undefined ? 1e6 + a.atlasLabel.rank : pa) -
             (pb === undefined ? 1e6 + b.atlasLabel.rank : pb);
    });
    var kept = [], size = map.getSize();
    labels.forEach(function (layer) {
      var el = layer.getElement(), info = layer.atlasLabel, position = place[info.id];
      var candidate = info.selected || everyName ||
        (position !== undefined && position < h.world_labels);
      el.style.visibility = "hidden";
      if (!candidate) { return; }
      var point = map.latLngToContainerPoint(layer.getLatLng());
      var text = el.firstChild || el, width = text.offsetWidth, height = text.offsetHeight;
      var box = { x0: point.x - width / 2 - 2, x1: point.x + width / 2 + 2,
                  y0: point.y - height / 2 - 1, y1: point.y + height / 2 + 1 };
      var inside = box.x0 >= 0 && box.y0 >= 0 && box.x1 <= size.x && box.y1 <= size.y;
      var overlaps = kept.some(function (k) {
        return box.x0 < k.x1 && k.x0 < box.x1 && box.y0 < k.y1 && k.y0 < box.y1;
      });
      if (info.selected || (inside && !overlaps)) {
        el.style.visibility = "visible";
        kept.push(box);
      }
    });
  }

  // Small-state and post markers pushed apart where they would overlap (the Lesser Antilles,
  // the Gulf, Europe's capitals, West Africa): each keeps its home position and is moved, at
  // each zoom, by the least needed so that no two markers touch; zoomed in, they sit at home.
  var scheduleSpread = frameScheduler(spread, "zoomend");
  // How far a marker may move from home: little on a phone-sized map, where all of them
  // cannot fit at world zoom (they may touch rather than wander off their countries).
  function maxShift(map) { return map.getSize().x < 700 ? 16 : 80; }

  function spread(map) {
    var markers = [];
    map.eachLayer(function (layer) { if (layer.atlasHome) { markers.push(layer); } });
    markers.sort(function (a, b) {
      var ka = (a.feature.properties.staff === undefined ? "s:" : "p:") + a.feature.properties.id;
      var kb = (b.feature.properties.staff === undefined ? "s:" : "p:") + b.feature.properties.id;
      return ka < kb ? -1 : 1;
    });
    var points = markers.map(function (m) { return map.latLngToLayerPoint(m.atlasHome); });
    var gap = 2;
    for (var round = 0; round < 40; round++) {
      var moved = false;
      for (var i = 0; i < points.length; i++) {
        for (var j = i + 1; j < points.length; j++) {
          var need = markers[i].getRadius() + markers[j].getRadius() + gap;
          var dx = points[j].x - points[i].x, dy = points[j].y - points[i].y;
          var d = Math.sqrt(dx * dx + dy * dy);
          if (d >= need) { continue; }
          if (d < 0.01) { dx = Math.cos(i + j); dy = Math.sin(i + j); d = 1; }
          var push = (need - d) / 2 + 0.01;
          points[i] = L.point(points[i].x - dx / d * push, points[i].y - dy / d * push);
          points[j] = L.point(points[j].x + dx / d * push, points[j].y + dy / d * push);
          moved = true;
        }
      }
      if (!moved) { break; }
    }
    var limit = maxShift(map);
    markers.forEach(function (m, k) {
      var home = map.latLngToLayerPoint(m.atlasHome), p = points[k];
      var dx = p.x - home.x, dy = p.y - home.y, d = Math.sqrt(dx * dx + dy * dy);
      if (d > limit) { p = L.point(home.x + dx / d * limit, home.y + dy / d * limit); }
      m.setLatLng(map.layerPointToLatLng(p));
    });
  }

  function countryLayerOf(feature) {
    return drawn[feature.geometry && feature.geometry.type === "Point" ? SMALL_STATES : COUNTRIES];
  }

  // The hideout a country layer shows: its component's own, with the values applied in place
  // over it. A new component hideout (the playback's frames) draws the layer again and drops
  // them; values applied before the layer was first drawn are kept for its first drawing.
  function shownHideout(layer, hideout) {
    if (hideout !== layer.hideout) {
      if (layer.hideout !== undefined) { layer.live = null; }
      layer.hideout = hideout;
    }
    return layer.live ? Object.assign({}, hideout, layer.live) : hideout;
  }

  function countryStyleOf(feature, h) {
    var selected = isOutlined(feature.properties, h);
    return {
      fillColor: fillFor(feature.properties, h),
      fillOpacity: 1,
      color: selected ? h.outline : h.border,
      weight: selected ? h.selected_px : h.border_px,
      opacity: 1,
      className: "atlas-country atlas-country-" + feature.properties.id +
        (selected ? " atlas-selected" : ""),
    };
  }

  // Leaflet's `setStyle` on each path as drawn (it leaves the class alone: the selection's
  // class is set here).
  function restyleCountries(layerId) {
    return function (values) {
      var layer = drawn[layerId];
      layer.live = values;
      if (layer.hideout === undefined) { return; }  // not drawn yet: its first drawing takes them
      var h = shownHideout(layer, layer.hideout);
      if (layerId === COUNTRIES) { current.countries = h; } else { current.latest = h; }
      layer.paths.forEach(function (path) {
        var style = countryStyleOf(path.feature, h);
        path.setStyle(style);
        var el = path.getElement && path.getElement();
        if (el) { el.classList.toggle("atlas-selected", isOutlined(path.feature.properties, h)); }
      });
    };
  }

  // The hideout keys applied to a layer as drawn (dashboard.callbacks.map: a layer's
  // LIVE_KEYS), by layer id: a new placing order of the names is a declutter pass, not 250
  // names drawn again.
  var applyInPlace = {
    "layer-labels": function (values) {
      if (!current.labels) { return; }
      current.labels = Object.assign({}, current.labels, values);
      scheduleDeclutter(current.labelsMap);
    },
  };
  applyInPlace[COUNTRIES] = restyleCountries(COUNTRIES);
  applyInPlace[SMALL_STATES] = restyleCountries(SMALL_STATES);
  // A filter change's answer carries the countries' new fills (the `live-hideouts` store).
  // They are restyled as the answer arrives, and Dash's renderer gets the answer a frame later:
  // in one task, the renderer drew the KPI strip, the legend and the URL first, and the browser
  // painted the fills only after them (about 30 ms a click, docs/performance.md).
  function applyLive(live) {
    Object.keys(live || {}).forEach(function (layerId) {
      if (applyInPlace[layerId]) { applyInPlace[layerId](live[layerId]); }
    });
  }
  var appliedEarly = null;  // the JSON of the values applied as their answer arrived
  function applyStored(live) {
    // The store's copy of values already applied from their answer: nothing more to do.
    var early = appliedEarly;
    appliedEarly = null;
    if (early !== null && JSON.stringify(live || null) === early) { return; }
    applyLive(live);
  }
  function afterPaint() {
    return new Promise(function (resolve) {
      if (document.visibilityState !== "visible") { resolve(); return; }
      var done = false;
      function finish() { if (!done) { done = true; resolve(); } }
      requestAnimationFrame(function () { setTimeout(finish, 0); });
      setTimeout(finish, 100);  // a frame that does not come holds nothing up
    });
  }
  // Only the answer to the latest request for the fills is applied early: an older one that
  // comes late is the renderer's to drop.
  var fillRequests = 0;
  var pageFetch = window.fetch.bind(window);
  window.fetch = function (resource, init) {
    var answer = pageFetch(resource, init);
    var url = typeof resource === "string" ? resource : (resource && resource.url) || "";
    var body = init && typeof init.body === "string" ? init.body : "";
    if (url.indexOf("/_dash-update-component") < 0 || body.indexOf(LIVE_STORE + ".") < 0) {
      return answer;
    }
    var request = ++fillRequests;
    return answer.then(function (response) {
      if (!response.ok || request !== fillRequests) { return response; }
      return response.clone().json().then(function (body) {
        var live = body && body.response && body.response[LIVE_STORE];
        if (!live || !live.data) { return response; }
        applyLive(live.data);
        appliedEarly = JSON.stringify(live.data);
        return afterPaint().then(function () { return response; });
      }, function () { return response; });
    });
  };
  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.atlasLayers = { applyLive: applyStored };

  window.atlas = Object.assign({}, window.atlas, {
    esc: esc,
    layers: {
      countryStyle: function (feature, context) {
        var h = shownHideout(countryLayerOf(feature), context.hideout);
        if (feature.geometry && feature.geometry.type === "Point") {
          current.latest = h;  // the small-state markers share the countries' hideout (smaller file)
        } else if (!firstStyled.has(feature)) {
          // The shapes arrive after the page's first hideouts, and a hideout change that
          // arrives before them is dropped: their first styling takes the latest hideout the
          // markers have seen.
          firstStyled.add(feature);
          h = current.latest || h;
        }
        current.countries = h;
        return countryStyleOf(feature, h);
      },
      // The hideout the countries (or small states) show, for the playback's frames, which
      // start from it: `hideout` is the component's own.
      shownCountries: function (layerId, hideout) {
        var layer = drawn[layerId];
        return layer && layer.live ?
          Object.assign({}, hideout, layer.live) : hideout;
      },
      countryEachFeature: function (feature, layer) {
        var paths = countryLayerOf(feature).paths;
        layer.on("add", function () { paths.add(layer); });
        layer.on("remove", function () { paths.delete(layer); });
        layer.bindTooltip(function () { return countryTooltip(feature.properties); },
          { sticky: true, className: "atlas-tooltip", direction: "right" });
        layer.on("tooltipopen mousemove", keepTooltipInView);
        // The shapes arrive (by URL) after the other layers: keep them under the post markers,
        // small-state markers and links, which share the same SVG.
        if (feature.geometry && feature.geometry.type !== "Point") {
          layer.on("add", function () { layer.bringToBack(); });
        }
      },
      smallStateMarker: function (feature, latlng) {
        var marker = L.circleMarker(latlng, { radius: feature.properties.radius });
        marker.atlasHome = latlng;
        marker.on("add", function () { scheduleSpread(marker._map); });
        return marker;
      },
      highlightPost: function (e) {
        var props = e.layer && e.layer.feature && e.layer.feature.properties;
        if (props && props.post) { samePostPaths(e.target, props.post, true); }
      },
      unhighlightPost: function (e) {
        var props = e.layer && e.layer.feature && e.layer.feature.properties;
        if (props && props.post) { samePostPaths(e.target, props.post, false); }
      },
      layerVisible: function (feature, context) {
        var h = context.hideout, p = feature.properties || {};
        // `hidden`: posts not open on the as-of date (their markers and links).
        return !h || (h.show !== false && (h.hidden || []).indexOf(p.post || p.id) < 0);
      },
      postMarker: function (feature, latlng, context) {
        var h = context.hideout;
        current.posts = h;
        // Posts covering no country of the chosen regions stay, faint, for orientation.
        var dimmed = (h.outside || []).indexOf(feature.properties.id) >= 0;
        var marker = L.circleMarker(latlng, {
          radius: feature.properties.radius,
          fillColor: h.fill, fillOpacity: dimmed ? h.dimmed_opacity : h.fill_opacity,
          color: h.stroke, weight: h.edge_px, opacity: dimmed ? h.dimmed_opacity : 1,
          className: "atlas-post atlas-post-" + feature.properties.id +
            (dimmed ? " atlas-post-dimmed" : ""),
        });
        marker.atlasHome = latlng;  // spread apart from the others where they crowd
        marker.on("add", function () { scheduleSpread(marker._map); });
        return marker;
      },
      postEachFeature: function (feature, layer) {
        layer.bindTooltip(function () {
          var p = feature.properties, h = current.posts || { text: {}, lang: "fr" }, t = h.text;
          var country = h.lang === "en" ? p.country_en : p.country_fr;
          return "<strong>" + esc(h.lang === "en" ? p.title_en : p.title_fr) + "</strong> · " +
            esc(country) +
            "<br>" + esc(p.id) +
            "<br>" + esc(p.staff) + " " + esc(t.staff) + " (" + esc(t.police) + " " + esc(p.police) +
            ", " + esc(t.gendarmerie) + " " + esc(p.gendarmerie) + ", " + esc(t.civil_security) +
            " " + esc(p.civil_security) + ")" +
            "<br>" + esc(p.covered) + " " + esc(t.countries);
        }, { className: "atlas-tooltip" });
      },
      linkStyle: function (feature, context) {
        var h = context.hideout;
        var dimmed = (h.outside || []).indexOf(feature.properties.country) >= 0;
        return { color: h.color, weight: h.weight_px, dashArray: h.dash,
                 opacity: dimmed ? h.dimmed_opacity : h.opacity };
      },
      labelVisible: function (feature, context) {
        var h = context.hideout || {};
        return h.show !== false || (h.selected || []).indexOf(feature.properties.id) >= 0;
      },
      labelMarker: function (feature, latlng, context) {
        var h = context.hideout, p = feature.properties;
        var selected = (h.selected || []).indexOf(p.id) >= 0;
        var marker = L.marker(latlng, {
          interactive: false, keyboard: false,
          icon: L.divIcon({
            className: "atlas-label" + (selected ? " atlas-label-selected" : ""),
            html: "<span>" + esc(h.lang === "en" ? p.name_en : p.name_fr) + "</span>",
            iconSize: null,
          }),
        });
        marker.atlasLabel = { id: p.id, rank: p.rank, selected: selected };
        current.labels = h;
        marker.on("add", function () {
          current.labelsMap = marker._map;
          scheduleDeclutter(marker._map);
        });
        return marker;
      },
    },
  });
})();
