"""The page of a map snapshot, laid out with matplotlib: title, filters, key figures, map,
legend, footer and marking. The snapshot formats (PNG, SVG, PDF, and the PowerPoint slide's
picture) encode the page this module composes.

A snapshot shows the view of the screen: the colours, classes and legend entries come from
:func:`viewmodel.mapview.map_view` (the same hideout the browser styles the map with), the layers
and the selected country from the view, the extent from the map's bounds (or the world).

Page sizes (``size``), all drawn on the same physical layout in inches:

=======  =====================  ==========================  ===========================
size     page                   PNG pixels (scale 1 / 2)     PDF page (points)
=======  =====================  ==========================  ===========================
16:9     13.33 x 7.5 in          1920 x 1080 / 3840 x 2160    960 x 540
4:3      10 x 7.5 in             1600 x 1200 / 3200 x 2400    720 x 540
a4       A4 landscape, 297x210   1753 x 1240 / 3507 x 2480    842 x 595
=======  =====================  ==========================  ===========================

Wide pages (16:9) put the key figures and the legend in a column right of the map; the others
put the key figures in a strip under the title and the legend in a band under the map. Texts use
three sizes (title and figures, body, footnotes); every string is drawn literally (no mathtext,
no markup), so a title such as ``<script>`` or ``$x$`` appears as typed.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import matplotlib
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Rectangle
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.textpath import text_to_path
from matplotlib.transforms import Affine2D

from exports import describe
from exports.changelist import ChangeList, change_list, fit_changes, fitted_height
from exports.formats.base import INCLUDE_ALL, ExportOptions
from exports.mapdraw import ExportError, Frame, check_bbox, draw_map, frame_for
from exports.scope import Scope, ScopedFigures, scope_for, scoped_figures, view_bbox
from exports.trace import trace_line
from geodata.i18n import t
from layers._base import PT_PER_PX, Legend
from viewmodel.asof import dated
from viewmodel.data import AtlasData, Bounded
from viewmodel.mapview import map_view
from viewmodel.urlstate import ViewState, to_query


@dataclass(frozen=True)
class PageSize:
    """A page in inches and the dots per inch of its PNG at scale 1."""

    width: float
    height: float
    dpi: int

    def pixels(self, scale: int = 1) -> tuple[int, int]:
        """PNG width and height in pixels (whole pixels, rounded down as matplotlib does)."""
        return (int(self.width * self.dpi * scale + 1e-6),
                int(self.height * self.dpi * scale + 1e-6))


SIZES = {
    "16:9": PageSize(1920 / 144, 1080 / 144, 144),
    "4:3": PageSize(1600 / 160, 1200 / 160, 160),
    "a4": PageSize(297 / 25.4, 210 / 25.4, 150),
}
SCALES = (1, 2)

# Text sizes in points (three of them) and colours of the page furniture (as assets/atlas.css).
TEXT_LARGE = 22.0
TEXT_BODY = 10.5
TEXT_SMALL = 8.5
LINE_SPACING = 1.22
INK = "#1b2430"
MUTED = "#4a5563"
ACCENT = "#08519c"
RULE = "#d5dbe1"
MARKING_COLOR = "#a50f15"
DEMO_FILL, DEMO_EDGE, DEMO_INK = "#fff4ce", "#c99a00", "#5c4300"
MARGIN = 0.42
SIDE_COLUMN = 2.8
GAP = 0.3
SWATCH = 0.17
WIDE_PAGE_RATIO = 1.6
TALL_EXTENT_RATIO = 1.5
PREFERRED_FONTS = ("Liberation Sans", "Arial", "Helvetica", "DejaVu Sans")
FALLBACK_FONT = "DejaVu Sans"
#: The smallest size a long title shrinks to (points) before it takes a third line.
TITLE_MIN = 13.0
#: The texts whose measured sizes the export fonts keep (words, labels, lines).
MEASURES_KEPT = 8192


class ExportFonts:
    """The preferred font families installed on this machine, looked up in matplotlib's font
    list on first use (not at import) and kept, and the sizes of the texts measured in them
    (kept for the :data:`MEASURES_KEPT` texts used last: a legend's, a label's words come back
    on every page); safe to share between threads."""

    def __init__(self, preferred: tuple[str, ...] = PREFERRED_FONTS):
        self._preferred = preferred
        self._lock = threading.Lock()
        self._families: tuple[str, ...] | None = None
        self._measures = Bounded(MEASURES_KEPT)
        self._renderers = threading.local()  # a renderer is not shared between threads

    def families(self) -> tuple[str, ...]:
        """The installed preferred families, in order of preference (matplotlib's own font
        when none is installed)."""
        if self._families is None:
            with self._lock:
                if self._families is None:
                    available = {entry.name for entry in font_manager.fontManager.ttflist}
                    self._families = (tuple(n for n in self._preferred if n in available)
                                      or (FALLBACK_FONT,))
        return self._families

    def measure(self, text: str, size: float, bold: bool = False,
                dpi: float = 72) -> tuple[float, float, float]:
        """Width, height and descent in pixels at ``dpi`` of ``text`` on one line at ``size``
        points, as matplotlib's Agg renderer lays it out (what a page draws)."""
        return self._measures.get((text, size, bold, dpi),
                                  lambda: self._measured(text, size, bold, dpi))

    def outline(self, text: str, size: float, bold: bool = False) -> tuple[Path, float]:
        """The glyph outlines of ``text`` as one path in matplotlib's text-to-path units, and
        the font size those units are for (scale the path by pixels per point x size / it):
        what a text drawn as a path (with a halo) is made of."""
        def build():
            prop = FontProperties(size=size, weight="bold" if bold else "normal")
            vertices, codes = text_to_path.get_text_path(prop, text, ismath=False)
            return Path(vertices, codes), text_to_path.FONT_SCALE
        return self._measures.get(("outline", text, bold), build)

    def placement(self, renderer, figure, text: str, size: float,
                  bold: bool = False) -> tuple[float, float]:
        """Where a one-line ``text`` centred on a point starts, in pixels from the point, as
        ``renderer`` (its kind and resolution) lays it out."""
        def build():
            probe = Text(0, 0, text, ha="center", va="center", parse_math=False,
                         fontproperties=FontProperties(size=size,
                                                       weight="bold" if bold else "normal"))
            probe.set_figure(figure)
            _, lines, _ = probe._get_layout(renderer)
            return lines[0][2]
        # The renderer that measures: a vector page's renderer (matplotlib's mixed-mode one,
        # for SVG and PDF alike) hands the measures to the format's own, whose metrics differ.
        measuring = type(renderer.get_text_width_height_descent.__self__).__name__
        key = ("placement", text, size, bold, figure.dpi, measuring)
        return self._measures.get(key, build)

    def _measured(self, text: str, size: float, bold: bool, dpi: float):
        renderers = getattr(self._renderers, "by_dpi", None)
        if renderers is None:
            renderers = self._renderers.by_dpi = {}
        renderer = renderers.get(dpi)
        if renderer is None:
            renderer = renderers[dpi] = RendererAgg(8, 8, dpi)
        prop = FontProperties(family=list(self.families()), size=size,
                              weight="bold" if bold else "normal")
        return renderer.get_text_width_height_descent(text, prop, ismath=False)


