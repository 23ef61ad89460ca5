"""Scoped access: a viewer limited to Africa gets nothing outside Africa from any route (the
layers' GeoJSON, the page, the map, overlay and panel callbacks, the search, every export
format, CSV and Excel, packs, the changes view); a scope naming nothing shows nothing."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import subprocess
import time

import openpyxl
import pytest
from pptx import Presentation

import cli
from accounts import scopes
from accounts.audit import AuditLog
from accounts.users import UserRejected, add_user, read_users
from dashboard import ids
from dashboard.app import create_app
from dashboard.settings import DEMO_DATA_DIR, Settings
from geodata.countries import load_countries
from geodata.loading import load_network
from layers import palette
from tests.unit.serving import VIEWER, basic, call_as, callback_payload, make_users_file
from viewmodel.access import scope_countries, scope_network, scoped_data
from viewmodel.data import FILE_TYPES, GEOJSON_FILES, build_atlas_data

AWA = ("awa", "awa-password-1")  # region:africa
NEMO = ("nemo", "nemo-password-1")  # a region that does not exist
DAKAR = ("dakar", "dakar-password-1")  # post:SSI-DAKAR


@pytest.fixture(scope="module")
def demo():
    return build_atlas_data(load_network(DEMO_DATA_DIR), load_countries())


@pytest.fixture(scope="module")
def africa(demo):
    return demo.regions.countries("africa")


@pytest.fixture(scope="module")
def leaks(demo, africa):
    """A search for what must not reach an Africa user: the posts outside Africa and the
    programmes with no country in Africa (their ids, as whole words)."""
    network = demo.network
    posts = network.posts.loc[~network.posts["country_iso3"].isin(africa), "post_id"]
    outside = network.programmes["countries"].map(lambda codes: not set(codes) & africa)
    programmes = network.programmes.loc[outside, "programme_id"]
    words = "|".join(re.escape(word) for word in [*posts, *programmes])
    pattern = re.compile(rf"(?<![\w-])(?:{words})(?![\w-])")
    assert len(posts) > 40 and len(programmes) > 200
    return lambda text: sorted(set(pattern.findall(text)))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scopes")
    path = make_users_file(folder / "users.json")
    add_user(path, AWA[0], "viewer", AWA[1], scope="region:africa")
    add_user(path, NEMO[0], "viewer", NEMO[1], scope="region:atlantis")
    add_user(path, DAKAR[0], "viewer", DAKAR[1], scope="post:SSI-DAKAR")
    app = create_app(Settings.load(data_dir=DEMO_DATA_DIR, users_file=str(path),
                                   jobs_dir=str(folder / "jobs"),
                                   audit_log=str(folder / "audit.jsonl")))
    client = app.server.test_client()
    client.audit_log = folder / "audit.jsonl"
    return client


call = call_as


def shapes_of(topology: dict) -> list[dict]:
    """The country geometries of the shapes' TopoJSON topology (id and properties each)."""
    return [geometry for collection in topology["objects"].values()
            for geometry in collection["geometries"]]


def pdf_text(content: bytes) -> str:
    """The text of a PDF (poppler's pdftotext)."""
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content,
                          capture_output=True, check=True).stdout.decode()


def download(answer) -> bytes:
    """The bytes of a ``dcc.Download`` answer."""
    data = answer["response"][ids.EXPORT_DOWNLOAD]["data"]
    return base64.b64decode(data["content"]) if data["base64"] else data["content"].encode()


# --- the scope, without the web --------------------------------------------------------------

def test_scope_tokens_are_checked_and_united():
    assert scopes.parse_scope("region:africa, post:SSI-DAKAR,Region:africa") == (
        "region:africa", "post:SSI-DAKAR")
    for bad in ("africa", "region:", "continent:asia", "post:a b"):
        with pytest.raises(scopes.ScopeRejected, match="invalid scope"):
            scopes.parse_scope(bad)
    assert scopes.unite([("region:africa",), ("post:SSI-DAKAR",)]) == (
        "region:africa", "post:SSI-DAKAR")
    assert scopes.unite([("region:africa",), None]) is None
    mapping = {"afrique": ("region:africa",), "direction": None}
    assert scopes.scope_of_groups(["afrique", "other"], mapping) == ("region:africa",)
    assert scopes.scope_of_groups(["other"], mapping) == ()
    assert scopes.scope_of_groups(["afrique", "direction"], mapping) is None


