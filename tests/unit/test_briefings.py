"""Slides a director uses as they are (issue 15): figures of the scope shown, texts never cut,
native legends and maps, briefs whose counts are the panels', packs read back page by page."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Emu

from cli import main as cli_main
from cli.commands import export as export_command
from exports import describe
from exports.brief import layout_brief, render_brief
from exports.deck import DeckOptions, PageSpec, SpecError, build_deck, parse_spec, read_spec
from exports.formats.base import ExportOptions
from exports.formats.pdf_document import pdf_bytes
from exports.mapdraw import frame_for, label_point
from exports.page import compose, fit_text, text_width
from exports.powerpoint import BOX_INSET, PPT_LINE_SPACING, render_pptx
from exports.scope import region_countries, scope_for, scoped_figures
from geodata.countries import load_countries
from geodata.filters import country_totals, programme_mask
from geodata.i18n import format_money, format_number
from geodata.loading import DEMO_DIR, load_network
from viewmodel.data import build_atlas_data
from viewmodel.mapview import map_view
from viewmodel.panels import country_panel_data, post_panel_data
from viewmodel.urlstate import ViewState, Vocabulary, parse_query

EMU = 914400
LONG_TITLE = ("Coopération de sécurité intérieure au Sahel et en Afrique de l'Ouest : "
              "programmes de lutte contre les trafics de stupéfiants, le terrorisme et la "
              "traite des êtres humains, bilan pour le comité directeur")[:200]


@pytest.fixture(scope="module")
def demo():
    countries = load_countries()
    return build_atlas_data(load_network(DEMO_DIR, countries), countries)


@pytest.fixture(scope="module")
def vocabulary(demo):
    return Vocabulary.of(demo)


def view_of(vocabulary, query: str) -> ViewState:
    return parse_query(query, vocabulary)


def slide_texts(slide) -> dict[str, str]:
    return {shape.name: shape.text_frame.text for shape in slide.shapes if shape.has_text_frame}


def all_text(slide) -> str:
    return " ".join(slide_texts(slide).values())


def overflowing(slide) -> list[str]:
    """Text boxes whose text, wrapped with the export font at its size in the box's width,
    needs more height (or, unwrapped, more width) than the box has."""
    problems = []
    for shape in slide.shapes:
        if not shape.has_text_frame or not shape.text_frame.text:
            continue
        frame = shape.text_frame
        runs = [r for p in frame.paragraphs for r in p.runs]
        size = max(r.font.size.pt for r in runs)
        bold = any(r.font.bold for r in runs)
        width = Emu(shape.width).inches - 2 * BOX_INSET
        height = Emu(shape.height).inches
        text = frame.text
        one_line = sum(text_width(r.text, r.font.size.pt, bool(r.font.bold)) for r in runs)
        if frame.word_wrap is False or len({r.font.size.pt for r in runs}) > 1:
            # One line (a figure: value and label runs): the runs side by side must fit.
            if one_line > width + 0.01:
                problems.append(f"{shape.name}: {one_line:.2f} > {width:.2f} in")
            if size * PPT_LINE_SPACING / 72 + 2 * BOX_INSET > height + 0.01:
                problems.append(f"{shape.name}: a line is taller than the box")
            continue
        lines, _ = fit_text(text, width, size, bold=bold, max_lines=10_000, min_size=size)
        needed = len(lines) * size * PPT_LINE_SPACING / 72 + 2 * BOX_INSET
        if needed > height + 0.01:
            problems.append(f"{shape.name}: {len(lines)} lines need {needed:.2f} > {height:.2f}")
    return problems


# --- figures for what is shown ----------------------------------------------------------------


def test_a_region_export_has_the_regions_figures_not_the_worlds(demo, vocabulary):
    """The Sahel's page counts the programmes running there and the map's budgets there."""
    view = view_of(vocabulary, "mode=programmes&regions=sahel")
    scope = scope_for(demo, view)
    members = region_countries(demo, ["sahel"])
    assert members == demo.regions.countries("sahel") and "MLI" in members
    assert scope.kind == "regions" and scope.iso3s == members
    figures = scoped_figures(demo, view, scope)
    counts, budgets = country_totals(demo.filter_index, view.filters, demo.regions)
    assert figures.budget == pytest.approx(sum(budgets.get(i, 0.0) for i in members))
    mask = programme_mask(demo.filter_index, view.filters, demo.regions)
    pairs = demo.network.programme_countries
    running = pairs[pairs["country_iso3"].isin(members) & mask[pairs["row"].to_numpy()]]
    assert figures.programmes == running["row"].nunique()
    posts = demo.network.posts
    assert figures.posts == int(posts["country_iso3"].isin(members).sum())
    world = scoped_figures(demo, view_of(vocabulary, "mode=programmes"),
                           scope_for(demo, view_of(vocabulary, "mode=programmes")))
    assert figures.posts < world.posts
    # The slide prints those figures and says whose they are.
    slide = Presentation(io.BytesIO(render_pptx(demo, view, ExportOptions()))).slides[0]
    texts = slide_texts(slide)
    expected = f"{format_number(figures.programmes, 'fr')}\u00a0programmes"
    assert texts["Figure: programmes"] == expected
    assert texts["Scope"] == "Chiffres : Sahel"


def test_a_country_map_frames_the_country_with_its_figures(demo, vocabulary, tmp_path):
    """``atlas export --country MLI`` frames Mali and its neighbours with Mali's figures."""
    view = view_of(vocabulary, "mode=programmes&country=MLI")
    snapshot = compose(demo, view)
    assert not snapshot.frame.world
    x, y = label_point(demo, snapshot.frame, "MLI")
    xlim, ylim = snapshot.map_axes.get_xlim(), snapshot.map_axes.get_ylim()
    assert xlim[0] < x < xlim[1] and ylim[0] < y < ylim[1]
    for neighbour in ("SEN", "NER", "BFA"):
        nx, ny = label_point(demo, snapshot.frame, neighbour)
        assert xlim[0] < nx < xlim[1] and ylim[0] < ny < ylim[1]
    assert (xlim[1] - xlim[0]) < (frame_for(None).xlim[1] - frame_for(None).xlim[0]) / 5
    counts, budgets = country_totals(demo.filter_index, view.filters, demo.regions)
    assert snapshot.figures.programmes == counts["MLI"] == 7
    assert snapshot.figures.budget == pytest.approx(budgets["MLI"])
    out = tmp_path / "mali.pptx"
    assert export_command.main(["--format", "pptx", "--out", str(out), "--country", "MLI",
                                "--mode", "programmes"]) == 0
    texts = slide_texts(Presentation(str(out)).slides[0])
    assert texts["Figure: programmes"].startswith("7\u00a0")
    assert texts["Figure: budget"].startswith(format_money(budgets["MLI"], "fr"))