#: The fonts every export draws its texts with.
EXPORT_FONTS = ExportFonts()


def rc_params() -> dict:
    """The matplotlib settings a page is composed and saved with: the export fonts, texts kept
    literal (no TeX), SVG texts as text, PDF fonts embedded as TrueType."""
    return {
        "font.family": "sans-serif",
        "font.sans-serif": list(EXPORT_FONTS.families()),
        "text.usetex": False,
        "svg.fonttype": "none",
        "svg.hashsalt": "atlas",
        "pdf.fonttype": 42,
        "path.simplify": True,
    }


#: matplotlib's settings (``rcParams``) belong to the process, not the thread: two threads each
#: in their own ``rc_context`` would restore the defaults under each other's pages (a preview
#: drawn beside another in a threaded web worker came out in the wrong fonts). Pages are
#: composed and saved under this lock, one at a time per process (re-entrant: a pack's pages
#: compose inside the pack's own settings).
EXPORT_SETTINGS_LOCK = threading.RLock()


@contextmanager
def export_settings() -> Iterator[None]:
    """matplotlib set as :func:`rc_params` says, for this thread alone while it lasts."""
    with EXPORT_SETTINGS_LOCK, matplotlib.rc_context(rc_params()):
        yield


def line_height(size: float) -> float:
    """Height in inches of one line of text at ``size`` points."""
    return size * LINE_SPACING / 72


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in inches of ``text`` on one line in the export font."""
    return EXPORT_FONTS.measure(text, size, bold)[0] / 72


#: Characters of a text looked at per line wrapped (more than any line of a page holds).
MAX_WRAP_CHARS = 400


def wrap_text(text: str, width: float, size: float, bold: bool = False,
              max_lines: int = 2) -> list[str]:
    """``text`` broken into lines no wider than ``width`` inches; the last kept line ends with
    an ellipsis when more lines would be needed.

    Each distinct word is measured once and lines are filled by adding word and space widths;
    every line is then measured whole (kerning included), and the exact, line-by-line
    algorithm takes over in the rare case one is too wide (or a word is wider than a line).
    The work is bounded whatever the text: at most ``MAX_WRAP_CHARS`` characters per line (and
    20 lines) are looked at."""
    text = text[: MAX_WRAP_CHARS * min(max_lines, 20)]
    words = text.split()
    if not words:
        return []
    measured = {word: text_width(word, size, bold) for word in set(words)}
    if max(measured.values()) > width:
        return _wrap_exact(text, width, size, bold, max_lines)
    space = text_width("x x", size, bold) - 2 * text_width("x", size, bold)
    lines: list[list[str]] = [[words[0]]]
    used = measured[words[0]]
    for word in words[1:]:
        if used + space + measured[word] <= width:
            lines[-1].append(word)
            used += space + measured[word]
        else:
            lines.append([word])
            used = measured[word]
    joined = [" ".join(line) for line in lines]
    if any(text_width(line, size, bold) > width for line in joined if " " in line):
        return _wrap_exact(text, width, size, bold, max_lines)
    return _ellipsis(joined, width, size, bold, max_lines)


def _ellipsis(lines: list[str], width: float, size: float, bold: bool,
              max_lines: int) -> list[str]:
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and text_width(last + " …", size, bold) > width:
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last.rstrip() + " …"]
    return lines


def _wrap_exact(text: str, width: float, size: float, bold: bool = False,
                max_lines: int = 2) -> list[str]:
    """:func:`wrap_text` measuring every candidate line (and cutting words wider than a
    line)."""
    lines: list[str] = []
    current = ""
    text = text[: MAX_WRAP_CHARS * max_lines]
    for word in text.split():
        if len(lines) > max_lines:
            break
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while (len(lines) <= max_lines and len(current) > 1
               and text_width(current, size, bold) > width):
            low, high = 1, len(current) - 1  # the longest prefix that fits, at least 1
            while low < high:
                middle = (low + high + 1) // 2
                if text_width(current[:middle], size, bold) <= width:
                    low = middle
                else:
                    high = middle - 1
            lines.append(current[:low])
            current = current[low:]
    if current:
        lines.append(current)
    return _ellipsis(lines, width, size, bold, max_lines)


def fit_text(text: str, width: float, size: float, *, bold: bool = False, max_lines: int = 2,
             min_size: float | None = None) -> tuple[list[str], float]:
    """``text`` wrapped to ``width`` inches in at most ``max_lines`` lines, the size lowered
    point by point (down to ``min_size``, default 60 % of ``size``) until it fits; never cut:
    at the smallest size it takes the lines it needs. Returns the lines and the size."""
    floor = min_size if min_size is not None else round(size * 0.6, 1)
    current = size
    while True:
        lines = wrap_text(text, width, current, bold, max_lines=10_000)
        if len(lines) <= max_lines or current <= floor:
            return lines, current
        current = max(floor, current - 1.0)


def view_url(view: ViewState, public_url: str = "") -> str:
    """The address of the view a page shows: ``public_url`` (``ATLAS_PUBLIC_URL``) followed by
    the view's query string (a path such as ``/?mode=programmes`` when no base is set)."""
    base = (public_url or "").rstrip("/")
    return f"{base}/{to_query(view)}"


