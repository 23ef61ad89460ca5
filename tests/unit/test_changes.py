"""The changes mode (``mode=changes&since=...``): countries coloured by what happened in the
period, the changes in words, the baselines offered (the demo's earlier snapshot), and the
export of it."""

from __future__ import annotations

from datetime import date

import pytest

from cli.commands import export as export_command
from dashboard.settings import DEMO_DATA_DIR, Settings
from dataversions.baselines import DEMO_PREVIOUS, Baselines
from dataversions.versions import DataVersions
from exports import describe
from geodata.countries import load_countries
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
        "Plus de programmes terminés"]


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
