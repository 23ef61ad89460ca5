"""Briefing packs: many pages in one file, a PowerPoint presentation (one slide per page) or a
PDF document (one page per page).

A pack is a list of :class:`PageSpec`: the view as a URL query string (``mode=programmes&
regions=sahel``), an optional title, subtitle, speaker notes and extent, and ``brief`` for a
country or post brief (:mod:`exports.brief`). It is read from a spec file (YAML or TOML,
chosen by the file's extension; see ``docs/export.md``) or made by a preset
(:data:`PRESETS`). Filters given once (``base``) apply to every page; a page's own query keys
win over them.

Every page is drawn from the same data load, so the projected country shapes are built once
(:func:`exports.mapdraw.projected_shapes`, held by ``data.memo``) and every page after the first
costs only its own drawing; no page goes through LibreOffice.
"""

from __future__ import annotations

import io
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import yaml
from matplotlib.backends.backend_pdf import PdfPages

from exports import describe
from exports.brief import add_brief_slide, brief_page
from exports.formats.base import INCLUDE_ALL, ExportOptions
from exports.formats.pdf_document import with_pdf_language
from exports.mapdraw import ExportError, check_bbox, parse_bbox
from exports.page import compose, export_settings, view_url
from exports.powerpoint import add_map_slide, new_presentation, presentation_bytes
from exports.scope import matching, region_countries, scope_for
from exports.trace import author_of
from viewmodel.asof import dated
from viewmodel.data import AtlasData
from viewmodel.urlstate import ViewState, Vocabulary, parse_query, to_query

PAGE_KEYS = frozenset({"view", "title", "subtitle", "notes", "bbox", "brief"})
SPEC_KEYS = frozenset({"title", "size", "lang", "marking", "pages"})
DECK_FORMATS = ("pptx", "pdf")
PRESETS = ("regions", "countries")


class SpecError(ExportError):
    """A pack spec that cannot be read, with where the problem is."""


@dataclass(frozen=True)
class PageSpec:
    """One page of a pack."""

    view: str = ""
    title: str | None = None
    subtitle: str = ""
    notes: str = ""
    bbox: tuple[float, float, float, float] | None = None
    brief: bool = False


@dataclass(frozen=True)
class Spec:
    """A pack: its pages and the options every page shares (None: the command's)."""

    pages: tuple[PageSpec, ...]
    title: str | None = None
    size: str | None = None
    lang: str | None = None
    marking: str | None = None


def _text(value, where: str, key: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)):
        raise SpecError(f"{where}: {key} must be text, got {type(value).__name__}")
    return str(value)


def parse_spec(raw, source: str = "spec") -> Spec:
    """A spec from its parsed YAML/TOML mapping; raises :class:`SpecError` naming the place of
    a problem (``deck.yaml: pages[3]: unknown key 'titel'``)."""
    if not isinstance(raw, dict):
        raise SpecError(f"{source}: the spec must be a mapping with a 'pages' list")
    unknown = sorted(set(raw) - SPEC_KEYS)
    if unknown:
        raise SpecError(f"{source}: unknown key(s) {', '.join(map(repr, unknown))}; "
                        f"allowed: {', '.join(sorted(SPEC_KEYS))}")
    pages = raw.get("pages")
    if not isinstance(pages, list) or not pages:
        raise SpecError(f"{source}: 'pages' must be a non-empty list of pages")
    parsed = []
    for number, page in enumerate(pages, start=1):
        where = f"{source}: pages[{number}]"
        if isinstance(page, str):
            page = {"view": page}
        if not isinstance(page, dict):
            raise SpecError(f"{where}: a page must be a mapping (view, title, ...)")
        unknown = sorted(set(page) - PAGE_KEYS)
        if unknown:
            raise SpecError(f"{where}: unknown key(s) {', '.join(map(repr, unknown))}; "
                            f"allowed: {', '.join(sorted(PAGE_KEYS))}")
        bbox = page.get("bbox")
        try:
            if isinstance(bbox, str):
                bbox = parse_bbox(bbox)
            elif bbox is not None:
                bbox = check_bbox(bbox)
        except ExportError as error:
            raise SpecError(f"{where}: {error}") from None
        brief = page.get("brief", False)
        if not isinstance(brief, bool):
            raise SpecError(f"{where}: brief must be true or false")
        title = page.get("title")
        parsed.append(PageSpec(view=_text(page.get("view"), where, "view").lstrip("?"),
                               title=None if title is None else _text(title, where, "title"),
                               subtitle=_text(page.get("subtitle"), where, "subtitle"),
                               notes=_text(page.get("notes"), where, "notes"),
                               bbox=bbox, brief=brief))
    return Spec(pages=tuple(parsed), title=raw.get("title"), size=raw.get("size"),
                lang=raw.get("lang"), marking=raw.get("marking"))


