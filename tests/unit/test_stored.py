"""The stored form of a validated network (geodata/stored.py): the same frames as the validated
load, read without validating again, never trusted when it does not match its digest or its
source, and published versions served and restored through it."""

from __future__ import annotations

import logging
from datetime import date

import pandas as pd
import pytest

from dashboard.settings import DEMO_DATA_DIR, Settings
from dataversions import versions
from dataversions.versions import DataVersions
from exports.tables import programmes_table
from geodata import stored
from geodata.countries import load_countries
from geodata.diff import changelog, network_diff
from geodata.loading import DEMO_PREVIOUS_DIR, load_network
from geodata.network import NetworkInvalid
from geodata.stored import NetworkStore, network_bytes, network_from_bytes, source_key
from geodata.texts import CompactTextDtype
from tests.unit.serving import copy_demo
from viewmodel.data import build_atlas_data
from viewmodel.panels import country_panel_data
from viewmodel.urlstate import ViewState

TODAY = date(2025, 6, 1)
FRAMES = ("posts", "coverage", "programmes", "themes", "regions", "programme_countries",
          "programme_themes", "programme_beneficiaries")


def assert_same_network(read, validated) -> None:
    """Every frame equal (values, dtypes, columns, row order), and the date and warnings; the
    compact text columns of a stored read (the titles) hold the same texts, read as ``str``."""
    for name in FRAMES:
        expected, found = getattr(validated, name), getattr(read, name)
        if expected is None:
            assert found is None, name
            continue
        for column in stored.COMPACT.get(name, ()):
            if isinstance(found[column].dtype, CompactTextDtype):
                assert found[column].tolist() == expected[column].tolist(), (name, column)
                found = found.assign(**{column: found[column].astype(expected[column].dtype)})
        pd.testing.assert_frame_equal(found, expected, check_exact=True, obj=name)
        assert list(found.dtypes.astype(str)) == list(expected.dtypes.astype(str)), name
    assert read.data_date == validated.data_date
    assert read.warnings == validated.warnings
    assert (read.source, read.is_demo) == (validated.source, validated.is_demo)


@pytest.fixture
def no_validation(monkeypatch):
    """After this fixture is asked for, any validation fails the test: what is loaded must
    come from the stored form."""

    def refuse(*args, **kwargs):
        raise AssertionError("the source was validated again")

    def arm():
        monkeypatch.setattr(stored, "load_network", refuse)

    return arm


def test_the_stored_demo_gives_the_validated_frames(tmp_path, no_validation):
    validated = load_network(DEMO_DATA_DIR)
    store = NetworkStore(tmp_path / "store")
    first = store.load(DEMO_DATA_DIR)
    assert_same_network(first, validated)
    no_validation()
    second = store.load(DEMO_DATA_DIR)
    assert_same_network(second, validated)
    # repeated texts read back as one shared object
    statuses = second.programmes["status"]
    assert statuses[statuses == "active"].map(id).nunique() == 1


def test_blanks_missing_numbers_lists_and_warnings_survive_the_round_trip(csv_folder, tables):
    tables["programmes"][2]["status"] = "active"  # starts in 2090: a warning on TODAY
    tables["programmes"][0]["partners"] = "UNODC|EU|Interpol"
    source = csv_folder(tables)
    validated = load_network(source, today=TODAY)
    assert validated.warnings  # the case is meant to carry one
    read = network_from_bytes(network_bytes(validated), source, is_demo=False)
    assert_same_network(read, validated)
    programmes = read.programmes.set_index("programme_id")
    assert programmes.at["PRG-001", "partners"] == ("UNODC", "EU", "Interpol")
    assert programmes.at["PRG-002", "partners"] == ()
    assert pd.isna(programmes.at["PRG-002", "budget_eur"])
    assert pd.isna(programmes.at["PRG-003", "end_date"])
    assert pd.isna(read.posts.set_index("post_id").at["SSI-BAMAKO", "opened"])
    assert read.posts["opened"].dtype == "Int64"
    assert [w.text("fr") for w in read.warnings] == [w.text("fr") for w in validated.warnings]