def test_a_scope_resolves_to_countries(demo, africa):
    """Regions are the data's region sets, a post its covered countries (host included),
    a token naming nothing adds nothing."""
    dakar = scope_countries(["post:SSI-DAKAR"], demo)
    assert "SEN" in dakar and dakar <= africa and len(dakar) > 1
    assert scope_countries(["region:africa", "post:SSI-DAKAR"], demo) == africa
    assert scope_countries(["region:atlantis", "post:SSI-NOWHERE"], demo) == frozenset()
    assert scope_countries(["country:fra", "country:XXX"], demo) == {"FRA"}


def test_a_multi_country_programme_keeps_only_its_countries_in_scope(demo):
    """PRG-0001 runs in six Sahel countries: seen from Senegal only, it names Senegal alone
    and carries Senegal's share of its budget."""
    network = demo.network
    row = network.programmes.set_index("programme_id").loc["PRG-0001"]
    assert len(row["countries"]) == 6
    cut = scope_network(network, frozenset({"SEN"}))
    kept = cut.programmes.set_index("programme_id")
    assert kept.loc["PRG-0001", "countries"] == ("SEN",)
    multi = network.programmes[network.programmes["countries"].map(len) > 1]
    multi = multi[multi["budget_eur"].notna() & multi["countries"].map(lambda c: "SEN" in c)]
    pid = multi["programme_id"].iloc[0]
    share = multi.set_index("programme_id").loc[pid]
    assert kept.loc[pid, "budget_eur"] == pytest.approx(
        share["budget_eur"] / len(share["countries"]))
    assert set(cut.programme_countries["country_iso3"]) == {"SEN"}
    assert set(cut.posts["country_iso3"]) <= {"SEN"}
    assert set(cut.coverage["country_iso3"]) <= {"SEN"}


def test_scoped_data_is_built_once_per_scope(demo, africa):
    first = scoped_data(demo, africa)
    assert scoped_data(demo, africa) is first
    assert scoped_data(demo, None) is demo
    assert first.version != demo.version and first.scope == africa


def test_the_users_file_keeps_a_viewers_scope_and_refuses_an_editors(tmp_path):
    path = tmp_path / "users.json"
    add_user(path, "awa", "viewer", "password-123", scope="region:africa,post:SSI-DAKAR")
    assert read_users(path)["awa"].scope == ("region:africa", "post:SSI-DAKAR")
    with pytest.raises(UserRejected, match="editors are unscoped"):
        add_user(path, "ed", "editor", "password-123", scope="region:africa")
    with pytest.raises(UserRejected, match="invalid scope"):
        add_user(path, "bad", "viewer", "password-123", scope="africa")


# --- every route, for a user scoped to Africa ------------------------------------------------

def test_the_layers_geojson_holds_nothing_outside_the_scope(server, demo, africa, leaks):
    """Posts and links in Africa only; the shapes say which countries are out of scope."""
    files = {}
    for name in GEOJSON_FILES:
        # the page names each file's URL (versioned by the scope's data)
        response = server.get(f"/atlas-data/{name}.{FILE_TYPES[name]}", headers=basic(*AWA))
        assert response.status_code == 200
        files[name] = json.loads(response.data)
        assert leaks(response.data.decode()) == [], name
    posts = {f["properties"].get("country") or f["id"] for f in files["posts"]["features"]}
    assert posts and {p for p in posts if p in demo.names} <= africa
    shown = {g["id"]: g["properties"]["cov"] for g in shapes_of(files["countries"])}
    assert {iso3 for iso3, cov in shown.items() if cov in ("host", "regional")} <= africa
    assert shown["BRA"] == "out" and shown["FRA"] == "out" and shown["SEN"] == "host"
    everyone = json.loads(server.get("/atlas-data/posts.geojson", headers=basic(*VIEWER)).data)
    assert len(everyone["features"]) > len(files["posts"]["features"])


def test_the_page_and_its_layout_name_nothing_outside(server, leaks, africa, demo):
    for url in ("/", "/_dash-layout", "/?country=DEU&post=SSI-BERLIN"):
        response = server.get(url, headers=basic(*AWA))
        assert response.status_code == 200
        assert leaks(response.data.decode()) == [], url
    layout = json.dumps(server.get("/_dash-layout", headers=basic(*AWA)).get_json(),
                        ensure_ascii=False)
    assert "Sénégal" in layout and "Allemagne" not in layout  # the country list


