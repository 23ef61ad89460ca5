"""Exports: snapshot sizes and formats read back, colours equal to the map's, extent, texts,
tables (CSV, Excel) with formula neutralisation, the ``atlas export`` command."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from matplotlib.colors import to_rgba
from PIL import Image
from pptx import Presentation

from cli.commands import export as export_command
from dashboard.callbacks.export import export_file
from dashboard.settings import DEMO_DATA_DIR, Settings
from dataversions.versions import DataVersions
from exports import describe, mapdraw
from exports.formats.base import ExportOptions
from exports.formats.png_image import png_bytes
from exports.formats.registry import lookup
from exports.mapdraw import (
    BadBbox,
    ExportError,
    country_fills,
    frame_for,
    label_point,
    leaflet_bbox,
    outlined_countries,
    parse_bbox,
)
from exports.page import SIZES, compose
from exports.snapshot import render_snapshot
from exports.tables import neutralise, programmes_table, to_csv_bytes
from geodata.countries import load_countries
from geodata.filters import matching_programmes
from geodata.i18n import all_texts, t
from geodata.loading import load_network
from geodata.network import Network
from layers import palette
from layers.classes import class_index
from layers.programmes import classes_of
from tests.network_builders import tiny_network
from tests.unit.serving import copy_demo
from viewmodel.data import build_atlas_data
from viewmodel.filters import filter_state
from viewmodel.mapview import map_view
from viewmodel.store import DataStore
from viewmodel.urlstate import ViewState, parse_query

DEMO = Path(__file__).resolve().parents[2] / "geodata" / "demo"
HOSTILE = '<script>alert("x")</script> $\\frac{1}{2}$ & =SUM(A1)'
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def demo():
    """The shipped demo data, loaded once."""
    countries = load_countries()
    return build_atlas_data(load_network(DEMO, countries), countries)


@pytest.fixture(scope="module")
def vocabulary(demo):
    return DataStore(demo).vocabulary()


@pytest.fixture(scope="module")
def tiny():
    """The tiny network (no data date) with hostile programme titles."""
    network = tiny_network()
    programmes = network.programmes.copy()
    programmes["title_fr"] = ["=HYPERLINK(\"http://evil\")", "+33 1 23", "-2+3", "@SUM(A1)"]
    programmes["description"] = ["\tcmd", "\rline", "normal", ""]
    network = Network(posts=network.posts, coverage=network.coverage, programmes=programmes,
                      themes=network.themes, source="tiny")
    return build_atlas_data(network, load_countries())


def png_size(content: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(content)).size


def svg_texts(content: bytes) -> list[str]:
    root = ET.fromstring(content)
    return ["".join(node.itertext()) for node in root.iter(f"{SVG_NS}text")]


def render_table(data, view, *, fmt: str, marking: str = "") -> bytes:
    """The programmes table of ``view`` written by the registered format ``fmt``."""
    return lookup(fmt).write(data, view, ExportOptions(marking=marking))


def pdf_pages(content: bytes) -> tuple[int, tuple[float, float]]:
    """Page count and first MediaBox size (points) of a PDF with an uncompressed page tree: the
    /Page objects, checked against the page tree's /Count."""
    text = content.decode("latin-1")
    count = len(re.findall(r"/Type\s*/Page(?!s)\b", text))
    assert str(count) in re.findall(r"/Count\s+(\d+)", text)
    box = re.search(r"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", text)
    x0, y0, x1, y1 = (float(v) for v in box.groups())
    return count, (x1 - x0, y1 - y0)


# --- page sizes and formats -------------------------------------------------------------------


@pytest.mark.parametrize(("size", "scale", "expected"), [
    ("16:9", 1, (1920, 1080)),
    ("4:3", 1, (1600, 1200)),
    ("a4", 1, (1753, 1240)),
    ("16:9", 2, (3840, 2160)),
])
def test_png_has_the_preset_size(demo, size, scale, expected):
    """A PNG has the pixels of its size preset; scale 2 doubles them."""
    content = render_snapshot(demo, ViewState(), fmt="png", size=size, scale=scale)
    assert content.startswith(b"\x89PNG")
    assert png_size(content) == expected == SIZES[size].pixels(scale)


