/* Client-side style and interaction functions of the map layers (referenced from Python with
   dash_extensions.javascript.Namespace("atlas", "layers")). No data is built here: the shapes
   come once from the server, the per-view inputs in each layer's `hideout`. Every string that
   comes from the data is escaped before it reaches a tooltip. */
(function () {
  "use strict";

  // The latest hideout of the country layers, read by tooltips (which open long after styling).
  var current = { countries: null, posts: null, latest: null };
  var firstStyled = new WeakSet();

  function esc(value) {
    return String(value === undefined || value === null ? "" : value)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  function classColor(value, hideout) {
    if (!value || value <= 0) { return hideout.none_color; }
    var breaks = hideout.breaks || [], index = 0;
    for (var i = 0; i < breaks.length; i++) { if (value >= breaks[i]) { index = i; } }
    return hideout.colors[index];
  }

  function fillFor(props, hideout) {
    if (hideout.mode === "programmes") {
      return classColor(hideout.values[props.id], hideout);
    }
    var colors = hideout.coverage_colors;
    return colors[props.cov || "none"] || colors.none;
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

  window.atlas = Object.assign({}, window.atlas, {
    esc: esc,
    layers: {
      countryStyle: function (feature, context) {
        var h = context.hideout;
        if (feature.geometry && feature.geometry.type === "Point") {
          current.latest = h;  // small-state markers (inline data) always see the latest hideout
        } else if (!firstStyled.has(feature)) {
          // The shapes are fetched by URL, and a hideout change that arrives during the fetch is
          // dropped: their first styling takes the latest hideout the markers have seen.
          firstStyled.add(feature);
          h = current.latest || h;
        }
        current.countries = h;
        var selected = (h.selected && feature.properties.id === h.selected) ||
          (h.selected_post && feature.properties.post === h.selected_post);
        return {
          fillColor: fillFor(feature.properties, h),
          fillOpacity: 1,
          color: selected ? "#111111" : "#ffffff",
          weight: selected ? 2.5 : 0.6,
          opacity: 1,
          className: "atlas-country atlas-country-" + feature.properties.id +
            (selected ? " atlas-selected" : ""),
        };
      },
      countryEachFeature: function (feature, layer) {
        layer.bindTooltip(function () { return countryTooltip(feature.properties); },
          { sticky: true, className: "atlas-tooltip" });
        // The shapes arrive (by URL) after the other layers: keep them under the post markers,
        // small-state markers and links, which share the same SVG.
        if (feature.geometry && feature.geometry.type !== "Point") {
          layer.on("add", function () { layer.bringToBack(); });
        }
      },
      smallStateMarker: function (feature, latlng) {
        return L.circleMarker(latlng, { radius: 5 });
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
        return !context.hideout || context.hideout.show !== false;
      },
      postMarker: function (feature, latlng, context) {
        var h = context.hideout;
        current.posts = h;
        return L.circleMarker(latlng, {
          radius: 3 + 1.6 * Math.sqrt(feature.properties.staff || 0),
          fillColor: h.fill, fillOpacity: 0.95, color: h.stroke, weight: 1.2,
          className: "atlas-post atlas-post-" + feature.properties.id,
        });
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
        return { color: context.hideout.color, weight: 1.2, opacity: 0.7, dashArray: "4 3" };
      },
    },
  });
})();
