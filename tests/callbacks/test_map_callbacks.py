"""The map callbacks over HTTP, as the browser calls them: a filter change sends only the
style inputs, KPI texts and legend, never country shapes."""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import replace

import pytest

from dashboard.app import create_app
from dashboard.callbacks import map as map_callbacks
from dashboard.settings import DEMO_DATA_DIR, Settings
from viewmodel.data import build_atlas_data

FILTER_VALUES = {
    "filter-mode": "programmes", "filter-metric": "count",
    "filter-layers": ["posts", "links", "labels"],
    "filter-themes": ["drugs"], "filter-types": [], "filter-status": ["active"],
    "filter-regions": [], "filter-years": [2018, 2027], "filter-beneficiaries": [],
    "filter-partners": [], "filter-asof": None, "filter-since": None,
    "selected-country": "MLI", "lang": "fr", "selected-post": None,
}


@pytest.fixture(scope="module")
def client():
    app = create_app(Settings.load(data_dir=DEMO_DATA_DIR, lang="fr"))
    return app.server.test_client()


def _find(node, component_id: str):
    """The props of the component with ``component_id`` in a serialised layout."""
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == component_id:
            return node["props"]
        children = node.get("props", {}).get("children")
        return _find(children, component_id) if children is not None else None
    if isinstance(node, list):
        for child in node:
            found = _find(child, component_id)
            if found is not None:
                return found
    return None


def _callback(client, output_id: str) -> dict:
    deps = client.get("/_dash-dependencies").get_json()
    return next(d for d in deps if output_id in d["output"])


def _call(client, spec: dict, values: dict):
    payload = {
        "output": spec["output"],
        "outputs": [{"id": o.split(".")[0], "property": o.split(".")[1]}
                    for o in spec["output"].strip(".").split("...")],
        "inputs": [{"id": i["id"], "property": i["property"], "value": values[i["id"]]}
                   for i in spec["inputs"]],
        "changedPropIds": ["filter-themes.value"],
        "state": [{"id": i["id"], "property": i["property"], "value": values.get(i["id"])}
                  for i in spec.get("state", [])],
    }
    return client.post("/_dash-update-component", json=payload,
                       headers={"Accept-Encoding": "gzip"})


def test_filter_change_sends_only_style_inputs(client):
    """The response carries the hideouts, KPI texts and legend: small, and no coordinates."""
    spec = _callback(client, "layer-countries.hideout")
    response = _call(client, spec, FILTER_VALUES)
    assert response.status_code == 200
    raw = gzip.decompress(response.data) if response.headers.get("Content-Encoding") == "gzip" \
        else response.data
    body = json.loads(raw)["response"]
    # The request names no hideout shown, so the names, posts and links come whole; the
    # countries and small states always go to the page's in-place restyle.
    assert set(body) == {"live-hideouts", "layer-labels", "layer-posts", "layer-links",
                         "kpi-posts", "kpi-staff", "kpi-covered", "kpi-programmes",
                         "kpi-budget", "legend", "asof-badge", "changes-box", "url",
                         "url-written", "lang-link-fr", "lang-link-en"}
    assert body["url-written"]["data"] == body["url"]["search"]  # the page knows its own URL
    assert set(body["live-hideouts"]["data"]) == {"layer-countries", "layer-small-states"}
    assert body["lang-link-en"]["href"] == body["url"]["search"] + "&lang=en"
    assert "coordinates" not in raw.decode()
    assert body["live-hideouts"]["data"]["layer-countries"]["values"]["MLI"] >= 1
    # The hideouts that follow the filters (names, home country included): 10 KB raw, 1.5 KB gzip.
    assert len(raw) < 12_000, f"{len(raw)} bytes for a filter change"
    assert len(response.data) < 5_000


def test_partners_filter_changes_the_figures(client):
    """Choosing a partner keeps the programmes it takes part in: the KPI strip counts the
    demo's programmes active on the data's date (by their dates) with the EU among their
    partners."""
    from geodata.asof import statuses_on
    from geodata.loading import load_network

    network = load_network(DEMO_DATA_DIR)
    programmes = network.programmes
    with_eu = programmes[(statuses_on(programmes, network.data_date) == "active")
                         & programmes["partners"].map(lambda p: "EU" in p)]
    spec = _callback(client, "layer-countries.hideout")
    values = {**FILTER_VALUES, "filter-themes": [], "filter-partners": ["EU"]}
    body = json.loads(gzip.decompress(_call(client, spec, values).data))["response"]
    assert body["kpi-programmes"]["children"] == str(len(with_eu))
    unknown = {**values, "filter-partners": ["Nobody", 7, None]}
    body = json.loads(gzip.decompress(_call(client, spec, unknown).data))["response"]
    assert int(body["kpi-programmes"]["children"]) > len(with_eu)  # junk is no filter