def test_the_map_callback_counts_africa_only(server, leaks, africa):
    answer = call(server, AWA, "kpi-posts.children",
                  {"filter-mode.value": "programmes", "lang.data": "en"}, "filter-mode.value")
    text = json.dumps(answer)
    assert leaks(text) == []
    hideout = answer["response"]["live-hideouts"]["data"]["layer-countries"]
    assert set(hideout["counts"]) <= africa and hideout["counts"]
    out = hideout["fill_colors"].index(palette.OUT_OF_SCOPE)
    assert hideout["classes"]["BRA"] == out and hideout["classes"]["FRA"] == out
    assert hideout["classes"].get("SEN") != out
    kpis = answer["response"][ids.KPI_POSTS]["children"]
    everyone = call(server, VIEWER, "kpi-posts.children",
                    {"filter-mode.value": "programmes", "lang.data": "en"}, "filter-mode.value")
    assert json.dumps(kpis) != json.dumps(everyone["response"][ids.KPI_POSTS]["children"])
    legend = json.dumps(answer["response"][ids.LEGEND])
    assert "Outside your scope" in legend


def test_the_overlays_show_africa_only(server, leaks):
    answer = call(server, AWA, "layer-posts.hideout",
                  {"filter-layers.value": ["posts", "links", "labels"], "lang.data": "fr"},
                  "filter-layers.value")
    assert leaks(json.dumps(answer)) == []


def test_a_panel_out_of_scope_does_not_open(server, leaks):
    for country, post in (("DEU", None), ("BRA", None), (None, "SSI-BERLIN")):
        answer = call(server, AWA, "panel.className",
                      {"selected-country.data": country, "selected-post.data": post,
                       "lang.data": "fr"}, "selected-country.data")
        assert answer["response"]["panel"]["className"] == "panel"
        assert leaks(json.dumps(answer)) == []
    opened = call(server, AWA, "panel.className",
                  {"selected-country.data": "SEN", "lang.data": "fr"}, "selected-country.data")
    assert opened["response"]["panel"]["className"] == "panel panel-open"
    assert "Dakar" in json.dumps(opened)


def test_the_playback_frames_show_africa_only(server, leaks, africa):
    answer = call(server, AWA, "play-frames.data",
                  {"play-step.value": "year", "lang.data": "en",
                   "filter-mode.value": "programmes"}, "play-next.n_clicks")
    played = answer["response"]["play-frames"]["data"]
    assert played["frames"] and leaks(json.dumps(answer)) == []
    counted = {iso3 for frame in played["frames"] for iso3, n in frame["values"].items() if n}
    assert counted and counted <= africa
    out = played["fill_colors"].index(palette.OUT_OF_SCOPE)
    assert all(frame["classes"]["BRA"] == out for frame in played["frames"])


def test_a_link_to_an_out_of_scope_country_selects_nothing(server):
    answer = call(server, AWA, "url.search", {"url.search": "?country=DEU&lang=en"},
                  "url.search")
    assert answer["response"][ids.SELECTED_COUNTRY]["data"] is None


def test_the_search_finds_africa_only(server):
    def found(user, typed):
        answer = call(server, user, "panel-search.options",
                      {"panel-search.search_value": typed, "lang.data": "fr"},
                      "panel-search.search_value")
        return [o["value"] for o in answer["response"]["panel-search"]["options"]]

    assert found(AWA, "Berlin") == [] and found(AWA, "Allemagne") == []
    assert "SEN" in found(AWA, "Sénégal") and "post:SSI-DAKAR" in found(AWA, "Dakar")
    assert "DEU" in found(VIEWER, "Allemagne")