def read_spec(path: str | Path) -> Spec:
    """The spec in ``path``: YAML (``.yaml``, ``.yml``) or TOML (``.toml``)."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SpecError(f"{path}: cannot read the spec: {error.strerror or error}") from None
    try:
        if suffix in (".yaml", ".yml"):
            raw = yaml.safe_load(text)
        elif suffix == ".toml":
            raw = tomllib.loads(text)
        else:
            raise SpecError(f"{path}: a spec is a .yaml, .yml or .toml file")
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" (line {mark.line + 1})" if mark else ""
        raise SpecError(f"{path}{line}: not valid YAML: {getattr(error, 'problem', error)}"
                        ) from None
    except tomllib.TOMLDecodeError as error:
        raise SpecError(f"{path}: not valid TOML: {error}") from None
    return parse_spec(raw, path.name)


def region_ids(data: AtlasData) -> tuple[str, ...]:
    """The region ids of the data, in table order."""
    return tuple(data.regions.ids)


def preset_pages(data: AtlasData, preset: str, base: str = "") -> tuple[PageSpec, ...]:
    """The pages of a preset: ``regions`` (the world, then a page per region) or
    ``countries`` (a brief per country with programmes matching ``base``, most programmes
    first)."""
    if preset == "regions":
        query = dict(parse_qsl(base))
        query.pop("regions", None)
        rest = urlencode(query, safe=",")
        offered = Vocabulary.of(data).allowed("regions")
        return (PageSpec(view=rest),
                *(PageSpec(view=merge_query(rest, f"regions={region}")) for region in
                  region_ids(data) if region in offered))
    if preset == "countries":
        view = parse_query(base, Vocabulary.of(data))
        _, counts, _ = matching(data, view)
        if view.filters.regions:
            members = region_countries(data, view.filters.regions)
            counts = {iso3: n for iso3, n in counts.items() if iso3 in members}
        ordered = sorted(counts, key=lambda iso3: (-counts[iso3], data.name(iso3, view.lang)))
        return tuple(PageSpec(view=merge_query(base, f"country={iso3}"), brief=True)
                     for iso3 in ordered)
    raise SpecError(f"unknown preset {preset!r}; choose one of {', '.join(PRESETS)}")


def merge_query(base: str, page: str) -> str:
    """``base`` query with ``page``'s keys added or replacing ``base``'s."""
    merged = dict(parse_qsl(base.lstrip("?"), keep_blank_values=True))
    merged.update(parse_qsl(page.lstrip("?"), keep_blank_values=True))
    return urlencode(merged, safe=",")


@dataclass(frozen=True)
class DeckOptions:
    """What every page of a pack shares."""

    size: str = "16:9"
    scale: int = 1
    lang: str | None = None
    marking: str = ""
    public_url: str = ""
    include: Iterable[str] = INCLUDE_ALL
    vector_map: bool = False
    title: str = ""


def page_view(data: AtlasData, vocabulary: Vocabulary, page: PageSpec, base: str,
              lang: str | None) -> ViewState:
    query = merge_query(base, page.view)
    if lang:
        query = merge_query(query, f"lang={lang}")
    view = parse_query(query, vocabulary)
    if page.brief and not (view.country or view.post):
        raise SpecError(f"a brief page needs country=ISO3 or post=ID in its view: {page.view!r}")
    return view


def build_deck(data: AtlasData, pages: Iterable[PageSpec], fmt: str, options: DeckOptions,
               base: str = "",
               progress: Callable[[int, int], None] | None = None) -> bytes:
    """The pack as ``fmt`` (pptx or pdf) bytes; ``progress(done, total)`` after each page."""
    pages = tuple(pages)
    if fmt not in DECK_FORMATS:
        raise ExportError(f"a pack is {' or '.join(DECK_FORMATS)}, not {fmt!r}")
    if not pages:
        raise SpecError("the pack has no page")
    vocabulary = Vocabulary.of(data)
    views = [page_view(data, vocabulary, page, base, options.lang) for page in pages]
    lang = views[0].lang
    title = describe.clean_text(options.title) or (
        pages[0].title or describe.default_title(data, views[0]))
    total = len(pages)
    if fmt == "pptx":
        presentation = new_presentation(options.size, title, lang, author_of(data))
        for done, (page, view) in enumerate(zip(pages, views, strict=True), start=1):
            page_options = _page_options(page, options)
            on = dated(data, view)  # each page on its own as-of date
            if page.brief:
                add_brief_slide(presentation, on, view, page_options)
            else:
                add_map_slide(presentation, on, view, page_options)
            if progress:
                progress(done, total)
        return presentation_bytes(presentation)
    buffer = io.BytesIO()
    with export_settings():
        with PdfPages(buffer, metadata={"Title": title, "Author": author_of(data),
                                        "Creator": "Atlas", "Producer": "Atlas",
                                        "CreationDate": None}) as pdf:
            for done, (page, view) in enumerate(zip(pages, views, strict=True), start=1):
                page_options = _page_options(page, options)
                on = dated(data, view)  # each page on its own as-of date
                if page.brief:
                    figure_page, _ = brief_page(on, view, page_options)
                else:
                    figure_page = compose(
                        on, view, size=options.size, scale=1, title=page.title,
                        include=options.include, marking=options.marking, bbox=page.bbox,
                        subtitle=page.subtitle,
                        url=view_url(view, options.public_url)).page
                pdf.savefig(figure_page.fig, facecolor="white")
                figure_page.fig.clear()
                if progress:
                    progress(done, total)
    return with_pdf_language(buffer.getvalue(), lang)


def _page_options(page: PageSpec, options: DeckOptions) -> ExportOptions:
    return replace(ExportOptions(), size=options.size, scale=options.scale, title=page.title,
                   include=frozenset(options.include), marking=options.marking,
                   bbox=page.bbox, subtitle=page.subtitle, notes=page.notes,
                   vector_map=options.vector_map, public_url=options.public_url)


def pack_file_stem(data: AtlasData, title: str) -> str:
    """The file name of a pack (without extension) from its title and the data's date."""
    return describe.title_file_stem(data, title)


