"""The changes mode (``mode=changes&since=...``): countries coloured by what happened in the
period, the changes in words, the baselines offered (the demo's earlier snapshot), and the
export of it."""

from __future__ import annotations

import io
import subprocess
from dataclasses import replace
from datetime import date

import pytest
from pptx import Presentation

from cli import main as cli_main
from cli.commands import export as export_command
from dashboard.settings import DEMO_DATA_DIR, Settings
from dataversions.baselines import DEMO_PREVIOUS, Baselines
from dataversions.versions import DataVersions
from exports import describe, powerpoint
from exports.changelist import ChangeList, fit_changes, fitted_height
from exports.deck import DeckOptions, PageSpec, build_deck
from exports.page import text_width, wrap_text
from exports.powerpoint import render_pptx
from exports.snapshot import render_snapshot
from geodata.countries import load_countries
from geodata.diff import changelog, network_diff
from geodata.i18n import count_text
from geodata.loading import load_network
from layers import changes as changes_layer
from layers import palette
from tests.network_builders import dated_network, newer_network
from viewmodel.changes import Baseline, change_lines, period_changes
from viewmodel.data import build_atlas_data
from viewmodel.mapview import map_view
from viewmodel.urlstate import Vocabulary, parse_query, to_query


class Source:
    """A baseline source holding the hand-built earlier network (the dated one, 30 June 2025)."""

    def __init__(self):
        self.old = dated_network()

    def options(self, lang):
        return [("juin", "Comité de juin")]

    def baseline(self, key):
        if key != "juin":
            return None
        return Baseline("juin", "Comité de juin", "June committee", self.old.data_date, self.old)


@pytest.fixture(scope="module")
def data():
    """The newer network (31 October 2025) served."""
    return build_atlas_data(newer_network(), load_countries())


@pytest.fixture(scope="module")
def vocabulary(data):
    return Vocabulary.of(data)


def view_on(vocabulary, query):
    return parse_query(query, vocabulary)


def test_the_url_carries_the_mode_and_its_baseline(vocabulary):
    view = view_on(vocabulary, "?mode=changes&since=Comit%C3%A9%20du%2015%20juin")
    assert (view.mode, view.since) == ("changes", "Comité du 15 juin")
    assert to_query(view) == "?mode=changes&since=Comit%C3%A9+du+15+juin"
    assert view_on(vocabulary, "?since=" + "x" * 500).since == "x" * 80


def test_between_versions_coverage_and_programmes_colour_the_countries(data, vocabulary):
    """From 30 June to 31 October 2025: Nigeria covered since (gained), Gambia no longer
    (lost), Niger now from Abuja (moved); Mali: P6 ended on 30 June, its last day, so it ended
    in the period (fewer)."""
    view = view_on(vocabulary, "?mode=changes&since=juin")
    result = map_view(data, view, Source())
    hideout = result.countries_hideout
    fills = {iso3: hideout["fill_colors"][index] for iso3, index in hideout["classes"].items()}
    assert fills["NGA"] == palette.CHANGES["gained"]
    assert fills["GMB"] == palette.CHANGES["lost"]
    assert fills["NER"] == palette.CHANGES["moved"]
    assert fills["MLI"] == palette.CHANGES["fewer"]
    assert "SEN" not in fills  # nothing started or ended there
    assert result.changes_title == "Changements depuis : Comité de juin"
    legend = result.legends[0]
    assert legend.title == "Changements depuis : Comité de juin"
    assert [entry.label for entry in legend.entries][:4] == [
        "Couverture gagnée", "Couverture perdue", "Couverture depuis un autre poste",
        "Plus de programmes terminés ou retirés"]


def test_the_changes_in_words(data, vocabulary):
    changes = period_changes(data, view_on(vocabulary, "?mode=changes"), Source().baseline("juin"))
    lines = change_lines(data, changes, "fr")
    assert ("Niger : couverture désormais depuis Abuja (auparavant Niamey), "
            "poste fermé à Niamey") in lines
    assert ("Gambie : 1 programme retiré des données, "
            "n'est plus couvert (l'était depuis Dakar)") in lines
    assert "Mali : 1 programme terminé" in lines
    assert lines[0].startswith(("Gambie", "Niger", "Nigeria"))  # coverage changes first
    english = change_lines(data, changes, "en")
    assert "Niger: coverage now from Abuja (was Niamey), post closed in Niamey" in english