EXPORT = {"export-format.value": "png", "lang.data": "en", "export-what.value": "page",
          "export-extent.value": "world", "filter-mode.value": "programmes",
          "export-size.value": "16:9", "export-scale.value": 1,
          "export-options.value": ["labels"],
          "export-include.value": ["legend", "kpis", "filters"]}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_tables_hold_africa_only(server, leaks, africa, fmt):
    answer = call(server, AWA, "export-status.children", dict(EXPORT),
                  f"{ids.export_table_button(fmt)}.n_clicks")
    content = download(answer)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        rows = [[str(c) if c is not None else "" for c in row]
                for row in sheet.iter_rows(values_only=True)]
    text = "\n".join(";".join(row) for row in rows)
    assert leaks(text) == []
    assert len(rows) > 100
    header = rows[0]
    iso_column = next(i for i, name in enumerate(header) if "ISO" in name)
    named = {code for row in rows[1:] for code in re.split(r"[|, ]+", row[iso_column]) if code}
    assert named and named <= africa


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf", "pptx"])
def test_each_snapshot_format_draws_the_rest_of_the_world_out_of_scope(server, leaks, fmt):
    answer = call(server, AWA, "export-status.children", {**EXPORT, "export-format.value": fmt},
                  "export-confirm.n_clicks")
    content = download(answer)
    assert len(content) > 1000
    if fmt == "svg":
        text = content.decode()
        assert palette.OUT_OF_SCOPE in text and leaks(text) == []
    elif fmt == "pdf":
        text = pdf_text(content)
        assert "Outside your scope" in text and leaks(text) == []
    elif fmt == "pptx":
        slide = Presentation(io.BytesIO(content)).slides[0]
        texts = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        assert leaks(texts) == []
    elif fmt == "png":
        from PIL import Image

        image = Image.open(io.BytesIO(content)).convert("RGB")
        colour = tuple(int(palette.OUT_OF_SCOPE[i:i + 2], 16) for i in (1, 3, 5))
        share = sum(n for n, c in image.getcolors(1 << 20) if c == colour) / (
            image.width * image.height)
        assert share > 0.05  # the Americas, Europe, Asia... in the neutral tone


def test_a_brief_of_an_out_of_scope_country_is_not_made(server):
    answer = call(server, AWA, "export-status.children",
                  {"selected-country.data": "DEU", "lang.data": "en"}, "panel-brief.n_clicks")
    assert not answer or ids.EXPORT_DOWNLOAD not in answer.get("response", {})


def test_the_changes_view_names_africa_only(server, leaks, africa):
    answer = call(server, AWA, "kpi-posts.children",
                  {"filter-mode.value": "changes", "filter-since.value": "demo-previous",
                   "lang.data": "en"}, "filter-mode.value")
    text = json.dumps(answer)
    assert leaks(text) == []
    classes = answer["response"]["live-hideouts"]["data"]["layer-countries"]["classes"]
    out = answer["response"]["live-hideouts"]["data"]["layer-countries"]["fill_colors"].index(
        palette.OUT_OF_SCOPE)
    assert {iso3 for iso3, index in classes.items() if index != out} - {"FRA"} <= africa


def test_a_pack_made_in_the_background_holds_the_scope_only(server, demo):
    """The dialog's briefing pack runs as a job in another process: it sees the scope of the
    user who asked for it (Dakar's countries: no brief of Mali or Côte d'Ivoire)."""
    dakar = scope_countries(["post:SSI-DAKAR"], demo)
    values = {**EXPORT, "export-format.value": "pptx", "export-what.value": "pack",
              "export-extent.value": "regions", "filter-regions.value": ["west_africa"],
              "lang.data": "fr"}
    spec = next(d for d in server.get("/_dash-dependencies", headers=basic(*DAKAR)).get_json()
                if d.get("background") and "export-download" in d["output"])
    body = callback_payload(spec, values, "export-confirm.n_clicks")
    started = server.post("/_dash-update-component", headers=basic(*DAKAR), json=body)
    started = started.get_json()
    query = f"?cacheKey={started['cacheKey']}&job={started['job']}"
    for _ in range(600):
        polled = server.post("/_dash-update-component" + query, headers=basic(*DAKAR), json=body)
        answer = polled.get_json() if polled.status_code == 200 else None
        if answer and ids.EXPORT_DOWNLOAD in answer.get("response", {}):
            break
        time.sleep(0.5)
    else:
        raise AssertionError("the pack's job did not finish")
    slides = Presentation(io.BytesIO(download(answer))).slides
    titles = [slide.shapes.title.text_frame.text for slide in slides if slide.shapes.title]
    briefs = [title.split(" : ")[0] for title in titles if "fiche pays" in title]
    assert briefs, titles
    names = {demo.name(iso3, "fr") for iso3 in dakar}
    assert set(briefs) <= names, briefs
    # the job recorded the pack once, in its requester's name
    packs = AuditLog(server.audit_log).events(action="pack")
    assert [(e["user"], e["format"], e["pages"]) for e in packs] == [("dakar", "pptx",
                                                                     len(slides))]


# --- a scope that names nothing ---------------------------------------------------------------