def test_an_extent_counts_the_countries_whose_label_point_lies_in_it(demo, vocabulary):
    view = view_of(vocabulary, "mode=programmes&lang=en")
    scope = scope_for(demo, view, (-20, 0, 30, 30))
    assert scope.kind == "extent"
    assert {"MLI", "SEN", "NER", "NGA"} <= scope.iso3s and "FRA" not in scope.iso3s
    assert scope.label == (f"Figures: the {len(scope.iso3s)} countries whose label point "
                           "lies in the map")
    world = scope_for(demo, view)
    assert world.world and world.label == "Figures: the world"


# --- texts never cut --------------------------------------------------------------------------


@pytest.mark.parametrize("size", ["16:9", "4:3", "a4"])
def test_a_long_title_wraps_then_shrinks_but_is_never_cut(demo, size):
    view = ViewState(mode="programmes")
    snapshot = compose(demo, view, size=size, title=LONG_TITLE)
    assert " ".join(snapshot.title_lines) == LONG_TITLE
    assert len(snapshot.title_lines) <= 3 and snapshot.title_size < 22
    drawn = [text.get_text() for text in snapshot.page.fig.texts]
    assert all(line in drawn for line in snapshot.title_lines)
    assert not any("…" in text for text in drawn)
    snapshot.page.fig.clear()
    slide = Presentation(io.BytesIO(render_pptx(demo, view, ExportOptions(
        size=size, title=LONG_TITLE, marking="DIFFUSION RESTREINTE",
        subtitle="Comité directeur du 3 décembre")))).slides[0]
    assert slide.shapes.title.text_frame.text == LONG_TITLE
    assert overflowing(slide) == []