def test_a_date_baseline_counts_programmes_only(data, vocabulary):
    """Since 31 December 2024: P6 (MLI, 1 January to 30 June 2025) started and ended, the
    others neither; no coverage change (a date tells nothing about it)."""
    view = view_on(vocabulary, "?mode=changes&since=2024-12-31&lang=en")
    result = map_view(data, view, None)
    assert result.changes_title == "Changes since 31 December 2024"
    assert result.change_lines == ("Mali: 1 programme started, 1 programme ended",)
    classes = result.countries_hideout["classes"]
    assert result.countries_hideout["fill_colors"][classes["MLI"]] == palette.CHANGES["even"]
    # As of 2025-06-30, its last day, P6 has started but not ended yet.
    earlier = map_view(data, view_on(vocabulary, "?mode=changes&since=2024-12-31&asof=2025-06-30"))
    assert earlier.change_lines == ("Mali : 1 programme commencé",)


def test_the_theme_filter_applies_but_not_the_status(data, vocabulary):
    base = "?mode=changes&since=2024-12-31&status=planned"
    assert map_view(data, view_on(vocabulary, base + "&themes=drugs")).change_lines == (
        "Mali : 1 programme commencé, 1 programme terminé",)
    assert map_view(data, view_on(vocabulary, base + "&themes=terrorism")).change_lines == (
        "Aucun changement sur la période.",)


def test_without_a_baseline_the_mode_says_to_choose_one(data, vocabulary):
    result = map_view(data, view_on(vocabulary, "?mode=changes&since=unknown"), Source())
    assert result.changes_title == "Changements : choisir « Changements depuis » dans les filtres"
    assert result.countries_hideout["classes"] == {"FRA": len(changes_layer.CATEGORIES)}


def test_the_demo_offers_its_earlier_snapshot():
    """``atlas run`` on the demo (no data root) offers ``demo-previous`` for ``since``."""
    settings = Settings.load(data_dir=DEMO_DATA_DIR)
    countries = load_countries()
    source = Baselines(DataVersions(settings), countries, demo=True)
    assert source.options("fr") == [(DEMO_PREVIOUS, "Démo du 15 juin 2026")]
    assert source.options("en") == [(DEMO_PREVIOUS, "Demo of 15 June 2026")]
    baseline = source.baseline(DEMO_PREVIOUS)
    assert baseline.day == date(2026, 6, 15) and source.baseline(DEMO_PREVIOUS) is baseline
    assert Baselines(DataVersions(settings), countries, demo=False).options("fr") == []
    data = build_atlas_data(load_network(DEMO_DATA_DIR, countries), countries)
    vocabulary = Vocabulary.of(data)
    result = map_view(data, view_on(vocabulary, "?mode=changes&since=demo-previous"), source)
    assert "Cap-Vert" in result.change_lines[0] or "Cap-Vert" in " ".join(result.change_lines)
    assert any(line.startswith("Guinée-Bissau : ") and "depuis Dakar (auparavant Conakry)"
               in line for line in result.change_lines)


def test_atlas_export_of_the_changes(tmp_path, capsys):
    assert export_command.main(["--format", "svg", "--mode", "changes", "--since",
                                "demo-previous", "--lang", "en",
                                "--out", str(tmp_path / "changes.svg")]) == 0
    text = (tmp_path / "changes.svg").read_text(encoding="utf-8")
    assert "Changes since: demo of 15 June 2026" in text
    assert "Coverage gained" in text and "Status" not in text


def test_the_default_title_names_the_period(data, vocabulary):
    view = view_on(vocabulary, "?mode=changes&since=2024-12-31&lang=en")
    assert describe.default_title(data, view) == "Changes since 31 December 2024"


# --- the changes export page: the changes in words, fitted ------------------------------------


@pytest.fixture(scope="module")
def served(data):
    """The newer network served with the June committee as a baseline."""
    return replace(data, baselines=Source())


def _slide_texts(content: bytes) -> tuple[list[str], dict[str, str]]:
    slide = Presentation(io.BytesIO(content)).slides[0]
    changes = [shape.text_frame.text for shape in slide.shapes
               if shape.name.startswith("Change: ")]
    named = {shape.name: shape.text_frame.text for shape in slide.shapes if shape.has_text_frame}
    return changes, named


