/* The country shapes: the page fetches them once (the URL is versioned by the data load) as a
   TopoJSON topology, where a border shared by two countries is stored once, and decodes them
   here with the vendored topojson-client into the GeoJSON the countries layer draws (its
   `data`, set by a client-side callback). The page's <link rel="preload" data-atlas-shapes>
   starts the download with the scripts; the decoding starts as soon as the scripts have run,
   while Dash fetches its layout, so the callback usually finds the shapes ready. */
(function () {
  "use strict";

  var early = {};  // url -> the decoding started at DOMContentLoaded, until the callback takes it

  function decode(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error("country shapes: HTTP " + response.status); }
      return response.json();
    }).then(function (topology) {
      return window.topojson.feature(topology, topology.objects.countries);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var link = document.querySelector("link[data-atlas-shapes]");
    if (link) {
      var url = link.getAttribute("href");
      early[url] = decode(url);
      early[url].catch(function () { delete early[url]; });  // the callback tries again
    }
  });

  function load(url) {
    if (!url) { return window.dash_clientside.no_update; }
    var shapes = early[url] || decode(url);
    delete early[url];
    return shapes;
  }

  // Added to Dash's own object, never replaced: the renderer keeps its callback context there.
  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.atlasShapes = { load: load };
})();