class Page:
    """A figure addressed in inches from its top-left corner."""

    def __init__(self, width: float, height: float, dpi: float):
        self.width, self.height = width, height
        self.fig = Figure(figsize=(width, height), dpi=dpi, facecolor="white")
        FigureCanvasAgg(self.fig)
        self.inches = Affine2D().scale(1, -1).translate(0, height) + self.fig.dpi_scale_trans

    measure = staticmethod(text_width)
    wrap = staticmethod(wrap_text)

    def text(self, x: float, y: float, text: str, *, size: float = TEXT_BODY, bold: bool = False,
             color: str = INK, ha: str = "left", va: str = "top", **kwargs):
        """Draw ``text`` literally at (x, y) inches from the top-left corner."""
        return self.fig.text(
            x, y, text, transform=self.inches, fontsize=size, color=color, ha=ha, va=va,
            fontweight="bold" if bold else "normal", parse_math=False, usetex=False, **kwargs,
        )

    def lines(self, x: float, y: float, lines: Iterable[str], size: float, **kwargs) -> float:
        """Draw one text per line downwards from ``y``; returns the ``y`` below the last."""
        for line in lines:
            self.text(x, y, line, size=size, **kwargs)
            y += line_height(size)
        return y

    def add(self, artist) -> None:
        """Add a patch or line given in page inches."""
        artist.set_transform(self.inches)
        self.fig.add_artist(artist)

    def axes(self, x: float, y: float, width: float, height: float) -> Axes:
        """New axes at a box given in page inches."""
        return self.fig.add_axes((x / self.width, 1 - (y + height) / self.height,
                                  width / self.width, height / self.height))


