"""What exports keep between pages (projected points and lines, frames, text sizes) is kept by
the data load or the export fonts, is right for each load, and is safe for threads drawing
at once."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.collections import PathCollection
from matplotlib.font_manager import FontProperties

from exports.formats.base import ExportOptions
from exports.formats.registry import lookup
from exports.mapdraw import transformer
from exports.page import ExportFonts, compose
from geodata.countries import load_countries
from geodata.network import Network
from tests.network_builders import tiny_network
from viewmodel.data import build_atlas_data
from viewmodel.urlstate import ViewState


@pytest.fixture(scope="module")
def countries():
    return load_countries()


def _load(countries, dakar_lon_lat=None):
    """The tiny network as a data load, its Dakar post moved to ``dakar_lon_lat``."""
    network = tiny_network()
    posts = network.posts.copy()
    if dakar_lon_lat:
        posts.loc[posts["post_id"] == "SSI-DAKAR", ["lon", "lat"]] = dakar_lon_lat
    network = Network(posts=posts, coverage=network.coverage, programmes=network.programmes,
                      themes=network.themes, source="tiny")
    return build_atlas_data(network, countries)


def _post_markers(data) -> np.ndarray:
    """The projected centres of the post markers on the world map of a page (largest post
    first, as the layer draws them)."""
    snapshot = compose(data, ViewState(mode="coverage"), framed=False)
    markers = [c for c in snapshot.map_axes.collections
               if isinstance(c, PathCollection) and c.get_zorder() == 5]
    assert len(markers) == 1
    offsets = np.asarray(markers[0].get_offsets())
    snapshot.page.fig.clear()
    return offsets


def test_each_data_load_draws_its_own_posts(countries):
    """A second data load where a post moved draws the post where that load puts it, not
    where the first load's kept projection had it."""
    first = _load(countries)
    moved = _load(countries, dakar_lon_lat=(2.35, 48.85))
    to_map = transformer(first, "+proj=eqearth +lon_0=0 +datum=WGS84 +units=m +no_defs")
    dakar = np.array(to_map.transform(-17.44, 14.69))
    paris = np.array(to_map.transform(2.35, 48.85))

    before = _post_markers(first)  # the first load's projection is kept from here on
    after = _post_markers(moved)

    assert np.allclose(before[0], dakar)  # Dakar, the larger post, drawn first
    assert np.allclose(after[0], paris)
    assert np.allclose(after[1], before[1])  # Bamako did not move
    assert np.allclose(_post_markers(first), before)  # the first load keeps its own


def test_a_kept_text_size_is_the_renderers_at_each_size_and_resolution():
    """The export fonts' kept text sizes are what matplotlib's renderer measures, for each
    size, weight and resolution asked (a size kept at one resolution is not reused at
    another)."""
    fonts = ExportFonts()
    for dpi in (144, 288, 144):
        for size, bold in ((7.0, False), (9.5, True), (7.0, True)):
            prop = FontProperties(family=list(fonts.families()), size=size,
                                  weight="bold" if bold else "normal")
            expected = RendererAgg(8, 8, dpi).get_text_width_height_descent(
                "République dominicaine", prop, ismath=False)
            assert fonts.measure("République dominicaine", size, bold, dpi) == expected


def test_two_threads_exporting_at_once_write_the_files_one_thread_writes(countries):
    """Two threads exporting from a new data load at once (both building its kept
    projections and text sizes) write the same files as one thread alone, in French and in
    English, as PNG and PowerPoint pictures alike."""
    views = {"fr": ViewState(mode="programmes", lang="fr"),
             "en": ViewState(mode="coverage", lang="en")}
    shared = _load(countries)
    start = threading.Barrier(2)
    written: dict[str, bytes] = {}
    errors: list[BaseException] = []

    def export(lang: str) -> None:
        try:
            start.wait(30)
            written[lang] = lookup("png").write(shared, views[lang], ExportOptions())
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=export, args=(lang,)) for lang in views]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)

    assert not errors
    alone = _load(countries)
    for lang, view in views.items():
        assert written[lang] == lookup("png").write(alone, view, ExportOptions())