def test_the_subtitle_lists_every_filter(demo, vocabulary):
    view = view_of(vocabulary, "mode=programmes&themes=drugs,terrorism&regions=africa"
                               "&beneficiaries=police&partners=EU&years=2020-2026&lang=en")
    slide = Presentation(io.BytesIO(render_pptx(demo, view, ExportOptions(size="4:3")))).slides[0]
    filters = slide_texts(slide)["Filters"]
    for item in describe.filter_lines(demo, view):
        assert item in filters
    assert "…" not in filters and overflowing(slide) == []


def test_figures_never_part_from_their_label(demo):
    """A figure's value and label share a one-line box wide enough for both."""
    slide = Presentation(io.BytesIO(render_pptx(demo, ViewState(mode="programmes"),
                                                ExportOptions(size="4:3")))).slides[0]
    figures = [s for s in slide.shapes if s.name.startswith("Figure: ")]
    assert len(figures) == 5
    for shape in figures:
        assert "\u00a0" in shape.text_frame.text
    assert overflowing(slide) == []


# --- native slides ----------------------------------------------------------------------------


def test_the_legend_is_native_shapes_and_texts(demo, vocabulary):
    view = view_of(vocabulary, "mode=programmes&themes=drugs")
    slide = Presentation(io.BytesIO(render_pptx(demo, view, ExportOptions()))).slides[0]
    names = [shape.name for shape in slide.shapes]
    for legend in map_view(demo, view).legends:
        for entry in legend.entries:
            assert f"Legend: {entry.label}" in names
            assert f"Legend swatch: {entry.label}" in names
    pictures = [s for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == 1
    description = pictures[0]._element.nvPicPr.cNvPr.get("descr")
    assert "Programmes" in description and "Trafic de stupéfiants" in description


def test_the_vector_map_has_one_named_shape_per_country_of_the_extent(demo, vocabulary):
    view = view_of(vocabulary, "mode=programmes&country=SEN&lang=en")
    slide = Presentation(io.BytesIO(render_pptx(demo, view, ExportOptions(
        vector_map=True)))).slides[0]
    assert not [s for s in slide.shapes if s.shape_type == 13]  # no picture
    countries = [s for s in slide.shapes if re.fullmatch(r".+ \([A-Z]{3}\)", s.name)]
    names = [s.name for s in countries]
    assert len(names) == len(set(names))
    assert {"Senegal (SEN)", "The Gambia (GMB)", "Mali (MLI)"} <= set(names)
    assert "France (FRA)" not in names and len(names) < 40
    assert all(s.shape_type == 5 for s in countries)  # freeform


def test_pdfs_carry_their_title_and_language(demo):
    snapshot = compose(demo, ViewState(mode="programmes", lang="en"), title="Sahel briefing")
    content = pdf_bytes(snapshot.page, snapshot.title, "en")
    assert b"/Lang (en-GB)" in content and b"/DisplayDocTitle true" in content
    assert b"(Sahel briefing)" in content
    # The incremental update's cross-reference points at the new catalogue.
    xref = re.findall(rb"xref\n(\d+) 1\n(\d{10}) 00000 n", content)[-1]
    assert content[int(xref[1]):].startswith(xref[0] + b" 0 obj")
    assert int(re.findall(rb"startxref\n(\d+)", content)[-1]) == content.rindex(b"\nxref\n") + 1


def test_every_page_names_its_view_date_source_and_marking(demo, vocabulary, monkeypatch):
    view = view_of(vocabulary, "mode=programmes&regions=africa")
    slide = Presentation(io.BytesIO(render_pptx(demo, view, ExportOptions(
        marking="DIFFUSION RESTREINTE", public_url="https://atlas.example/",
        notes="Ouvrir par le Sahel.")))).slides[0]
    texts = slide_texts(slide)
    assert texts["Marking (top)"] == texts["Marking (bottom)"] == "DIFFUSION RESTREINTE"
    assert texts["Footer"].startswith("Données au 23 novembre 2026 · Sources")
    assert "Données de démonstration" in texts["Demonstration notice"]
    notes = slide.notes_slide.notes_text_frame.text
    assert notes.startswith("Notes : Ouvrir par le Sahel.")
    assert "https://atlas.example/?mode=programmes&regions=africa" in notes
    pdf = compose(demo, view, url="https://atlas.example/?mode=programmes&regions=africa")
    content = pdf_bytes(pdf.page, pdf.title)
    assert b"/URI (https://atlas.example/?mode=programmes&regions=africa)" in content


# --- briefs -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_country_brief_says_what_the_panel_says(demo, vocabulary, lang):
    view = view_of(vocabulary, f"mode=programmes&country=SEN&lang={lang}")
    panel = country_panel_data(demo, view, "SEN")
    slide = Presentation(io.BytesIO(render_brief(demo, view, ExportOptions(), "pptx"))).slides[0]
    texts = slide_texts(slide)
    assert panel.place.name in slide.shapes.title.text_frame.text
    assert texts["Post 1"].startswith(panel.post.city)
    assert texts["Figure: programmes"].startswith(
        format_number(panel.programmes.count, lang) + "\u00a0")
    layout = layout_brief(demo, view)
    assert layout.programmes == panel.programmes.count == 11
    listed = [name for name in texts if re.fullmatch(r"Programme \d+", name)]
    assert len(listed) == layout.listed > 0
    more = texts.get("More programmes", "")
    hidden = panel.programmes.count - layout.listed
    assert (str(hidden) in more) if hidden else more == ""
    assert overflowing(slide) == []
    # Most important first: the listed budgets never grow down the list.
    budgets = [row.budget or 0 for row in sorted(panel.programmes.rows,
                                                 key=lambda r: -(r.budget or 0))]
    assert budgets[0] == max(budgets)


def test_a_post_brief_names_the_post_and_every_country_it_covers(demo, vocabulary):
    view = view_of(vocabulary, "mode=programmes&post=SSI-DAKAR&lang=en")
    panel = post_panel_data(demo, view, "SSI-DAKAR")
    content = render_brief(demo, view, ExportOptions(size="4:3"), "pptx")
    slide = Presentation(io.BytesIO(content)).slides[0]
    text = all_text(slide)
    assert "Dakar" in slide.shapes.title.text_frame.text
    for country in panel.countries:
        assert country.place.name in text
    assert slide_texts(slide)["Figure: programmes"].startswith(
        f"{panel.programmes.count}\u00a0")
    assert overflowing(slide) == []
    assert render_brief(demo, view, ExportOptions(size="a4"), "pdf").startswith(b"%PDF")


def test_the_brief_command(tmp_path, capsys):
    assert export_command.main(["--country", "MLI", "--brief", "--format", "pptx,pdf",
                                "--out", f"{tmp_path}/", "--mode", "programmes"]) == 0
    written = sorted(capsys.readouterr().out.split())
    assert [Path(p).name for p in written] == ["mali-fiche-pays-2026-11-23.pdf",
                                               "mali-fiche-pays-2026-11-23.pptx"]
    assert export_command.main(["--brief", "--format", "pptx", "--out",
                                str(tmp_path / "x.pptx")]) == 2
    assert "--brief needs --country" in capsys.readouterr().err


# --- packs ------------------------------------------------------------------------------------

SPEC_YAML = """
title: Sahel — stupéfiants
pages:
  - view: "mode=programmes"
    title: "Le réseau dans le monde"
    notes: "Commencer par le monde."
  - view: "mode=programmes&regions=africa"
    title: "Afrique"
    subtitle: "Programmes en cours"
  - view: "mode=programmes"
    bbox: "-20,0,30,30"
    title: "Afrique de l'Ouest"
  - view: "mode=programmes&country=MLI"
    brief: true
  - view: "post=SSI-DAKAR"
    brief: true
"""

SPEC_TOML = """
title = "Deux pages"
[[pages]]
view = "mode=coverage"
title = "Couverture"
[[pages]]
view = "country=NER"
brief = true
"""


@pytest.fixture(scope="module")
def packs(demo, tmp_path_factory):
    """The spec'd pack as PPTX in every size and language, and as PDF."""
    folder = tmp_path_factory.mktemp("packs")
    spec = folder / "pack.yaml"
    spec.write_text(SPEC_YAML, encoding="utf-8")
    pages = read_spec(spec).pages
    files = {}
    for size, lang in (("16:9", "fr"), ("4:3", "en"), ("a4", "fr")):
        path = folder / f"pack-{size.replace(':', 'x')}-{lang}.pptx"
        path.write_bytes(build_deck(demo, pages, "pptx", DeckOptions(
            size=size, lang=lang, marking="DIFFUSION RESTREINTE")))
        files[(size, lang)] = path
    pdf = folder / "pack.pdf"
    pdf.write_bytes(build_deck(demo, pages, "pdf", DeckOptions(lang="en")))
    return files, pdf, pages


def test_a_spec_pack_has_one_slide_per_page_with_its_title(packs):
    files, _, _ = packs
    for (size, lang), path in files.items():
        slides = Presentation(str(path)).slides
        assert len(slides) == 5
        titles = [slide.shapes.title.text_frame.text for slide in slides]
        assert titles[:3] == ["Le réseau dans le monde", "Afrique", "Afrique de l'Ouest"]
        assert titles[3] == ("Mali : fiche pays" if lang == "fr" else "Mali: country brief")
        assert "Dakar" in titles[4]
        for slide in slides:
            assert overflowing(slide) == [], (size, lang)
            texts = slide_texts(slide)
            assert texts.get("Marking (top)") == "DIFFUSION RESTREINTE"


def test_a_spec_pack_as_pdf_has_one_page_per_page(packs):
    _, pdf, _ = packs
    content = pdf.read_bytes()
    assert len(re.findall(rb"/Type\s*/Page(?!s)\b", content)) == 5
    assert b"/Lang (en-GB)" in content and b"/Title" in content


def test_libreoffice_opens_every_pack(packs, tmp_path):
    """One soffice call converts every PPTX of the tests; each keeps its five pages."""
    files, _, _ = packs
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, files.values())],
        check=True, capture_output=True, timeout=300,
    )
    for path in files.values():
        converted = (tmp_path / path.with_suffix(".pdf").name).read_bytes()
        assert len(re.findall(rb"/Type\s*/Page(?!s)\b", converted)) == 5