def test_a_damaged_or_planted_file_is_rebuilt_never_trusted(tmp_path, caplog):
    store = NetworkStore(tmp_path / "store")
    store.load(DEMO_DATA_DIR)
    key = source_key(DEMO_DATA_DIR, data_date=None, today=None)
    path = store.path_of(key)
    # Another data set's valid archive under the demo's name: readable, but not its digest.
    path.write_bytes(network_bytes(load_network(DEMO_PREVIOUS_DIR)))
    with caplog.at_level(logging.ERROR, logger="atlas.stored"):
        read = store.load(DEMO_DATA_DIR)
    assert "does not match its digest" in caplog.text
    assert_same_network(read, load_network(DEMO_DATA_DIR))
    rebuilt = store.path_of(key)
    assert rebuilt.read_bytes() == network_bytes(read)
    # A truncated file: the same.
    rebuilt.write_bytes(rebuilt.read_bytes()[:1000])
    assert_same_network(store.load(DEMO_DATA_DIR), load_network(DEMO_DATA_DIR))


def test_a_changed_source_is_validated_again(tmp_path, no_validation):
    source = copy_demo(tmp_path / "data")
    store = NetworkStore(tmp_path / "store")
    store.load(source)
    programmes = source / "programmes.csv"
    programmes.write_text(programmes.read_text(encoding="utf-8").replace(
        "GAR-SI Sahel", "GAR-SI Sahel renforcé", 1), encoding="utf-8")
    network = store.load(source)
    assert network.programmes.at[0, "title_fr"].startswith("GAR-SI Sahel renforcé")
    # A source made invalid is refused as before, not served from an earlier stored form.
    programmes.write_text(programmes.read_text(encoding="utf-8").replace(
        "2017-01-01", "01/01/2017", 1), encoding="utf-8")
    with pytest.raises(NetworkInvalid):
        store.load(source)
    no_validation()
    # Undated data: its warnings depend on the day they are checked on, so is its key.
    assert source_key(source, data_date=None, today=TODAY) != source_key(
        source, data_date=None, today=date(2025, 6, 2))
    assert source_key(source, data_date=TODAY, today=TODAY) == source_key(
        source, data_date=TODAY, today=date(2025, 6, 2))


def test_published_versions_are_stored_served_and_restored(tmp_path, monkeypatch,
                                                            no_validation):
    settings = Settings.load(data_dir=DEMO_DATA_DIR, data_root=str(tmp_path / "root"),
                             today=date(2026, 11, 23))
    data = DataVersions(settings)
    countries = load_countries()
    first = data.publish({f"{name}.csv": (DEMO_DATA_DIR / f"{name}.csv").read_bytes()
                          for name in ("posts", "coverage", "programmes", "themes")},
                         countries, user="alice", action="publish")
    earlier = {f"{name}.csv": (DEMO_PREVIOUS_DIR / f"{name}.csv").read_bytes()
               for name in ("posts", "coverage", "programmes", "themes")}
    second = data.publish(earlier, countries, user="alice", action="publish",
                          allow_shrink=True)
    assert first.ok and second.ok
    assert len(list((tmp_path / "root" / "store").glob("*.npz"))) == 2
    validated = {outcome.version: load_network(data.folder(outcome.version), countries,
                                               data_date=outcome.network.data_date)
                 for outcome in (first, second)}
    no_validation()  # from here on, every version comes from its stored form
    restored = DataVersions(settings).restore(first.version, countries, user="alice")
    assert restored.ok
    name, network = DataVersions(settings).load_current(countries)
    assert name == first.version
    assert_same_network(network, validated[first.version])
    assert_same_network(DataVersions(settings).load(second.version, countries),
                        validated[second.version])


def test_a_version_whose_files_changed_is_refused_whatever_is_stored(tmp_path, monkeypatch):
    settings = Settings.load(data_dir=DEMO_DATA_DIR, data_root=str(tmp_path / "root"),
                             today=date(2026, 11, 23))
    data = DataVersions(settings)
    outcome = data.publish({f"{name}.csv": (DEMO_DATA_DIR / f"{name}.csv").read_bytes()
                            for name in ("posts", "coverage", "programmes", "themes")},
                           load_countries(), user="alice", action="publish")
    (data.folder(outcome.version) / "themes.csv").write_text("theme_id\n", encoding="utf-8")
    with pytest.raises(NetworkInvalid) as refused:
        data.load(outcome.version, load_countries())
    assert refused.value.problems[0].key == "problem.version.changed"