def test_partners_are_searched_on_the_server(client):
    """The partners control offers the most frequent partners first, and the matches of what
    is typed (accents and case aside), keeping the chosen ones."""
    layout = client.get("/_dash-layout").get_json()
    first = [option["value"] for option in _find(layout, "filter-partners")["options"]]
    assert first[:3] == ["EU", "Interpol", "Expertise France"] and len(first) == 40
    spec = _callback(client, "filter-partners.options")

    def offered(typed, chosen):
        payload = {"output": spec["output"],
                   "outputs": {"id": "filter-partners", "property": "options"},
                   "inputs": [{"id": "filter-partners", "property": "search_value",
                               "value": typed},
                              {"id": "filter-partners", "property": "value", "value": chosen}],
                   "changedPropIds": ["filter-partners.search_value"],
                   "state": [{"id": "lang", "property": "data", "value": "fr"}]}
        response = client.post("/_dash-update-component", json=payload)
        return [o["value"] for o in response.get_json()["response"]["filter-partners"]["options"]]

    assert offered("interpol", []) == ["Interpol"]
    assert offered("MINISTERE DE L'EUROPE", ["EU"]) == [
        "EU", "Ministère de l'Europe et des Affaires étrangères"]
    assert offered("x" * 5000, []) == []
    junk = client.post("/_dash-update-component", json={
        "output": spec["output"], "outputs": {"id": "filter-partners", "property": "options"},
        "inputs": [{"id": "filter-partners", "property": "search_value", "value": "eu"},
                   {"id": "filter-partners", "property": "value", "value": "junk"}],
        "changedPropIds": ["filter-partners.search_value"], "state": []})
    assert junk.status_code == 400  # a text where the page holds a list: refused at the edge


def test_shapes_are_served_once_by_url_gzip(client):
    """The country shapes come from one cacheable, gzip-compressed URL (a TopoJSON topology
    the page decodes), under 150 KB, named by the layout's store, not inside the layout."""
    layout = client.get("/_dash-layout").get_json()
    props = _find(layout, "layer-countries")
    assert "data" not in props, "country shapes must not travel inside the layout"
    url = _find(layout, "country-shapes")["data"]
    assert url.startswith("/atlas-data/countries.topojson?v=")
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]
    assert len(response.data) < 150_000
    topology = json.loads(gzip.decompress(response.data))
    assert topology["type"] == "Topology"
    assert len(topology["objects"]["countries"]["geometries"]) == 250
    assert client.get(url.replace(".topojson", ".geojson")).status_code == 404