@pytest.mark.parametrize(("size", "points"), [
    ("16:9", (960, 540)), ("4:3", (720, 540)), ("a4", (841.89, 595.28)),
])
def test_pdf_is_one_page_of_the_preset_size(demo, size, points):
    """A PDF has exactly one page, of the preset's size in points (A4 landscape for a4)."""
    count, page = pdf_pages(render_snapshot(demo, ViewState(mode="programmes"), fmt="pdf",
                                            size=size))
    assert count == 1
    assert page == pytest.approx(points, abs=0.05)


def test_pdf_is_reproducible(demo):
    """The same request gives the same PDF bytes (no timestamp inside)."""
    view = ViewState(mode="programmes")
    assert render_snapshot(demo, view, fmt="pdf") == render_snapshot(demo, view, fmt="pdf")


def test_svg_parses_and_keeps_texts_literal(demo):
    """The SVG is well-formed XML; a hostile title is one literal text, not markup or maths."""
    content = render_snapshot(demo, ViewState(), fmt="svg", title=HOSTILE, marking="DR <b>")
    root = ET.fromstring(content)
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("viewBox") == "0 0 960 540"
    assert not list(root.iter(f"{SVG_NS}script"))
    texts = svg_texts(content)
    assert HOSTILE in texts
    assert texts.count("DR <b>") == 2
    assert b"Arial" in content


def test_control_characters_are_dropped_from_titles(demo):
    """Control characters in a title do not reach the file (the SVG stays valid XML)."""
    content = render_snapshot(demo, ViewState(), fmt="svg", title="A\x00B\x0bC\u202eD")
    assert "A B C D".replace(" ", "") in "".join(svg_texts(content)).replace(" ", "")


def test_pptx_reads_back(demo, vocabulary):
    """One 16:9 slide with the title, a picture, the key figures, notes with the filters and
    the data date."""
    view = parse_query("?mode=programmes&themes=drugs&years=2020-2026&lang=en", vocabulary)
    content = render_snapshot(demo, view, fmt="pptx", title=HOSTILE, marking="RESTRICTED")
    presentation = Presentation(io.BytesIO(content))
    assert (presentation.slide_width, presentation.slide_height) == (12191695, 6858000)
    assert len(presentation.slides) == 1
    slide = presentation.slides[0]
    assert slide.shapes.title.text_frame.text == HOSTILE
    pictures = [s for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == 1
    texts = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    assert "programmes" in texts and "RESTRICTED" in texts
    notes = slide.notes_slide.notes_text_frame.text
    assert "Threats and fields: Drug trafficking" in notes
    assert "Years: 2020–2026" in notes
    assert f"Data as of {demo.network.data_date.day}" in notes
    assert presentation.core_properties.title == HOSTILE


@pytest.mark.parametrize(("size", "inches"), [
    ("16:9", (13.333, 7.5)), ("4:3", (10.0, 7.5)), ("a4", (10.833, 7.5)),
])
def test_pptx_slide_follows_the_size_and_holds_every_shape(demo, size, inches):
    """The chosen size is the slide's size; every box and the picture lie inside it."""
    view = ViewState(mode="programmes")
    content = render_snapshot(demo, view, fmt="pptx", size=size, marking="DIFFUSION RESTREINTE")
    presentation = Presentation(io.BytesIO(content))
    emu = 914400
    width, height = presentation.slide_width / emu, presentation.slide_height / emu
    assert (width, height) == pytest.approx(inches, abs=0.001)
    for shape in presentation.slides[0].shapes:
        assert shape.left >= 0 and shape.top >= 0, shape.name
        assert (shape.left + shape.width) / emu <= width + 0.001, shape.name
        assert (shape.top + shape.height) / emu <= height + 0.001, shape.name


def test_libreoffice_opens_the_pptx(demo, tmp_path):
    """LibreOffice converts the slide to a one-page PDF."""
    pptx = tmp_path / "slide.pptx"
    pptx.write_bytes(render_snapshot(demo, ViewState(mode="programmes"), fmt="pptx",
                                     marking="DIFFUSION RESTREINTE"))
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(pptx)],
        check=True, capture_output=True, timeout=240,
    )
    count, page = pdf_pages((tmp_path / "slide.pdf").read_bytes())
    assert count == 1
    assert page == pytest.approx((960, 540), abs=1)