# --- legend and key figures -------------------------------------------------------------------


def _swatch(page: Page, x: float, y: float, entry, row: float) -> float:
    """Draw an entry's swatch with its left edge at ``x`` in a row starting at ``y``; returns
    the swatch width."""
    middle = y + row / 2
    if entry.shape == "circle":
        # A size key draws the marker at its size on the map (points, as layers draw it).
        radius = entry.size * PT_PER_PX / 72 if entry.size else SWATCH * 0.45
        page.add(Circle((x + SWATCH / 2, middle), radius, facecolor=entry.color,
                        edgecolor=entry.outline or INK, linewidth=0.6 if entry.size else 1.0))
        return SWATCH
    if entry.shape == "line":
        length = SWATCH * 1.9
        page.add(Line2D([x, x + length], [middle, middle], color=entry.color, linewidth=1.5,
                        linestyle=(0, (3, 2))))
        return length
    page.add(Rectangle((x, middle - SWATCH / 2), SWATCH, SWATCH, facecolor=entry.color,
                       edgecolor=entry.outline or (0, 0, 0, 0.3), linewidth=0.6))
    return SWATCH


def _legend_column(page: Page, x: float, y: float, width: float,
                   legends: tuple[Legend, ...], draw: bool) -> float:
    """The legend as a vertical list in a column; returns its height."""
    start = y
    row = line_height(TEXT_BODY) + 0.045
    for index, legend in enumerate(legends):
        if legend.title and index and not legends[index - 1].title:
            y += 0.1  # a titled block after untitled rows: the same gap as after a block
        if legend.title:
            title_lines = page.wrap(legend.title, width, TEXT_BODY, bold=True)
            if draw:
                page.lines(x, y, title_lines, TEXT_BODY, bold=True)
            y += line_height(TEXT_BODY) * len(title_lines) + 0.05
        elif index:
            y += 0.04
        for entry in legend.entries:
            label_x = x + (SWATCH * 1.9 if entry.shape == "line" else SWATCH) + 0.1
            labels = page.wrap(entry.label, x + width - label_x, TEXT_BODY, max_lines=2)
            if draw:
                _swatch(page, x, y, entry, row)
                page.lines(label_x, y + row / 2, labels, TEXT_BODY, va="center")
            y += row + line_height(TEXT_BODY) * (len(labels) - 1)
        if legend.title and index < len(legends) - 1:
            y += 0.1
    return y - start


