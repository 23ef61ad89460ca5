/* The country shapes: the page fetches them once (the URL is versioned by the data load, and
   the page's <link rel="preload"> has already started the download) as a TopoJSON topology,
   where a border shared by two countries is stored once, and decodes them here with the
   vendored topojson-client into the GeoJSON the countries layer draws (its `data`). */
(function () {
  "use strict";

  function load(url) {
    if (!url) { return window.dash_clientside.no_update; }
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error("country shapes: HTTP " + response.status); }
      return response.json();
    }).then(function (topology) {
      return window.topojson.feature(topology, topology.objects.countries);
    });
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    atlasShapes: { load: load },
  });
})();