def test_the_store_can_be_turned_off_or_moved(tmp_path):
    root = tmp_path / "root"
    off = Settings.load(data_dir=DEMO_DATA_DIR, data_root=str(root), store_dir="off")
    assert DataVersions(off).store is None
    moved = Settings.load(data_dir=DEMO_DATA_DIR, store_dir=str(tmp_path / "elsewhere"))
    assert DataVersions(moved).store.folder == tmp_path / "elsewhere"
    assert DataVersions(Settings.load(data_dir=DEMO_DATA_DIR, data_root=str(root))
                        ).store.folder == root.resolve() / "store"
    assert versions.network_store(Settings.load(data_dir=DEMO_DATA_DIR), None) is not None


def test_any_text_survives_the_round_trip(csv_folder, tables):
    """Texts holding the buffer's separator, accents, quotes or nothing at all read back as
    written."""
    network = load_network(csv_folder(tables), today=TODAY)
    odd = ["a\x00b", "Côte d'Ivoire — « guillemets »", ""]
    programmes = network.programmes.assign(description=pd.array(odd, dtype="str"))
    changed = type(network)(posts=network.posts, coverage=network.coverage,
                            programmes=programmes, themes=network.themes,
                            data_date=network.data_date)
    read = network_from_bytes(network_bytes(changed), "", is_demo=False)
    assert read.programmes["description"].tolist() == odd
    assert_same_network(read, changed)


def test_a_folder_others_may_write_in_is_never_read(tmp_path, caplog):
    store = NetworkStore(tmp_path / "store")
    store.load(DEMO_DATA_DIR)
    key = source_key(DEMO_DATA_DIR, data_date=None, today=None)
    assert store.read(key, DEMO_DATA_DIR, is_demo=True) is not None
    (tmp_path / "store").chmod(0o777)
    assert not store.trusted()
    assert store.read(key, DEMO_DATA_DIR, is_demo=True) is None
    with caplog.at_level(logging.ERROR, logger="atlas.stored"):
        network = store.load(DEMO_DATA_DIR)  # validated, and not stored there
    assert "not the atlas's own folder" in caplog.text
    assert_same_network(network, load_network(DEMO_DATA_DIR))


def test_the_folder_keeps_the_files_used_last(tmp_path, monkeypatch):
    monkeypatch.setattr(stored, "KEPT", 2)
    store = NetworkStore(tmp_path / "store")
    network = load_network(DEMO_DATA_DIR)
    for key in ("a" * 32, "b" * 32, "c" * 32):
        store.write(key, network)
        store.read("a" * 32, DEMO_DATA_DIR, is_demo=True)  # "a" stays in use
    kept = sorted(path.name[:32] for path in (tmp_path / "store").glob("*.npz"))
    assert kept == ["a" * 32, "c" * 32]


def test_titles_read_compact_show_the_same_in_panels_exports_and_changes(tmp_path,
                                                                         no_validation):
    """A worker reading the stored form keeps the titles compact, and every place that shows
    them (the country panel's rows, the exported table, the changelog) says what a validated
    load says, in French and English."""
    countries = load_countries()
    validated = load_network(DEMO_DATA_DIR, countries)
    store = NetworkStore(tmp_path / "store")
    store.load(DEMO_DATA_DIR, countries)
    no_validation()
    read = store.load(DEMO_DATA_DIR, countries)
    assert isinstance(read.programmes["title_fr"].dtype, CompactTextDtype)
    assert read.programmes["title_en"].iloc[[2, 0]].tolist() == \
        validated.programmes["title_en"].iloc[[2, 0]].tolist()
    # a network read compact is stored again as it was validated (a publish of a served one)
    assert_same_network(network_from_bytes(network_bytes(read), DEMO_DATA_DIR, is_demo=True),
                        validated)
    previous = load_network(DEMO_PREVIOUS_DIR, countries)
    expected_data, found_data = (build_atlas_data(network, countries)
                                 for network in (validated, read))
    for lang in ("fr", "en"):
        view = ViewState(lang=lang)
        for iso3 in ("MLI", "NER", "COL"):
            expected = country_panel_data(expected_data, view, iso3).programmes.rows
            found = country_panel_data(found_data, view, iso3).programmes.rows
            assert [(r.title, r.description) for r in found] == \
                [(r.title, r.description) for r in expected], (lang, iso3)
        pd.testing.assert_frame_equal(programmes_table(found_data, view, lang),
                                      programmes_table(expected_data, view, lang))
        assert changelog(network_diff(previous, read), previous, read, lang, old_label="a",
                         new_label="b") == \
            changelog(network_diff(previous, validated), previous, validated, lang,
                      old_label="a", new_label="b")