def _legend_band(page: Page, x: float, y: float, width: float,
                 legends: tuple[Legend, ...], draw: bool) -> float:
    """The legend as rows of entries flowing left to right under each block title (blocks
    without a title share one row); returns its height."""
    start = y
    row = line_height(TEXT_BODY) + 0.05
    groups: list[tuple[str, list]] = []
    for legend in legends:
        if legend.title or not groups or groups[-1][0]:
            groups.append((legend.title, list(legend.entries)))
        else:
            groups[-1][1].extend(legend.entries)
    for index, (title, entries) in enumerate(groups):
        if index:
            y += 0.08
        if title:
            if draw:
                page.text(x, y, title, bold=True)
            y += line_height(TEXT_BODY) + 0.03
        cursor = x
        for entry in entries:
            swatch = SWATCH * 1.9 if entry.shape == "line" else SWATCH
            label = entry.label
            needed = swatch + 0.08 + page.measure(label, TEXT_BODY)
            if cursor > x and cursor + needed > x + width:
                cursor, y = x, y + row
            if draw:
                _swatch(page, cursor, y, entry, row)
                page.text(cursor + swatch + 0.08, y + row / 2, label, va="center")
            cursor += needed + 0.32
        y += row
    return y - start


def _kpi_items(view: ViewState, figures: ScopedFigures) -> list[tuple[str, str]]:
    return figures.pairs(view.lang)


def _kpi_column(page: Page, x: float, y: float, items, draw: bool) -> float:
    """Key figures stacked, value then label on one baseline; returns the height."""
    row = line_height(TEXT_LARGE) + 0.04
    if draw:
        for index, (value, label) in enumerate(items):
            baseline = y + index * row + TEXT_LARGE / 72
            page.text(x, baseline, value, size=TEXT_LARGE, bold=True, color=ACCENT,
                      va="baseline")
            page.text(x + page.measure(value, TEXT_LARGE, True) + 0.09, baseline, label,
                      color=MUTED, va="baseline")
    return row * len(items)


def _kpi_strip(page: Page, x: float, y: float, width: float, items, draw: bool) -> float:
    """Key figures in a row (wrapping when needed), as on screen; returns the height."""
    row = line_height(TEXT_LARGE) + 0.04
    cursor, top = x, y
    for value, label in items:
        value_width = page.measure(value, TEXT_LARGE, True)
        needed = value_width + 0.09 + page.measure(label, TEXT_BODY)
        if cursor > x and cursor + needed > x + width:
            cursor, y = x, y + row
        if draw:
            baseline = y + TEXT_LARGE / 72
            page.text(cursor, baseline, value, size=TEXT_LARGE, bold=True, color=ACCENT,
                      va="baseline")
            page.text(cursor + value_width + 0.09, baseline, label, color=MUTED, va="baseline")
        cursor += needed + 0.42
    return y + row - top


# --- the page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """A composed page: the figure, the map's axes and frame (for tests and the slide)."""

    page: Page
    map_axes: Axes
    frame: Frame
    title: str
    scope: Scope | None = None
    figures: ScopedFigures | None = None
    #: The size the title was drawn at (points) and its lines (wrapped, never cut).
    title_size: float = TEXT_LARGE
    title_lines: tuple[str, ...] = ()


def _fit_box(frame: Frame, x: float, y: float, width: float, height: float):
    """The map's box and limits inside an available box: the world keeps its outline (the box
    shrinks to it), any other extent grows to fill the box."""
    if frame.world:
        fitted_width = min(width, height * frame.aspect)
        fitted_height = fitted_width / frame.aspect
        return (x + (width - fitted_width) / 2, y, fitted_width, fitted_height,
                frame.xlim, frame.ylim)
    xlim, ylim = frame.fitted(width, height)
    return x, y, width, height, xlim, ylim