def test_the_changes_slide_lists_the_panel_s_words(served, vocabulary):
    """The PowerPoint page of ``mode=changes&since=juin`` lists the four countries that
    changed, coverage changes first, in the panel's words and plurals, in both languages."""
    for lang, expected in (
        ("fr", ["Gambie : 1 programme retiré des données, n'est plus couvert "
                "(l'était depuis Dakar)",
                "Niger : couverture désormais depuis Abuja (auparavant Niamey), "
                "poste fermé à Niamey",
                "Nigeria : désormais couvert depuis Abuja, poste ouvert à Abuja",
                "Mali : 1 programme terminé"]),
        ("en", ["The Gambia: 1 programme removed from the data, no longer covered "
                "(was from Dakar)",
                "Niger: coverage now from Abuja (was Niamey), post closed in Niamey",
                "Nigeria: now covered from Abuja, post opened in Abuja",
                "Mali: 1 programme ended"]),
    ):
        view = view_on(vocabulary, f"?mode=changes&since=juin&lang={lang}")
        panel = map_view(served, view, Source()).change_lines
        changes, named = _slide_texts(render_pptx(served, view))
        assert changes == expected == list(panel)
        assert named["Changes heading"] == {"fr": "Ce qui a changé", "en": "What changed"}[lang]
        assert not any(name.startswith("Changes left out") for name in named)
        assert not any(name.startswith("Figure: ") for name in named)  # the list replaces them