@pytest.mark.parametrize("bad", [
    {"fmt": "bmp"}, {"size": "letter"}, {"scale": 3}, {"include": {"legend", "logo"}},
    {"bbox": (10, 0, 5, 20)},
])
def test_bad_requests_raise_export_error(demo, bad):
    """Unknown format, size, scale, part or an inverted extent: a clear ExportError."""
    with pytest.raises(ExportError):
        render_snapshot(demo, ViewState(), **bad)


# --- same colours, same extent as the map -----------------------------------------------------


def _pixel(snapshot, data, iso3, content) -> tuple[int, int, int]:
    x, y = label_point(data, snapshot.frame, iso3)
    px, py = snapshot.map_axes.transData.transform((x, y))
    image = Image.open(io.BytesIO(content)).convert("RGB")
    return image.getpixel((int(px), image.height - 1 - int(py)))


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


def test_theme_filters_colour_a_country_as_the_map_does(demo, vocabulary):
    """Two theme filters colour a known country differently, each time in the colour of the
    class the browser gives it (from the same hideout)."""
    views = [parse_query(f"?mode=programmes&themes={theme}&layers=", vocabulary)
             for theme in ("drugs", "terrorism")]
    fills = [country_fills(demo, map_view(demo, v).countries_hideout) for v in views]
    countries = demo.countries.assign(area=demo.countries.geometry.to_crs("+proj=eqearth").area)
    candidates = countries[~countries["small"] & (countries["label_lat"].abs() < 55)]
    iso3 = next(i for i in candidates.sort_values("area", ascending=False)["iso3"]
                if fills[0][i] != fills[1][i])
    pixels = []
    for view in views:
        hideout = map_view(demo, view).countries_hideout
        index = class_index(hideout["values"].get(iso3, 0), classes_of(hideout))
        expected = hideout["none_color"] if index < 0 else hideout["colors"][index]
        snapshot = compose(demo, view)
        content = png_bytes(snapshot.page, snapshot.title)
        pixel = _pixel(snapshot, demo, iso3, content)
        assert pixel == pytest.approx(_rgb(expected), abs=2), (iso3, expected)
        pixels.append(pixel)
    assert pixels[0] != pixels[1]


def test_coverage_mode_uses_the_coverage_colours(demo):
    """In coverage mode a host country has the palette's host colour in the image."""
    view = ViewState(layers=())
    snapshot = compose(demo, view)
    content = png_bytes(snapshot.page, snapshot.title)
    assert _pixel(snapshot, demo, "BRA", content) == pytest.approx(
        _rgb(palette.COVERAGE["host"]), abs=2)


def test_extent_follows_the_bounds(demo):
    """A small bbox is shown whole, centred, in Web Mercator; a world-wide one is the world."""
    bbox = (-18.0, 4.0, 16.0, 26.0)
    snapshot = compose(demo, ViewState(), bbox=bbox)
    frame = frame_for(bbox)
    assert frame.crs == "EPSG:3857" and not frame.world
    (x0, x1), (y0, y1) = snapshot.map_axes.get_xlim(), snapshot.map_axes.get_ylim()
    assert x0 <= frame.xlim[0] and x1 >= frame.xlim[1]
    assert y0 <= frame.ylim[0] + 1 and y1 >= frame.ylim[1] - 1
    assert (x0 + x1) / 2 == pytest.approx(sum(frame.xlim) / 2)
    assert (y0 + y1) / 2 == pytest.approx(sum(frame.ylim) / 2)
    tight = min((x1 - x0) / (frame.xlim[1] - frame.xlim[0]),
                (y1 - y0) / (frame.ylim[1] - frame.ylim[0]))
    assert tight == pytest.approx(1.0)
    assert frame_for((-250, -75, 250, 85)).world
    assert frame_for((-100, -50, 60, 70)).crs.startswith("+proj=eqearth")


def test_selected_country_is_outlined(demo):
    """The selected country gets the dark outline on top of its fill."""
    view = ViewState(country="MLI", layers=())
    snapshot = compose(demo, view)
    outline = to_rgba(palette.SELECTED_OUTLINE)
    assert [p for p in snapshot.map_axes.patches if p.get_edgecolor() == outline]