def _footer(page: Page, data: AtlasData, lang: str, bottom: float, url: str = "") -> float:
    """Data date and sources bottom left (then the view's address, a link in a PDF), the
    demonstration notice bottom right, who exported the page above them (a traced export);
    returns the footer's top."""
    y = bottom - line_height(TEXT_SMALL)
    footer = describe.footer_text(data, lang, trace=False)
    page.text(MARGIN, y, footer, size=TEXT_SMALL, color=MUTED)
    top = y
    if trace_line(data, lang):  # who exported the page, on a line of its own above
        top = y - line_height(TEXT_SMALL)
        page.text(MARGIN, top, trace_line(data, lang), size=TEXT_SMALL, color=MUTED)
    if url:
        link_x = MARGIN + page.measure(footer, TEXT_SMALL) + 0.12
        notice = page.measure(t("app.demo_banner", lang), TEXT_SMALL, True) + 0.4
        room = page.width - MARGIN - (notice if data.network.is_demo else 0) - link_x
        shown = url if page.measure(url, TEXT_SMALL) <= room else t("export.view_link", lang)
        page.text(link_x, y, shown, size=TEXT_SMALL, color=ACCENT, url=url)
    if data.network.is_demo:
        page.text(page.width - MARGIN - 0.05, y, t("app.demo_banner", lang), size=TEXT_SMALL,
                  bold=True, color=DEMO_INK, ha="right",
                  bbox={"boxstyle": "round,pad=0.35", "facecolor": DEMO_FILL,
                        "edgecolor": DEMO_EDGE, "linewidth": 0.8})
    return top - 0.16


def compose(data: AtlasData, view: ViewState, *, size: str = "16:9", scale: int = 1,
            title: str | None = None, include: Iterable[str] = INCLUDE_ALL, marking: str = "",
            bbox=None, page_size: PageSize | None = None, furniture: bool = True,
            subtitle: str = "", url: str = "", framed: bool = True) -> Snapshot:
    """Lay out a snapshot page (see :func:`exports.snapshot.render_snapshot` for the
    arguments).

    ``page_size`` overrides ``size``; ``furniture=False`` leaves out the title, filters, key
    figures, footer and marking (the map and its legend only, as placed on a slide).
    ``subtitle`` is printed under the title, ``url`` (the view's address) in the footer.
    Without ``bbox`` a selected country or post is framed with its neighbours and selected
    regions are framed (``framed=False``: the world).
    """
    data = dated(data, view)  # statuses and posts on the view's as-of date
    with export_settings():
        return _compose(data, view, size=size, scale=scale, title=title, include=include,
                        marking=marking, bbox=bbox, page_size=page_size, furniture=furniture,
                        subtitle=subtitle, url=url, framed=framed)