def test_toml_specs_and_located_errors(tmp_path, demo):
    spec = tmp_path / "pack.toml"
    spec.write_text(SPEC_TOML, encoding="utf-8")
    pages = read_spec(spec).pages
    assert [p.title for p in pages] == ["Couverture", None] and pages[1].brief
    with pytest.raises(SpecError, match=r"pack.yaml: pages\[2\]: unknown key\(s\) 'titel'"):
        parse_spec({"pages": [{"view": ""}, {"titel": "x"}]}, "pack.yaml")
    with pytest.raises(SpecError, match=r"pages\[1\]: bbox"):
        parse_spec({"pages": [{"bbox": "1,2,3"}]})
    with pytest.raises(SpecError, match="brief page needs country"):
        build_deck(demo, [PageSpec(view="mode=programmes", brief=True)], "pptx", DeckOptions())
    bad = tmp_path / "pack.json"
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(SpecError, match="yaml, .yml or .toml"):
        read_spec(bad)


def test_the_deck_command_with_presets(tmp_path, capsys, demo):
    assert cli_main(["deck"] + ["--preset", "regions", "--out", str(tmp_path / "r.pdf"),
                              "--mode", "programmes", "--themes", "drugs"]) == 0
    regions = len(Vocabulary.of(demo).allowed("regions"))
    content = (tmp_path / "r.pdf").read_bytes()
    assert len(re.findall(rb"/Type\s*/Page(?!s)\b", content)) == 1 + regions
    assert cli_main(["deck"] + ["--preset", "countries", "--regions", "africa", "--out",
                              f"{tmp_path}/", "--mode", "programmes", "--themes", "drugs",
                              "--title", "Afrique — stupéfiants"]) == 0
    out = capsys.readouterr().out
    path = tmp_path / "afrique-stupefiants-2026-11-23.pptx"
    assert str(path) in out
    view = parse_query("mode=programmes&themes=drugs&regions=africa", Vocabulary.of(demo))
    counts, _ = country_totals(demo.filter_index, view.filters, demo.regions)
    members = region_countries(demo, ["africa"])
    expected = [i for i in counts if i in members]
    slides = Presentation(str(path)).slides
    assert len(slides) == len(expected)
    assert all("fiche pays" in s.shapes.title.text_frame.text for s in slides)
    assert cli_main(["deck"] + ["--preset", "regions", "--out", str(tmp_path / "x.docx")]) == 2
    assert cli_main(["deck"] + ["--spec", str(tmp_path / "missing.yaml"), "--out",
                              str(tmp_path / "x.pptx")]) == 2
    assert "cannot read the spec" in capsys.readouterr().err


