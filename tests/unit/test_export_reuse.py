"""What exports keep between pages (projected points and lines, frames, text sizes) is kept by
the data load or the export fonts, is right for each load, and is safe for threads drawing
at once."""

from __future__ import annotations

import io
import threading

import matplotlib
import numpy as np
import pytest
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.collections import PathCollection
from matplotlib.font_manager import FontProperties
from PIL import Image

from exports.formats.base import ExportOptions
from exports.formats.registry import lookup
from exports.mapdraw import MapCanvas, transformer
from exports.page import ExportFonts, Page, compose, figure_bytes, rc_params
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


def _names_drawn(fonts, fmt: str) -> bytes:
    """A small map box with three names (one bold, one selected colour) drawn by a canvas
    with the export fonts (kept outlines) or without (matplotlib's own texts)."""
    page = Page(3.0, 2.0, 144)
    axes = page.axes(0.1, 0.1, 2.8, 1.8)
    axes.set_xlim(0, 10)
    axes.set_ylim(0, 10)
    canvas = MapCanvas(axes, None, ViewState(), None, (0, 10), (0, 10), {}, fonts)
    with matplotlib.rc_context(rc_params()):
        canvas.halo_texts([(2.0, 3.0, "Sénégal", 7.0, False, "#2b2b2b"),
                           (5.0, 6.5, "République dominicaine", 7.0, False, "#2b2b2b"),
                           (8.0, 2.0, "Mali", 9.5, True, "#08306b")],
                          "#ffffff", 2.2, zorder=6)
    return figure_bytes(page, fmt, {"Date": None} if fmt == "svg" else {})


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_names_from_kept_outlines_look_as_matplotlibs_texts(fmt):
    """Names drawn from the outlines and placements the export fonts keep give the same
    image as matplotlib's texts with a halo, on a first page and on the next (kept)."""
    fonts = ExportFonts()
    expected = _names_drawn(None, fmt)
    first, again = _names_drawn(fonts, fmt), _names_drawn(fonts, fmt)
    if fmt == "png":
        pixels = [np.asarray(Image.open(io.BytesIO(content)))
                  for content in (expected, first, again)]
        assert pixels[0].min() < 255  # something was drawn
        assert np.array_equal(pixels[1], pixels[0]) and np.array_equal(pixels[2], pixels[0])
    else:
        assert b"<path" in expected and first == expected and again == expected