def _compose(data, view, *, size, scale, title, include, marking, bbox, page_size,
             furniture, subtitle="", url="", framed=True) -> Snapshot:
    include = check_page_options(size=size, scale=scale, include=include)
    bbox = None if bbox is None else check_bbox(bbox)
    if framed:
        bbox = view_bbox(data, view, bbox)
    frame = frame_for(bbox, data)
    scope = scope_for(data, view, bbox)
    figures = scoped_figures(data, view, scope)
    paper = page_size or SIZES[size]
    page = Page(paper.width, paper.height, paper.dpi * scale)
    mv = map_view(data, view)
    lang = view.lang
    title = describe.clean_text(title) or describe.default_title(data, view)
    subtitle = describe.clean_text(subtitle)
    marking = describe.clean_text(marking)
    title_lines, title_size = [title], TEXT_LARGE
    top, bottom = MARGIN * 0.8, page.height - MARGIN * 0.7
    width = page.width - 2 * MARGIN
    if furniture:
        if marking:
            marking_lines = page.wrap(marking, width, TEXT_BODY, bold=True, max_lines=1)
            page.lines(page.width / 2, top, marking_lines, TEXT_BODY, bold=True,
                       color=MARKING_COLOR, ha="center")
            page.text(page.width / 2, bottom, marking_lines[0], bold=True,
                      color=MARKING_COLOR, ha="center", va="bottom")
            top += line_height(TEXT_BODY) + 0.06
            bottom -= line_height(TEXT_BODY) + 0.06
        title_lines, title_size = fit_text(title, width, TEXT_LARGE, bold=True, max_lines=2,
                                           min_size=TITLE_MIN)
        top = page.lines(MARGIN, top, title_lines, title_size, bold=True)
        if subtitle:
            lines, body = fit_text(subtitle, width, TEXT_BODY + 2, max_lines=2,
                                   min_size=TEXT_BODY)
            top = page.lines(MARGIN, top + 0.02, lines, body, color=INK)
        if "filters" in include:
            lines, body = fit_text(describe.filters_text(data, view), width, TEXT_BODY,
                                   max_lines=3, min_size=TEXT_SMALL)
            top = page.lines(MARGIN, top + 0.03, lines, body, color=MUTED)
        if "kpis" in include:
            top = page.lines(MARGIN, top + 0.02, page.wrap(scope.label, width, TEXT_SMALL,
                                                           max_lines=3),
                             TEXT_SMALL, color=MUTED)
        top += 0.2
        bottom = _footer(page, data, lang, bottom, url)
    else:
        top, bottom = 0.05, page.height - 0.05
        width = page.width - 0.1
    left = (page.width - width) / 2
    legends = mv.legends if "legend" in include else ()
    # A changes page lists the changes in words where other pages give the key figures.
    changes = change_list(data, view, scope) if furniture and "kpis" in include else None
    kpis = _kpi_items(view, figures) if furniture and "kpis" in include and not changes else []
    # A tall extent (a country, Africa) keeps a side column on any page: under the map, the
    # legend would leave it a wide box that the frame would fill with neighbouring seas.
    tall = not frame.world and frame.aspect < TALL_EXTENT_RATIO
    if changes is not None:
        box = _changes_layout(page, frame, left, top, width, bottom - top, legends, changes)
    elif page.width / page.height >= WIDE_PAGE_RATIO or not furniture or tall:
        box = _side_layout(page, frame, left, top, width, bottom - top, legends, kpis)
    else:
        box = _band_layout(page, frame, left, top, width, bottom - top, legends, kpis)
    x, y, map_width, map_height, xlim, ylim = box
    axes = page.axes(x, y, map_width, map_height)
    draw_map(axes, data, view, mv.hideouts, frame, xlim, ylim, EXPORT_FONTS)
    return Snapshot(page=page, map_axes=axes, frame=frame, title=title, scope=scope,
                    figures=figures, title_size=title_size, title_lines=tuple(title_lines))


def _side_layout(page, frame, left, top, width, height, legends, kpis):
    """Map on the left, key figures and legend in a column on the right."""
    column = SIDE_COLUMN if (legends or kpis) else 0.0
    map_box_width = width - column - (GAP if column else 0.0)
    x, _, map_width, map_height, xlim, ylim = _fit_box(frame, left, top, map_box_width, height)
    kpi_height = _kpi_column(page, 0, 0, kpis, draw=False) if kpis else 0.0
    column_x = left + width - column
    legend_height = (_legend_column(page, column_x, 0, column, legends, draw=False)
                     if legends else 0.0)
    column_height = kpi_height + (0.3 if kpis and legends else 0.0) + legend_height
    block = max(map_height, column_height)
    y = top + (height - block) / 2
    if kpis:
        _kpi_column(page, column_x, y, kpis, draw=True)
    if legends:
        legend_y = y + kpi_height + (0.3 if kpis else 0.0)
        if kpis:
            page.add(Line2D([column_x, column_x + column], [legend_y - 0.15] * 2, color=RULE,
                            linewidth=0.8))
        _legend_column(page, column_x, legend_y, column, legends, draw=True)
    return x, y + (block - map_height) / 2, map_width, map_height, xlim, ylim


def _band_layout(page, frame, left, top, width, height, legends, kpis):
    """Key figures in a strip under the title, the legend in a band under the map."""
    if kpis:
        kpi_height = _kpi_strip(page, left, top, width, kpis, draw=True)
        top += kpi_height + 0.15
        height -= kpi_height + 0.15
    legend_height = _legend_band(page, left, 0, width, legends, draw=False) if legends else 0.0
    gap = GAP if legends else 0.0
    x, _, map_width, map_height, xlim, ylim = _fit_box(frame, left, top, width,
                                                       height - legend_height - gap)
    block = map_height + gap + legend_height
    y = top + (height - block) / 2
    if legends:
        _legend_band(page, left, y + map_height + gap, width, legends, draw=True)
    return x, y, map_width, map_height, xlim, ylim