def test_selected_post_outlines_its_countries(demo):
    """A selected post outlines every country it covers, as on screen."""
    view = ViewState(post="SSI-DAKAR", layers=())
    hideout = map_view(demo, view).countries_hideout
    covered = set(demo.network.coverage.query("post_id == 'SSI-DAKAR'")["country_iso3"])
    assert outlined_countries(demo, hideout) == covered
    assert "Poste mis en évidence : SSI-DAKAR (Dakar)" in describe.filters_text(demo, view)


def test_projected_shapes_are_held_by_the_data_load(demo):
    """The country shapes are projected once per data load and projection, and kept by that
    load (a new load projects its own)."""
    first = mapdraw.projected_shapes(demo, "EPSG:3857")
    assert mapdraw.projected_shapes(demo, "EPSG:3857") is first
    assert demo.memo.get(("export_shapes", "EPSG:3857"), lambda: None) is first
    reloaded = build_atlas_data(demo.network, demo.countries)
    assert mapdraw.projected_shapes(reloaded, "EPSG:3857") is not first


def test_bbox_parsing():
    """W,S,E,N text and Leaflet bounds become a checked extent; bad ones say why."""
    assert parse_bbox("-10, 5, 20, 30") == (-10, 5, 20, 30)
    assert leaflet_bbox([[5, -10], [30, 20]]) == (-10, 5, 20, 30)
    assert leaflet_bbox(None) is None
    for text in ("1,2,3", "a,b,c,d", "10,0,5,20", "0,20,10,5", "0,-95,10,5", "0,0,nan,1"):
        with pytest.raises(BadBbox):
            parse_bbox(text)


# --- words ------------------------------------------------------------------------------------


def test_default_title_and_filters_in_words(demo, vocabulary):
    """The default title names mode, themes and status; the filters line lists them all."""
    view = parse_query("?mode=programmes&themes=drugs&country=MLI", vocabulary)
    assert describe.default_title(demo, view) == "Programmes — Trafic de stupéfiants — en cours"
    assert describe.filters_text(demo, view) == (
        "Affichage : Programmes (nombre) · Menaces et domaines : Trafic de stupéfiants · "
        "Statut : En cours · Pays mis en évidence : Mali")
    en = parse_query("?regions=africa&lang=en", vocabulary)
    assert describe.default_title(demo, en) == "Network coverage — Africa"
    many = parse_query("?mode=programmes&themes=drugs,terrorism,cybercrime,governance"
                       "&status=all&metric=budget", vocabulary)
    assert describe.default_title(demo, many) == "Budget des programmes — 4 menaces et domaines"


def test_footer_has_date_and_source(demo, tiny):
    """The footer gives the data date when known, and always the sources."""
    assert describe.footer_text(demo, "fr").startswith("Données au ")
    assert describe.footer_text(tiny, "en") == t("source", "en")


def test_export_texts_exist_in_both_languages():
    """Every export and table key is in both catalogues."""
    keys = {k for k in all_texts("fr") if k.startswith(("export.", "table."))}
    assert keys and keys == {k for k in all_texts("en") if k.startswith(("export.", "table."))}


def test_marking_setting_comes_from_the_environment(monkeypatch):
    """ATLAS_EXPORT_MARKING sets the default marking; an explicit value wins."""
    monkeypatch.setenv("ATLAS_EXPORT_MARKING", "DIFFUSION RESTREINTE")
    assert Settings.load().export_marking == "DIFFUSION RESTREINTE"
    assert Settings.load(export_marking="NP").export_marking == "NP"


# --- tables -----------------------------------------------------------------------------------


def test_programmes_table_headers_and_rows(demo, vocabulary):
    """Translated headers; one row per matching programme; readable values."""
    view = parse_query("?themes=drugs&years=2020-2026", vocabulary)
    frame = programmes_table(demo, view, "fr")
    expected = matching_programmes(demo.network, view.filters, demo.regions)
    assert len(frame) == len(expected) > 0
    assert list(frame.columns[:3]) == ["Identifiant", "Intitulé", "Pays"]
    assert set(frame["Statut"]) == {"En cours"}
    assert frame["Menaces et domaines"].str.contains("Trafic de stupéfiants").all()
    assert frame["Début"].str.match(r"^\d{4}-\d{2}-\d{2}$").all()
    english = programmes_table(demo, view, "en")
    assert list(english.columns[:3]) == ["ID", "Title", "Countries"]