def test_an_unknown_scope_sees_nothing(server):
    posts = json.loads(server.get("/atlas-data/posts.geojson", headers=basic(*NEMO)).data)
    assert posts["features"] == []
    answer = call(server, NEMO, "export-status.children", dict(EXPORT),
                  f"{ids.export_table_button('csv')}.n_clicks")
    rows = list(csv.reader(io.StringIO(download(answer).decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1  # the header alone
    answer = call(server, NEMO, "kpi-posts.children",
                  {"filter-mode.value": "programmes", "lang.data": "en"}, "filter-mode.value")
    assert answer["response"]["live-hideouts"]["data"]["layer-countries"]["counts"] == {}
    assert answer["response"][ids.KPI_POSTS]["children"] == "0"


def test_a_post_scope_sees_the_countries_it_covers(server, demo):
    shapes = json.loads(server.get("/atlas-data/countries.topojson",
                                   headers=basic(*DAKAR)).data)
    shown = {g["id"] for g in shapes_of(shapes) if g["properties"]["cov"] != "out"}
    assert shown == scope_countries(["post:SSI-DAKAR"], demo)


def test_healthz_gives_counts_only_to_who_is_signed_in_and_of_their_scope(server, africa,
                                                                         demo):
    assert "counts" not in server.get("/healthz").get_json()
    assert "counts" not in server.get("/healthz", headers=basic(AWA[0], "wrong")).get_json()
    everyone = server.get("/healthz", headers=basic(*VIEWER)).get_json()["counts"]
    scoped = server.get("/healthz", headers=basic(*AWA)).get_json()["counts"]
    assert everyone["posts"] == len(demo.network.posts)
    assert scoped["posts"] == int(demo.network.posts["country_iso3"].isin(africa).sum())


# --- the command line, run for a user ---------------------------------------------------------

@pytest.fixture
def cli_users(tmp_path, monkeypatch):
    path = make_users_file(tmp_path / "users.json")
    add_user(path, AWA[0], "viewer", AWA[1], scope="region:africa")
    monkeypatch.setenv("ATLAS_USERS_FILE", str(path))
    monkeypatch.delenv("ATLAS_DATA_ROOT", raising=False)
    return path


def test_atlas_export_for_a_user_holds_their_scope(cli_users, tmp_path, leaks, africa, capsys):
    out = tmp_path / "awa.csv"
    assert cli.main(["export", "--format", "csv", "--out", str(out), "--user", "awa"]) == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert len(rows) > 50 and leaks(out.read_text(encoding="utf-8-sig")) == []
    assert cli.main(["export", "--format", "png", "--out", str(tmp_path / "de.png"),
                     "--country", "DEU", "--user", "awa"]) == 2
    assert "DEU is outside the scope of awa" in capsys.readouterr().err
    assert cli.main(["export", "--format", "csv", "--out", str(out), "--user", "zoe"]) == 2
    assert "no user 'zoe'" in capsys.readouterr().err


def test_atlas_deck_for_a_user_holds_their_scope(cli_users, tmp_path, demo, africa):
    out = tmp_path / "deck.pptx"
    assert cli.main(["deck", "--preset", "regions", "--out", str(out), "--user", "awa",
                     "--lang", "en"]) == 0
    slides = Presentation(str(out)).slides
    titles = " ".join(s.shapes.title.text_frame.text for s in slides if s.shapes.title)
    outside = [demo.name(r, "en") for r in ("europe", "asia") if demo.name(r, "en") in titles]
    assert "Africa" in titles and not outside, titles


def test_atlas_data_diff_for_a_user_names_their_scope_only(cli_users, africa, leaks, capsys):
    previous = str(DEMO_DATA_DIR.parent / "demo-previous")
    assert cli.main(["data", "diff", previous, str(DEMO_DATA_DIR), "--json"]) == 0
    everyone = json.loads(capsys.readouterr().out)
    assert cli.main(["data", "diff", previous, str(DEMO_DATA_DIR), "--json",
                     "--user", "awa"]) == 0
    scoped = json.loads(capsys.readouterr().out)
    named = {code for kind in scoped["programmes"].values() for change in kind
             for code in change.get("countries", [])}
    named |= {change["country"] for kind in scoped["coverage"].values() for change in kind}
    assert named and named <= africa
    assert leaks(json.dumps(scoped)) == [] and leaks(json.dumps(everyone)) != []
    assert cli.main(["data", "diff", previous, str(DEMO_DATA_DIR), "--lang", "en",
                     "--user", "awa"]) == 0
    assert leaks(capsys.readouterr().out) == []