# --- the dialog's requests ------------------------------------------------------------------


def test_the_dialog_pack_holds_the_view_its_regions_and_a_brief_per_country(demo, vocabulary):
    from dashboard.callbacks.export import export_request

    view = view_of(vocabulary, "mode=programmes&themes=drugs&regions=africa")
    content, name, pages = export_request(demo, view, "pptx", what="pack", extent="regions",
                                          title="Afrique — stupéfiants", subtitle="Comité",
                                          include=["legend", "kpis", "filters"])
    assert name == "afrique-stupefiants-2026-11-23.pptx"
    slides = Presentation(io.BytesIO(content)).slides
    counts, _ = country_totals(demo.filter_index, view.filters, demo.regions)
    members = region_countries(demo, ["africa"])
    briefs = [i for i in counts if i in members]
    assert len(slides) == pages == 2 + len(briefs)
    assert slides[0].shapes.title.text_frame.text == "Afrique — stupéfiants"
    assert slide_texts(slides[0])["Subtitle"] == "Comité"
    assert all("fiche pays" in s.shapes.title.text_frame.text for s in list(slides)[2:])


def test_the_dialog_extent_and_labels_options(demo, vocabulary):
    from dashboard.callbacks.export import dialog_view, extent_bbox, preview_src

    view = view_of(vocabulary, "mode=programmes&country=MLI")
    assert extent_bbox("world", [[0, 0], [10, 10]]) == (-180.0, -90.0, 180.0, 90.0)
    assert extent_bbox("view", [[4, -18], [26, 16]]) == (-18.0, 4.0, 16.0, 26.0)
    assert extent_bbox("regions", [[4, -18], [26, 16]]) is None
    assert "labels" not in dialog_view(view, []).layers
    assert dialog_view(view, ["labels"]) is view
    world = compose(demo, view, bbox=extent_bbox("world", None))
    assert world.frame.world and world.scope.kind == "country"
    assert preview_src(demo, view, size="a4").startswith("data:image/png;base64,")


def test_the_vector_map_names_the_countries_it_can(demo, vocabulary):
    view = view_of(vocabulary, "mode=programmes&country=MLI")
    slide = Presentation(io.BytesIO(render_pptx(demo, view, ExportOptions(
        vector_map=True)))).slides[0]
    labels = {s.text_frame.text for s in slide.shapes if s.name.startswith("Label: ")}
    assert {"Mali", "Niger"} <= labels
    off = view_of(vocabulary, "mode=programmes&country=MLI&layers=posts")
    slide = Presentation(io.BytesIO(render_pptx(demo, off, ExportOptions(
        vector_map=True)))).slides[0]
    labels = {s.text_frame.text for s in slide.shapes if s.name.startswith("Label: ")}
    assert labels == {"Mali"} and off.country == "MLI"  # names off: the selected one stays
    assert overflowing(slide) == []