def test_programmes_table_for_one_country(demo):
    """``country`` keeps the programmes involving that country only."""
    view = ViewState(filters=filter_state(status=()))
    frame = programmes_table(demo, view, "en", country="MLI")
    assert len(frame) > 0
    assert frame["Country codes (ISO3)"].str.contains("MLI").all()


def test_csv_for_french_excel(demo):
    """UTF-8 with BOM, semicolons, CRLF, decimal comma in French; rows = programmes."""
    view = ViewState(filters=filter_state(status=()))
    content = render_table(demo, view, fmt="csv")
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "Identifiant" and "Budget (€)" in rows[0]
    assert len(rows) - 1 == len(demo.network.programmes)
    frame = pd.DataFrame({"Identifiant": ["a", "b", "c"],
                          "Budget (€)": [1234.5, float("nan"), 2000.0]})
    assert to_csv_bytes(frame, "fr").decode("utf-8-sig").split("\r\n")[1:4] == [
        "a;1234,50", "b;", "c;2000"]
    assert to_csv_bytes(frame, "en").decode("utf-8-sig").split("\r\n")[1] == "a;1234.50"


def test_formula_cells_are_neutralised(tiny):
    """Titles or descriptions starting with = + - @ tab CR get an apostrophe, in CSV and
    Excel."""
    view = ViewState(filters=filter_state(status=()))
    rows = list(csv.reader(io.StringIO(render_table(tiny, view, fmt="csv").decode("utf-8-sig")),
                           delimiter=";"))
    titles = {row[0]: row[1] for row in rows[1:]}
    assert titles == {"P1": "'=HYPERLINK(\"http://evil\")", "P2": "'+33 1 23", "P3": "'-2+3",
                      "P4": "'@SUM(A1)"}
    workbook = openpyxl.load_workbook(io.BytesIO(render_table(tiny, view, fmt="xlsx")))
    sheet = workbook.worksheets[0]
    assert sheet.max_row - 1 == 4
    cells = [sheet.cell(row=r, column=2) for r in range(2, 6)]
    assert all(c.data_type == "s" and c.value.startswith("'") for c in cells)
    descriptions = [sheet.cell(row=r, column=14).value for r in range(2, 4)]
    assert descriptions == ["'\tcmd", "'\rline"]
    assert neutralise(-3) == -3 and neutralise("Dakar") == "Dakar"


def test_xlsx_is_typed_and_documented(demo, vocabulary):
    """Header row, real dates and numbers, an information sheet with filters and sources."""
    view = parse_query("?themes=drugs&lang=en", vocabulary)
    workbook = openpyxl.load_workbook(io.BytesIO(
        render_table(demo, view, fmt="xlsx", marking="RESTRICTED")))
    sheet = workbook["Programmes"]
    header = [c.value for c in sheet[1]]
    assert header[0] == "ID" and "Start" in header
    assert sheet.max_row - 1 == len(matching_programmes(demo.network, view.filters))
    assert sheet.cell(row=2, column=header.index("Start") + 1).is_date
    assert sheet.freeze_panes == "A2"
    about = {row[0]: row[1] for row in workbook["About"].iter_rows(values_only=True)}
    assert about["Marking"] == "RESTRICTED"
    assert about["Sources"] == t("source", "en")


# --- the callback's pure part and the command -------------------------------------------------


def test_export_file_names_and_formats(demo):
    """The dialog's request gives the file and its name, for maps and tables."""
    view = ViewState(mode="programmes")
    content, name = export_file(demo, view, "png", include=["legend"],
                                bounds=[[4, -18], [26, 16]])
    assert content.startswith(b"\x89PNG") and name.endswith(".png")
    assert name == "programmes-en-cours-2026-11-23.png"
    _, name = export_file(demo, view, "pptx", title="Sahel — Stupéfiants", size="4:3")
    assert name == "sahel-stupefiants-2026-11-23.pptx"
    content, name = export_file(demo, view, "xlsx")
    assert content.startswith(b"PK") and name.endswith(".xlsx")