def test_the_page_s_own_scripts_and_styles_are_compressed_and_kept(client):
    """Every script and style of ours the page names (``/assets/...?m=``) comes gzip-compressed
    to a client that asks for gzip, and is kept for a year (its URL changes with the file);
    asked again with its ETag, nothing is sent."""
    page = client.get("/").data.decode()
    assets = re.findall(r'(?:src|href)="(/assets/[^"]+\?m=[^"]+)"', page)
    assert {"js", "css"} <= {path.split("?")[0].rsplit(".", 1)[1] for path in assets}
    for path in assets:
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200, path
        assert response.headers["Content-Encoding"] == "gzip", path
        assert "max-age=31536000" in response.headers["Cache-Control"], path
        assert gzip.decompress(response.data) == client.get(path).data, path
        again = client.get(path, headers={"Accept-Encoding": "gzip",
                                          "If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304 and not again.data, path


@pytest.mark.parametrize(("layer_id", "name", "features"), [
    ("layer-posts", "posts", 76), ("layer-small-states", "small-states", 86),
    ("layer-links", "links", 81),
])
def test_overlays_are_served_once_by_url_too(client, layer_id, name, features):
    """Posts, small-state markers and links: a versioned, cacheable URL each, not layout data."""
    props = _find(client.get("/_dash-layout").get_json(), layer_id)
    assert "data" not in props
    assert props["url"].startswith(f"/atlas-data/{name}.geojson?v=")
    response = client.get(props["url"], headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]
    assert len(json.loads(gzip.decompress(response.data))["features"]) == features
    assert client.get("/atlas-data/secrets.geojson").status_code == 404


def test_search_box_starts_empty_and_offers_matches_as_typed(client):
    """The layout carries no search choices; typing asks the server for the matches, in the
    page's language, best first."""
    layout = client.get("/_dash-layout").get_json()
    assert _find(layout, "panel-search")["options"] == []
    spec = _callback(client, "panel-search.options")
    assert [(i["id"], i["property"]) for i in spec["inputs"]] == [("panel-search", "search_value")]

    def offered(typed: str, lang: str) -> list[str]:
        payload = {"output": spec["output"],
                   "outputs": {"id": "panel-search", "property": "options"},
                   "inputs": [{"id": "panel-search", "property": "search_value", "value": typed}],
                   "changedPropIds": ["panel-search.search_value"],
                   "state": [{"id": "lang", "property": "data", "value": lang},
                             {"id": "filter-asof", "property": "date", "value": None}]}
        response = client.post("/_dash-update-component", json=payload)
        return [o["label"] for o in response.get_json()["response"]["panel-search"]["options"]]

    assert offered("londres", "fr") == ["Londres · SSI-LONDRES · poste", "Royaume-Uni · pays"]
    assert offered("LONDON", "en")[:2] == ["London · SSI-LONDRES · post",
                                            "United Kingdom · country"]
    assert offered("mal", "fr")[:4] == ["Malaisie · pays", "Malawi · pays", "Maldives · pays",
                                        "Mali · pays"]


def _call_with(client, spec: dict, values: dict, changed: str | list[str]):
    """Call a callback with every input and state from ``values`` (by component id, then
    ``None``), ``changed`` being the prop (or props, in the renderer's order) that triggered
    it; the JSON response."""
    def dependency(item):
        return {"id": item["id"], "property": item["property"],
                "value": values.get(f"{item['id']}.{item['property']}", values.get(item["id"]))}

    outputs = [{"id": o.split(".")[0], "property": o.split(".")[1]}
               for o in spec["output"].strip(".").split("...")]
    payload = {
        "output": spec["output"],
        "outputs": outputs if spec["output"].startswith("..") else outputs[0],
        "inputs": [dependency(i) for i in spec["inputs"]],
        "changedPropIds": [changed] if isinstance(changed, str) else changed,
        "state": [dependency(s) for s in spec["state"]],
    }
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code in (200, 204), response.data[:500]
    return response.get_json() if response.status_code == 200 else {}


def test_a_map_move_reaches_the_url_without_redrawing_the_panel(client):
    """A move off the world view puts lat/lon/zoom (in quarter steps) in the URL and leaves
    the selection alone; the world view again takes them out."""
    spec = _callback(client, "url.search")
    values = {**FILTER_VALUES, "url.search": "?country=MLI", "filter-reset": 0,
              "map-extent": {"lat": 17.734, "lon": 5.1, "zoom": 5.3}, "url-read": True}
    body = _call_with(client, spec, values, "map-extent.data")["response"]
    assert body["url"]["search"] == ("?mode=programmes&themes=drugs&years=2018-2027&country=MLI"
                                     "&lat=17.73&lon=5.10&zoom=5.25")
    assert "selected-country" not in body and "selected-post" not in body
    values["map-extent"] = None
    body = _call_with(client, spec, values, "map-extent.data")["response"]
    assert body["url"]["search"] == "?mode=programmes&themes=drugs&years=2018-2027&country=MLI"


@pytest.mark.parametrize("order", ["url first", "request first"])
def test_a_panel_request_merged_with_the_page_s_own_url_is_followed(client, order):
    """The Gambia's panel open, its URL written by the page; a click on its covering post comes
    while that URL is still being read, and the renderer sends both in one call: the post
    opens (the URL being the page's own, it does not undo the click)."""
    spec = _callback(client, "url.search")
    values = {**FILTER_VALUES, "url.search": "?mode=programmes&themes=drugs&years=2018-2027"
              "&country=GMB", "filter-reset": 0, "map-extent": None, "url-read": True,
              "selected-country": "GMB", "selected-post": None,
              "panel-request": {"country": None, "post": "SSI-DAKAR", "n": 4}}
    changed = ["url.search", "panel-request.data"]
    body = _call_with(client, spec, values,
                      changed if order == "url first" else changed[::-1])["response"]
    assert body["selected-post"]["data"] == "SSI-DAKAR"
    assert body["selected-country"]["data"] is None
    assert body["url"]["search"] == ("?mode=programmes&themes=drugs&years=2018-2027"
                                     "&post=SSI-DAKAR")
    assert body["request-handled"]["data"] == {"request": 4, "reset": 0}
    # The page's own URL alone changes nothing, once the request is handled.
    values["request-handled"] = {"request": 4, "reset": 0}
    assert _call_with(client, spec, values, "url.search")["response"] == {}


def test_a_request_whose_call_was_dropped_is_handled_by_the_next_call(client):
    """Mali's panel open; Escape sends a close request, and the map's move ending while it is
    on its way triggers the URL callback again, so the renderer drops the first call: the
    next call, triggered by the move alone, closes the panel all the same, and only once. A
    reset is not lost that way either."""
    spec = _callback(client, "url.search")
    values = {**FILTER_VALUES, "url.search": "?mode=programmes&themes=drugs&years=2018-2027"
              "&country=MLI", "filter-reset": 0, "url-read": True,
              "map-extent": {"lat": 17.5, "lon": -4.0, "zoom": 5.0},
              "selected-country": "MLI", "selected-post": None,
              "request-handled": {"request": 6, "reset": 0},
              "panel-request": {"country": None, "post": None, "n": 7}}
    body = _call_with(client, spec, values, "map-extent.data")["response"]
    assert body["selected-country"]["data"] is None
    assert body["request-handled"]["data"] == {"request": 7, "reset": 0}
    assert body["url"]["search"] == ("?mode=programmes&themes=drugs&years=2018-2027"
                                     "&lat=17.50&lon=-4.00&zoom=5")
    values.update({"selected-country": None, "request-handled": {"request": 7, "reset": 0},
                   "map-extent": {"lat": 16.0, "lon": -4.0, "zoom": 5.0}})
    body = _call_with(client, spec, values, "map-extent.data")["response"]
    assert "selected-country" not in body and "request-handled" not in body
    # A reset whose call was dropped in the same way: the next move's call resets the view.
    values["filter-reset"] = 1
    body = _call_with(client, spec, values, "map-extent.data")["response"]
    assert body["url"]["search"] == ""
    assert body["filter-mode"]["value"] == "coverage"  # the default view
    assert body["request-handled"]["data"] == {"request": 7, "reset": 1}


def test_choosing_regions_gives_their_extent(client):
    """The region choice moves the map onto the regions' covered countries; no choice, the
    world."""
    spec = _callback(client, "region-focus.data")
    body = _call_with(client, spec, {"filter-regions": ["sahel"]}, "filter-regions.value")
    focus = body["response"]["region-focus"]["data"]
    (south, west), (north, east) = focus["bounds"]
    assert focus["key"] == "regions:sahel"
    assert 7 < south < 12 and 22 < north < 28 and -18 < west < -15 and 22 < east < 25
    body = _call_with(client, spec, {"filter-regions": []}, "filter-regions.value")
    assert body["response"]["region-focus"]["data"] == {
        "key": "regions:", "bounds": [[-56.0, -168.0], [78.0, 180.0]]}


def _props(items: str) -> set[str]:
    """The ``id.property`` names of a dependency's output string (duplicates' suffix off)."""
    return {item.split("@")[0] for item in items.strip(".").split("...")}


def test_a_filter_change_is_one_request_for_the_map_and_its_url(client):
    """A filter control triggers the map callback, whose answer carries the fills and the URL
    together; no other callback it triggers on the server writes one of the map callback's
    inputs (the page would hold the map until that one answered), and only the map's callback
    (the posts and links included) and the panel's go to the server at all (the playback asks
    only when frames are loaded)."""
    deps = client.get("/_dash-dependencies").get_json()
    map_spec = _callback(client, "layer-countries.hideout")
    map_inputs = {f"{i['id']}.{i['property']}" for i in map_spec["inputs"]}
    on_mode = [spec for spec in deps
               if any(f"{i['id']}.{i['property']}" == "filter-mode.value" for i in spec["inputs"])]
    for spec in on_mode:
        if spec is not map_spec:
            assert _props(spec["output"]).isdisjoint(map_inputs), spec["output"]
    server_side = {frozenset(_props(spec["output"])) for spec in on_mode
                   if spec.get("clientside_function") is None}
    assert any({"layer-countries.hideout", "url.search", "layer-links.hideout",
                "layer-posts.hideout"} <= outputs for outputs in server_side), server_side
    assert len(server_side) == 2, server_side  # the map and its overlays, the open panel
    # The URL the map writes wakes one callback on the server (which reads it back): the
    # language links come with the URL.
    on_url = [spec for spec in deps if spec.get("clientside_function") is None
              and any(f"{i['id']}.{i['property']}" == "url.search" for i in spec["inputs"])]
    assert len(on_url) == 1 and "selected-country.data" in _props(on_url[0]["output"])
    body = json.loads(gzip.decompress(_call(client, map_spec, {**FILTER_VALUES,
                                                               "map-extent": None}).data))
    assert body["response"]["url"]["search"] == (
        "?mode=programmes&themes=drugs&years=2018-2027&country=MLI")


def test_an_overlay_is_sent_again_only_when_it_changed(client):
    """The posts' and links' hideouts come back with the map's answer only when they differ
    from those the page shows: a change of mode restyles the posts (quieter under the
    programmes' fills) and leaves the links alone; the same view again sends neither."""
    spec = _callback(client, "layer-links.hideout")
    values = {**FILTER_VALUES, "filter-mode": "coverage", "layer-links": None,
              "layer-posts": None}

    def shown(values, changed="filter-mode.value"):
        payload = {
            "output": spec["output"],
            "outputs": [{"id": o.split(".")[0], "property": o.split(".")[1]}
                        for o in spec["output"].strip(".").split("...")],
            "inputs": [{"id": i["id"], "property": i["property"], "value": values[i["id"]]}
                       for i in spec["inputs"]],
            "changedPropIds": [changed],
            "state": [{"id": s["id"], "property": s["property"], "value": values.get(s["id"])}
                      for s in spec["state"]]}
        response = client.post("/_dash-update-component", json=payload)
        assert response.status_code in (200, 204), response.data[:300]
        return response.get_json()["response"] if response.status_code == 200 else {}

    first = shown(values)
    assert {"layer-links", "layer-posts", "live-hideouts"} <= set(first)
    values.update({"layer-links": first["layer-links"]["hideout"],
                   "layer-posts": first["layer-posts"]["hideout"], "filter-mode": "programmes"})
    second = shown(values)
    assert "layer-posts" in second and "layer-links" not in second
    assert (second["layer-posts"]["hideout"]["fill_opacity"]
            < first["layer-posts"]["hideout"]["fill_opacity"])
    values["layer-posts"] = second["layer-posts"]["hideout"]
    assert {"layer-posts", "layer-links"}.isdisjoint(shown(values))


def test_a_new_order_of_the_names_is_applied_in_place(client):
    """When only the names' placing order changes (a change of mode), the answer carries the
    order for the page to apply to the names as drawn, not a new hideout that would draw the
    250 names again; a new selection sends the whole hideout."""
    spec = _callback(client, "layer-countries.hideout")
    first = json.loads(gzip.decompress(_call(client, spec, FILTER_VALUES).data))["response"]
    shown = first["layer-labels"]["hideout"]
    values = {**FILTER_VALUES, "filter-mode": "coverage", "layer-labels": shown}
    body = json.loads(gzip.decompress(_call(client, spec, values).data))["response"]
    assert "layer-labels" not in body
    order = body["live-hideouts"]["data"]["layer-labels"]["order"]
    assert order != shown["order"] and order[0] == "MLI"  # the selection first
    values["selected-country"] = "SEN"
    body = json.loads(gzip.decompress(_call(client, spec, values).data))["response"]
    assert body["layer-labels"]["hideout"]["selected"] == ["SEN"]
    assert "layer-labels" not in body["live-hideouts"]["data"]


def test_the_countries_are_restyled_in_place(client):
    """A filter change sends the countries' new hideout (and the small states') to the page's
    in-place restyle, never as the layers' ``hideout``, which would make dash-leaflet draw the
    250 paths again; the page does not send their hideout back (about 18,000 values a request
    to read and check)."""
    spec = _callback(client, "layer-countries.hideout")
    assert not {"layer-countries", "layer-small-states"} & {item["id"] for item in spec["state"]}
    first = json.loads(gzip.decompress(_call(client, spec, FILTER_VALUES).data))["response"]
    shown = first["live-hideouts"]["data"]["layer-countries"]
    values = {**FILTER_VALUES, "filter-mode": "coverage"}
    body = json.loads(gzip.decompress(_call(client, spec, values).data))["response"]
    assert "layer-countries" not in body and "layer-small-states" not in body
    live = body["live-hideouts"]["data"]
    assert live["layer-countries"]["mode"] == "coverage" and shown["mode"] == "programmes"
    assert live["layer-countries"]["classes"] != shown["classes"]
    assert live["layer-small-states"] == live["layer-countries"]


def test_a_filter_state_asked_again_is_answered_from_the_kept_answers(monkeypatch):
    """The same filter request twice: the same answer, the map's view computed once. The same
    request from a user of another scope, or once a new version is served, is answered on
    that scope's or that version's data."""
    app = create_app(Settings.load(data_dir=DEMO_DATA_DIR, lang="fr"))
    client = app.server.test_client()
    store = app.server.extensions["atlas_store"]
    views = []
    real_view = map_callbacks.map_view
    monkeypatch.setattr(map_callbacks, "map_view",
                        lambda *args, **kwargs: views.append(1) or real_view(*args, **kwargs))
    spec = _callback(client, "layer-countries.hideout")

    def answer() -> dict:
        response = _call(client, spec, FILTER_VALUES)
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == "gzip"  # gzip still applies
        return json.loads(gzip.decompress(response.data))["response"]

    def programmes(body: dict) -> str:
        return body["kpi-programmes"]["children"]

    first = answer()
    assert answer() == first and len(views) == 1
    everywhere = programmes(first)
    store.scope_of_request = lambda: ("country:MLI",)
    assert programmes(answer()) != everywhere and len(views) == 2
    store.scope_of_request = lambda: None
    assert programmes(answer()) == everywhere and len(views) == 2
    data = store.served()
    fewer = replace(data.network, programmes=data.network.programmes.iloc[::2])
    store.replace(build_atlas_data(fewer, data.countries))
    assert programmes(answer()) != everywhere and len(views) == 3
    # ATLAS_ANSWERS_KEPT=0: every request runs the callback.
    client = create_app(Settings.load(data_dir=DEMO_DATA_DIR, lang="fr",
                                      answers_kept=0)).server.test_client()
    assert answer() == answer() == first and len(views) == 5


def test_the_page_asked_again_is_the_kept_layout(monkeypatch):
    """The same page twice: the same layout, built once. Another language or shared link (the
    page's own URL, the renderer's Referer), another user's scope or a new version served:
    that page's own layout."""
    import dashboard.app as app_module

    builds = []
    real_build = app_module.build_layout
    monkeypatch.setattr(app_module, "build_layout",
                        lambda *args, **kwargs: builds.append(1) or real_build(*args, **kwargs))
    app = create_app(Settings.load(data_dir=DEMO_DATA_DIR, lang="fr"))
    client = app.server.test_client()
    store = app.server.extensions["atlas_store"]
    builds.clear()  # Dash draws one layout when it is set

    def page(query: str = "") -> dict:
        response = client.get("/_dash-layout", headers={
            "Accept-Encoding": "gzip", "Referer": f"http://localhost/{query}"})
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == "gzip"
        return json.loads(gzip.decompress(response.data))

    def text(layout: dict, component_id: str) -> str:
        return _find(layout, component_id)["children"]

    first = page()
    assert page() == first and len(builds) == 1
    english = page("?lang=en")
    assert _find(english, "lang")["data"] == "en" and len(builds) == 2
    assert page("?lang=en") == english and page() == first and len(builds) == 2
    mali = page("?country=MLI")
    assert text(mali, "panel-title") == "Mali" and len(builds) == 3
    store.scope_of_request = lambda: ("country:SEN",)
    scoped = page()
    assert text(scoped, "kpi-programmes") != text(first, "kpi-programmes") and len(builds) == 4
    store.scope_of_request = lambda: None
    assert page() == first and len(builds) == 4
    data = store.served()
    fewer = replace(data.network, programmes=data.network.programmes.iloc[::2])
    store.replace(build_atlas_data(fewer, data.countries))
    assert text(page(), "kpi-programmes") != text(first, "kpi-programmes") and len(builds) == 5
    # ATLAS_ANSWERS_KEPT=0: every page is built.
    client = create_app(Settings.load(data_dir=DEMO_DATA_DIR, lang="fr",
                                      answers_kept=0)).server.test_client()
    builds.clear()
    assert page() == page() and len(builds) == 2
