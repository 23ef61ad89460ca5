/* Playback on the client (dashboard/callbacks/playback.py): the frames arrive once; each tick
   or step shows the next one by rewriting the layers' hideouts, the KPI strip and the date on
   the map, with no round trip to the server. */
(function () {
  "use strict";

  var PLAY = "\u25B6";

  function show(frames, index, countries, posts, links, paused) {
    var f = frames.frames[index];
    var c = Object.assign({}, countries, {
      classes: f.classes, values: f.values, fill_colors: frames.fill_colors,
      lows: frames.lows || countries.lows, highs: frames.highs || countries.highs,
    });
    var last = index >= frames.frames.length - 1;
    var nu = window.dash_clientside.no_update;
    // The posts and links are redrawn only when the posts open change (rarely): a frame then
    // costs the countries' restyle alone.
    var same = (posts.hidden || []).join(",") === f.hidden.join(",");
    return [
      { index: index }, c, c,
      same ? nu : Object.assign({}, posts, { hidden: f.hidden }),
      same ? nu : Object.assign({}, links, { hidden: f.hidden }),
      f.label,
    ].concat(f.kpis).concat([
      f.budget_year,
      last && !paused ? true : nu,
      last && !paused ? PLAY : nu,
    ]);
  }

  window.dash_clientside = window.dash_clientside || {};
  Object.assign(window.dash_clientside, {
    atlasPlayback: {
      // A control changed: the server drops the frames, if there are any (else no request).
      // Its arguments: every control, then the frames and the count. The date a pause writes
      // (one of the frames' days) keeps the frames, for stepping on from there.
      stale: function () {
        var frames = arguments[arguments.length - 2], count = arguments[arguments.length - 1];
        var nu = window.dash_clientside.no_update;
        if (!frames) { return nu; }
        var changed = (window.dash_clientside.callback_context.triggered || [])[0] || {};
        var paused = (frames.frames || []).some(function (f) { return f.day === changed.value; });
        return paused ? nu : (count || 0) + 1;
      },
      step: function (ticks, previous, next, frames, state, countries, posts, links, paused) {
        var nu = window.dash_clientside.no_update;
        var size = 17;
        if (!frames || !frames.frames || !frames.frames.length || !countries) {
          return new Array(size).fill(nu);
        }
        var trigger = (window.dash_clientside.callback_context.triggered[0] || {}).prop_id || "";
        var index = state && typeof state.index === "number" ? state.index : -1;
        var n = frames.frames.length;
        if (trigger.indexOf("play-frames") === 0) {
          index = 0;
        } else if (trigger.indexOf("play-previous") === 0) {
          index = Math.max(0, index - 1);
        } else {
          index = Math.min(n - 1, index + 1);
        }
        // The countries' values applied in place since their hideout was drawn (atlas.js).
        countries = window.atlas.layers.shownCountries("layer-countries", countries);
        return show(frames, index, countries, posts, links, paused);
      },
    },
  });
})();