#: The changes page's list: its column's width (at most; a share of a narrower page), the
#: sizes it is tried at (points), the gap between two countries (inches).
CHANGES_COLUMN = 4.4
CHANGES_SHARE = 0.38
CHANGES_SIZES = (TEXT_BODY, 9.5, TEXT_SMALL)
CHANGES_GAP = 0.07


def _changes_layout(page, frame, left, top, width, height, legends, changes: ChangeList):
    """The changes page: the map with its legend in a band under it on the left, the changes
    in words in a column on the right (a swatch of the country's colour on the map, then its
    text; the countries that do not fit counted on a last line)."""
    column = min(CHANGES_COLUMN, width * CHANGES_SHARE)
    column_x = left + width - column
    map_box = width - column - GAP
    heading_lines = page.wrap(changes.heading, column, TEXT_BODY + 1, bold=True, max_lines=3)
    heading_height = line_height(TEXT_BODY + 1) * len(heading_lines) + 0.1
    text_x = column_x + SWATCH + 0.1
    fitted = fit_changes(changes, column_x + column - text_x, height - heading_height,
                         sizes=CHANGES_SIZES, line_spacing=LINE_SPACING, gap=CHANGES_GAP,
                         wrap=page.wrap)
    list_height = heading_height + fitted_height(fitted, line_spacing=LINE_SPACING,
                                                 gap=CHANGES_GAP)
    legend_height = _legend_band(page, left, 0, map_box, legends, draw=False) if legends else 0.0
    gap = GAP if legends else 0.0
    x, _, map_width, map_height, xlim, ylim = _fit_box(frame, left, top, map_box,
                                                       height - legend_height - gap)
    block = max(map_height + gap + legend_height, list_height)
    y = top + (height - block) / 2
    if legends:
        _legend_band(page, left, y + map_height + gap, map_box, legends, draw=True)
    cursor = page.lines(column_x, y, heading_lines, TEXT_BODY + 1, bold=True) + 0.1
    row = line_height(fitted.size)
    for lines, colour in zip(fitted.entries, changes.colours, strict=False):
        page.add(Rectangle((column_x, cursor + (row - SWATCH) / 2 - 0.02), SWATCH, SWATCH,
                           facecolor=colour, edgecolor=(0, 0, 0, 0.3), linewidth=0.6))
        cursor = page.lines(text_x, cursor, lines, fitted.size) + CHANGES_GAP
    if fitted.more:
        page.lines(text_x, cursor, fitted.more, fitted.size, color=MUTED)
    return x, y, map_width, map_height, xlim, ylim


def check_page_options(*, size: str, scale: int, include: Iterable[str]) -> frozenset:
    """``include`` as a set after checking the page options; raises :class:`ExportError` for
    an unknown size, scale or part."""
    if size not in SIZES:
        raise ExportError(f"unknown size {size!r}; choose one of {', '.join(SIZES)}")
    if scale not in SCALES:
        raise ExportError(f"scale must be 1 or 2, got {scale!r}")
    parts = frozenset(include)
    unknown = parts - INCLUDE_ALL
    if unknown:
        raise ExportError(f"unknown parts {sorted(unknown)}; choose among {sorted(INCLUDE_ALL)}")
    return parts


def figure_bytes(page: Page, fmt: str, metadata: dict, **options) -> bytes:
    """The page saved by matplotlib in its format ``fmt`` (png, svg, pdf...) with
    ``metadata`` (``options``: the format's own, such as a PNG's ``pil_kwargs``)."""
    buffer = io.BytesIO()
    with export_settings():
        page.fig.savefig(buffer, format=fmt, dpi=page.fig.dpi, facecolor="white",
                         metadata=metadata, **options)
    return buffer.getvalue()


def render_page(data: AtlasData, view: ViewState, options: ExportOptions,
                encode: Callable[[Page, str], bytes]) -> bytes:
    """The snapshot page of ``options`` composed and encoded by ``encode(page, title)``; raises
    :class:`ExportError` for a bad option."""
    snapshot = compose(data, view, size=options.size, scale=options.scale, title=options.title,
                       include=options.include, marking=options.marking, bbox=options.bbox,
                       subtitle=options.subtitle, url=view_url(view, options.public_url))
    try:
        return encode(snapshot.page, snapshot.title)
    finally:
        snapshot.page.fig.clear()
