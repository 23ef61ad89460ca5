"""The filter registry: one declaration per filter, read by the URL codec, the layout, the CLI
and the exports' words; the partners filter proves that a new filter is one declaration."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from cli.commands import export as export_command
from dashboard import ids
from dashboard.layout import filter_column
from dashboard.settings import DEMO_DATA_DIR
from exports import describe
from geodata.countries import load_countries
from geodata.filters import FilterIndex, matching_programmes
from geodata.i18n import all_texts
from geodata.loading import load_network
from geodata.network import LIST_COLUMNS
from geodata.validate import SPECS
from viewmodel.data import build_atlas_data
from viewmodel.filters import FILTER_KEYS, FILTERS, filter_state
from viewmodel.urlstate import CONTROL_KEYS, Vocabulary, parse_query


@pytest.fixture(scope="module")
def demo():
    countries = load_countries()
    return build_atlas_data(load_network(DEMO_DATA_DIR, countries), countries)


def _demo_programmes() -> pd.DataFrame:
    return pd.read_csv(DEMO_DATA_DIR / "programmes.csv", dtype=str, keep_default_na=False)


def test_every_filter_has_its_label_in_both_languages():
    for spec in FILTERS:
        assert all_texts("fr")[spec.label] and all_texts("en")[spec.label], spec.key
    assert FILTER_KEYS == ("themes", "types", "asof", "status", "regions", "years", "beneficiaries",
                           "partners")


def test_every_filter_tests_a_programmes_column_of_the_data_model():
    """Each declaration names a column the validator knows, with a match fit for it."""
    for spec in FILTERS:
        assert spec.column in SPECS["programmes"], spec.key
        if spec.match == "any":
            assert spec.column in LIST_COLUMNS
    assert set(LIST_COLUMNS) == {column for column, column_spec in SPECS["programmes"].items()
                                 if column_spec.is_list}


def test_unknown_filter_names_are_refused():
    with pytest.raises(KeyError, match="colour"):
        filter_state(colour=("red",))


def test_the_filter_column_follows_the_registry(demo):
    """The page's controls are the display controls then every filter, in registry order."""
    column = filter_column(demo, "fr")
    controls = [child.children[1] for child in column.children
                if getattr(child, "className", "") == "field"]
    # A control in a wrapper of its own (the as-of date's) is the wrapper's one child.
    found = [getattr(control, "id", None) or control.children.id for control in controls]
    assert found == [ids.control(key) for key in CONTROL_KEYS]
    labels = [child.children[0].children for child in column.children
              if getattr(child, "className", "") == "field"]
    assert "Partenaires et financeurs" in labels


def test_partners_filter_matches_any_named_partner(demo):
    programmes = _demo_programmes()
    partners = programmes["partners"].str.split("|")
    expected = programmes[partners.map(lambda names: bool({"EU", "Frontex"} & set(names)))]
    state = filter_state(partners=("EU", "Frontex"), status=())
    found = matching_programmes(FilterIndex(demo.network), state)
    assert sorted(found["programme_id"]) == sorted(expected["programme_id"])


def test_partners_in_an_exports_words(demo):
    view = parse_query("?mode=programmes&partners=EU,Interpol&lang=en", Vocabulary.of(demo))
    assert describe.filters_text(demo, view) == (
        "Show: Programmes (count) · Status: Active · Partners and funders: EU, Interpol")


def test_partners_on_the_command_line(tmp_path, capsys):
    """``atlas export --partners`` keeps the programmes with one of those partners; an unknown
    partner is refused with the accepted names."""
    out = tmp_path / "eu.csv"
    assert export_command.main(["--format", "csv", "--out", str(out), "--status", "all",
                                "--partners", "EU"]) == 0
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig")), delimiter=";"))
    programmes = _demo_programmes()
    with_eu = programmes["partners"].str.split("|").map(lambda names: "EU" in names)
    assert len(rows) - 1 == int(with_eu.sum())
    capsys.readouterr()
    code = export_command.main(["--format", "csv", "--out", str(tmp_path / "x.csv"),
                                "--partners", "EU,Atlantis"])
    err = capsys.readouterr().err
    assert code == 2 and "unknown partners Atlantis" in err and "Interpol" in err
    assert not (tmp_path / "x.csv").exists()
    assert "--partners" in export_command_help()


def export_command_help() -> str:
    import argparse

    parser = argparse.ArgumentParser(prog="atlas")
    export_command.add_parser(parser.add_subparsers(dest="command"))
    return parser._subparsers._group_actions[0].choices["export"].format_help()