def test_command_writes_several_formats(tmp_path, capsys):
    """``atlas export --format png,csv --out DIR/`` writes both files and prints their paths."""
    code = export_command.main(["--format", "png,csv", "--out", f"{tmp_path}/out/",
                                "--mode", "programmes", "--themes", "drugs",
                                "--years", "2020-2026", "--size", "4:3", "--no-kpis"])
    assert code == 0
    written = sorted(Path(line) for line in capsys.readouterr().out.split())
    assert [p.suffix for p in written] == [".csv", ".png"]
    assert png_size(written[1].read_bytes()) == (1600, 1200)


def test_command_single_file_and_stem(tmp_path):
    """One format: --out is the file; several formats with a file name: its stem is used."""
    assert export_command.main(["--format", "pdf", "--out", str(tmp_path / "map.pdf")]) == 0
    assert (tmp_path / "map.pdf").read_bytes().startswith(b"%PDF")
    assert export_command.main(["--format", "svg,xlsx", "--out", str(tmp_path / "b.svg"),
                                "--country", "MLI", "--lang", "en"]) == 0
    assert (tmp_path / "b.svg").exists() and (tmp_path / "b.xlsx").exists()


def test_command_exports_the_version_served(tmp_path, monkeypatch):
    """With ATLAS_DATA_ROOT, ``atlas export`` reads the published version being served, not
    the working folder; ``--data`` still picks a folder."""
    working = copy_demo(tmp_path / "working")
    programmes = pd.read_csv(working / "programmes.csv", dtype=str, keep_default_na=False)
    programmes.iloc[:-5].to_csv(working / "programmes.csv", index=False)
    settings = Settings.load(data_dir=working, data_root=str(tmp_path / "root"))
    assert DataVersions(settings).publish_seed(load_countries(), user="test").ok
    monkeypatch.setenv("ATLAS_DATA_ROOT", str(tmp_path / "root"))

    def exported_rows(*argv: str) -> int:
        out = tmp_path / f"rows{len(list(tmp_path.glob('rows*')))}.csv"
        assert export_command.main(["--format", "csv", "--out", str(out), "--status", "all",
                                    *argv]) == 0
        text = out.read_bytes().decode("utf-8-sig")
        return len(list(csv.reader(io.StringIO(text), delimiter=";"))) - 1

    demo_count = len(pd.read_csv(DEMO_DATA_DIR / "programmes.csv"))
    assert exported_rows() == demo_count - 5
    assert exported_rows("--data", str(DEMO_DATA_DIR)) == demo_count


@pytest.mark.parametrize(("argv", "message"), [
    (["--format", "bmp"], "unknown format bmp"),
    (["--format", "png", "--bbox", "1,2,3"], "bbox must be four numbers"),
    (["--format", "png", "--bbox", "20,0,10,5"], "west (20) must be less than east (10)"),
    (["--format", "png", "--themes", "drugs,nope"], "unknown themes nope"),
    (["--format", "png", "--years", "soon"], "--years must be"),
    (["--format", "png", "--country", "XXX"], "unknown country"),
])
def test_command_bad_input_exits_2(tmp_path, capsys, argv, message):
    """Bad input: a one-line error naming the problem, exit code 2, no traceback, no file."""
    code = export_command.main([*argv, "--out", str(tmp_path / "x")])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())


def test_command_argparse_errors_exit_2(capsys):
    """Choices checked by argparse (scale, size) also exit with code 2."""
    with pytest.raises(SystemExit) as exit_info:
        export_command.main(["--format", "png", "--out", "x", "--scale", "3"])
    assert exit_info.value.code == 2


def test_world_export_has_insets_for_the_crowded_areas(demo):
    """A world map carries two insets, the Caribbean and Europe's micro-states, each framed,
    captioned in the page's language and drawn with the countries' fills; a regional extent
    has none."""
    snapshot = compose(demo, ViewState(mode="programmes", lang="en"))
    insets = snapshot.map_axes.child_axes
    assert [box.get_title(loc="left") for box in insets] == ["Caribbean", "Europe's micro-states"]
    fills = {tuple(colour) for collection in insets[0].collections
             for colour in collection.get_facecolor()}
    assert to_rgba(palette.NONE) in fills
    assert len(fills) >= 3  # the grey of "none" and at least two classes
    french = compose(demo, ViewState(mode="programmes", lang="fr")).map_axes.child_axes
    assert french[1].get_title(loc="left") == "Micro-États d'Europe"
    regional = compose(demo, ViewState(), bbox=(-20, 0, 30, 30))
    assert regional.map_axes.child_axes == []