#: The extent of "the world" (wide enough for :func:`exports.mapdraw.frame_for`'s world).
WORLD_BBOX = (-180.0, -90.0, 180.0, 90.0)
MAX_PACK_BRIEFS = 30


def view_pack_pages(data: AtlasData, view: ViewState, bbox=None,
                    max_briefs: int = MAX_PACK_BRIEFS) -> tuple[PageSpec, ...]:
    """The dashboard's briefing pack for ``view``: the view itself (over ``bbox``), a page per
    selected region, then a brief per country in view with programmes matching the filters
    (most programmes first, at most ``max_briefs``)."""
    query = to_query(replace(view, country=None, post=None, lat=None, lon=None,
                             zoom=None)).lstrip("?")
    pages = [PageSpec(view=to_query(view).lstrip("?"), bbox=bbox)]
    for region in view.filters.regions:
        pages.append(PageSpec(view=merge_query(query, f"regions={region}")))
    scope = scope_for(data, view, bbox) if bbox is not None else None
    in_view = (scope.iso3s if scope is not None and not scope.world and scope.kind == "extent"
               else (region_countries(data, view.filters.regions) if view.filters.regions
                     else None))
    _, counts, _ = matching(data, view)
    chosen = [iso3 for iso3 in counts if in_view is None or iso3 in in_view]
    chosen.sort(key=lambda iso3: (-counts[iso3], data.name(iso3, view.lang)))
    pages += [PageSpec(view=merge_query(query, f"country={iso3}"), brief=True)
              for iso3 in chosen[:max_briefs]]
    return tuple(pages)