def test_the_changes_pdf_holds_the_same_words(served, vocabulary, tmp_path):
    view = view_on(vocabulary, "?mode=changes&since=juin&lang=en")
    (tmp_path / "changes.pdf").write_bytes(render_snapshot(served, view, fmt="pdf"))
    text = subprocess.run(["pdftotext", "-raw", str(tmp_path / "changes.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    words = " ".join(text.split())
    assert "What changed" in words
    for line in map_view(served, view, Source()).change_lines:
        assert line in words
    assert "other countr" not in words


def test_a_country_page_lists_that_country_s_changes_only(served, vocabulary):
    view = view_on(vocabulary, "?mode=changes&since=juin&country=MLI")
    changes, _ = _slide_texts(render_pptx(served, view))
    assert changes == ["Mali : 1 programme terminé"]


def _many(count: int, lang: str) -> ChangeList:
    texts = tuple(f"Pays {index} : {count_text('changes.started', index, lang)}, "
                  f"{count_text('changes.ended', 1, lang)}" for index in range(1, count + 1))
    return ChangeList(heading="Ce qui a changé", texts=texts, colours=("#000000",) * count,
                      lang=lang)


@pytest.mark.parametrize(("lang", "more"), [("fr", "… et {n} autres pays"),
                                            ("en", "… and {n} other countries")])
def test_a_long_list_ends_with_the_count_of_the_countries_left_out(lang, more):
    """60 countries in a 3-inch column 4 inches tall: the first shown whole, the rest counted
    on a last line; every line fits the width as the export font measures it."""
    fitted = fit_changes(_many(60, lang), 3.0, 4.0, sizes=(10.5, 8.5), line_spacing=1.22,
                         gap=0.07, wrap=wrap_text)
    assert 0 < fitted.shown < 60 and fitted.shown + fitted.left_out == 60
    assert fitted.size == 8.5  # the smaller size shows more
    assert " ".join(fitted.more) == more.format(n=fitted.left_out)
    assert fitted_height(fitted, line_spacing=1.22, gap=0.07) <= 4.0
    for entry, text in zip(fitted.entries, _many(60, lang).texts, strict=False):
        assert " ".join(entry) == text  # whole, in order, never cut
        assert all(text_width(line, fitted.size) <= 3.0 for line in entry)
    one = fit_changes(_many(1, lang), 3.0, 4.0, sizes=(10.5, 8.5), line_spacing=1.22,
                      gap=0.07, wrap=wrap_text)
    assert (one.shown, one.left_out, one.more, one.size) == (1, 0, (), 10.5)


def test_the_slide_counts_what_does_not_fit(served, vocabulary, monkeypatch):
    """At a size leaving room for some countries only, the slide shows the first ones and counts
    the others ("… et 2 autres pays")."""
    monkeypatch.setattr(powerpoint, "CHANGES_SIZES", (30.0,))
    view = view_on(vocabulary, "?mode=changes&since=juin")
    changes, named = _slide_texts(render_pptx(served, view, size="4:3"))
    assert 0 < len(changes) < 4
    left_out = [text for name, text in named.items() if name.startswith("Changes left out")]
    assert left_out == [count_text("changes.others", 4 - len(changes), "fr")]


def test_the_panel_and_atlas_data_diff_say_it_in_the_same_words(data, vocabulary):
    """Every coverage and post change of the changelog reads as in the panel's line for its
    country (the country, then the same phrase), in both languages."""
    old = Source().old
    diff = network_diff(old, data.network)
    for lang in ("fr", "en"):
        view = view_on(vocabulary, f"?mode=changes&since=juin&lang={lang}")
        panel = map_view(data, view, Source()).change_lines
        text = changelog(diff, old, data.network, lang, old_label="juin", new_label="octobre",
                         names=data.name)
        changed = [line[4:] for line in text.splitlines()
                   if line.startswith(("  + ", "  − ", "  → "))
                   and not line.startswith(("  + Nouveau", "  − Programme", "  + New",
                                            "  − Programme removed"))]
        assert len(changed) == 5  # NGA gained, GMB lost, NER moved, Abuja opened, Niamey closed
        for line in changed:
            country, _, words = line.partition(" : " if lang == "fr" else ": ")
            words = words.split(" (SSI-")[0]  # the changelog adds the post's id
            assert any(entry.startswith(country) and words in entry for entry in panel), line


def test_a_pack_dates_each_page_and_lists_the_changes(served, vocabulary, tmp_path):
    """A pack's pages each on their own as-of date (the figures and footer of 2019 on the
    first) and a changes page listing the changes in words, in PowerPoint and in PDF."""
    pages = (PageSpec(view="?mode=programmes&asof=2019-06-30"),
             PageSpec(view="?mode=changes&since=juin"))
    slides = Presentation(io.BytesIO(build_deck(served, pages, "pptx", DeckOptions()))).slides
    texts = {shape.name: shape.text_frame.text for shape in slides[0].shapes
             if shape.has_text_frame}
    assert texts["Footer"].startswith("Situation au 30 juin 2019 · Données au 31 octobre 2025")
    on_2019 = map_view(served, view_on(vocabulary, "?mode=programmes&asof=2019-06-30"))
    assert texts["Figure: programmes"].startswith(on_2019.kpi_texts[3])
    assert on_2019.kpi_texts[3] != map_view(served, view_on(
        vocabulary, "?mode=programmes")).kpi_texts[3]
    changes = [shape.text_frame.text for shape in slides[1].shapes
               if shape.name.startswith("Change: ")]
    assert changes == list(map_view(served, view_on(vocabulary, "?mode=changes&since=juin"),
                                    Source()).change_lines)
    (tmp_path / "pack.pdf").write_bytes(build_deck(served, pages, "pdf", DeckOptions()))
    text = " ".join(subprocess.run(["pdftotext", "-raw", str(tmp_path / "pack.pdf"), "-"],
                                   capture_output=True, text=True, check=True).stdout.split())
    assert "Situation au 30 juin 2019" in text and "Ce qui a changé" in text
    assert "Mali : 1 programme terminé" in text


def test_atlas_deck_finds_the_demo_s_earlier_snapshot(tmp_path):
    """``atlas deck`` on the demo: a changes page against demo-previous lists the changes
    (it used to say "choose a baseline")."""
    spec = tmp_path / "pack.yaml"
    spec.write_text('pages:\n  - view: "?mode=changes&since=demo-previous&lang=en"\n',
                    encoding="utf-8")
    assert cli_main(["deck", "--spec", str(spec), "--out", str(tmp_path / "pack.pptx")]) == 0
    slide = Presentation(str(tmp_path / "pack.pptx")).slides[0]
    assert slide.shapes.title.text_frame.text == "Changes since: demo of 15 June 2026"
    assert [shape.text_frame.text for shape in slide.shapes
            if shape.name.startswith("Change: ")][:2] == [
        "Cape Verde: 1 programme started, 2 programmes removed from the data, "
        "now covered from Dakar",
        "Guinea-Bissau: 1 programme started, 1 programme removed from the data, "
        "coverage now from Dakar (was Conakry)"]


def test_a_programme_removed_counts_with_the_ended():
    """A country whose only change is a programme removed from the data is coloured as one
    where more programmes ended (it was "as many started as ended": none of either)."""
    from viewmodel.changes import CountryChange

    assert CountryChange("TGO", removed=2).category == "fewer"
    assert CountryChange("NER", started=1, ended=1).category == "even"
    assert CountryChange("SEN", started=6, removed=2).category == "more"
    assert CountryChange("GHA", started=1, removed=2).category == "fewer"
