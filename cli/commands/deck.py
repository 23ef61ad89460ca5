"""``atlas deck``: a briefing pack, many pages in one PowerPoint (one slide per page) or PDF
(one page per page), from a spec file or a preset, e.g.

    atlas deck --spec pack.yaml --out pack.pptx
    atlas deck --preset regions --out regions.pdf --themes drugs
    atlas deck --preset countries --regions africa --out africa.pptx

The spec (YAML or TOML, by its extension) lists pages, each a view as a URL query string plus
an optional title, subtitle, notes, bbox and ``brief: true`` (see ``docs/export.md``). The
filter options (one ``--KEY`` per URL key) apply to every page; a page's own keys win.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlencode

from cli.commands.export import (
    EXIT_BAD_DATA,
    EXIT_BAD_INPUT,
    UsageError,
    add_filter_options,
    for_user,
    load_served_data,
    view_from_args,
)
from cli.commands.foruser import (
    UnknownUser,
    add_user_option,
    export_trace,
    record_export,
    user_of,
)
from dashboard.settings import Settings
from dataversions.baselines import Baselines
from dataversions.versions import DataVersions
from exports import describe
from exports.deck import (
    DECK_FORMATS,
    PRESETS,
    DeckOptions,
    SpecError,
    build_deck,
    preset_pages,
    read_spec,
)
from exports.formats.base import INCLUDE_ALL
from exports.mapdraw import ExportError
from exports.page import SIZES
from exports.trace import traced
from viewmodel.access import scoped_source
from viewmodel.filters import FILTERS, chosen_values
from viewmodel.store import DataStore


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``deck`` on an ``add_subparsers()`` object and return its parser."""
    parser = subparsers.add_parser("deck", help="a briefing pack (pptx or pdf) from a spec or "
                                                "a preset", description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--spec", type=Path, metavar="FILE",
                        help="pages to make (.yaml, .yml or .toml)")
    source.add_argument("--preset", choices=PRESETS,
                        help="regions: the world then a page per region; countries: a brief "
                             "per country with matching programmes")
    parser.add_argument("--out", required=True, metavar="FILE.pptx|FILE.pdf",
                        help="the pack; a folder names it from its title and the data date")
    parser.add_argument("--format", choices=DECK_FORMATS, default=None,
                        help="default: from --out's extension")
    parser.add_argument("--data", type=Path, default=None,
                        help="data folder or .xlsx workbook (default: as atlas export)")
    filters = add_filter_options(parser, "filters for every page (same values as the URL keys)")
    filters.add_argument("--mode", choices=("coverage", "programmes"), default=None)
    filters.add_argument("--metric", choices=("count", "budget"), default=None)
    filters.add_argument("--lang", choices=("fr", "en"), default=None)
    add_user_option(parser)
    page = parser.add_argument_group("pages")
    page.add_argument("--title", default=None, help="the pack's title (file properties)")
    page.add_argument("--size", choices=tuple(SIZES), default=None)
    page.add_argument("--marking", default=None,
                      help="protective marking (default: $ATLAS_EXPORT_MARKING)")
    page.add_argument("--vector-map", action="store_true",
                      help="PowerPoint: maps as native shapes, one per country")
    parser.set_defaults(func=run)
    return parser


def base_query(args: argparse.Namespace, vocabulary) -> str:
    """The filter options as a URL query string (checked by each filter's codec)."""
    for key in ("layers", "country", "post", "bbox"):
        setattr(args, key, None)
    view = view_from_args(args, vocabulary)
    chosen = chosen_values(view.filters)
    pairs = [(spec.key, text) for spec in FILTERS
             if getattr(args, spec.key) is not None
             and (text := spec.print(chosen[spec.key])) is not None]
    if args.mode:
        pairs.append(("mode", args.mode))
    if args.metric:
        pairs.append(("metric", args.metric))
    return urlencode(pairs, safe=",")


def run(args: argparse.Namespace) -> int:
    """Write the pack; print its path and page count. Exit 0, 1 (data invalid) or 2 (input)."""
    try:
        return _run(args)
    except (UsageError, SpecError, ExportError) as error:
        print(f"atlas deck: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    as_folder = str(args.out).endswith(("/", "\\")) or out.is_dir()
    fmt = args.format or (out.suffix.lower().lstrip(".") if not as_folder else "pptx")
    if fmt not in DECK_FORMATS:
        raise UsageError(f"--out must end in .pptx or .pdf (or give --format), got {out.name!r}")
    spec = read_spec(args.spec) if args.spec else None
    settings = Settings.load(data_dir=args.data)
    try:
        user = user_of(args.user, settings.users_file)
    except UnknownUser as error:
        raise UsageError(str(error)) from None
    full = load_served_data(args, settings, "deck")
    if full is None:
        return EXIT_BAD_DATA
    data = traced(for_user(full, user, args), export_trace(settings, user))
    # A page in the changes mode finds its baseline (a version, demo-previous) as the export does.
    baselines = Baselines(DataVersions(settings), full.countries, demo=full.network.is_demo)
    data = replace(data, baselines=scoped_source(baselines, data))
    base = base_query(args, DataStore(data).vocabulary())
    pages = spec.pages if spec else preset_pages(data, args.preset, base)
    if not pages:
        raise UsageError("no page to make: no country has programmes matching the filters")
    marking = (args.marking if args.marking is not None
               else (spec.marking if spec and spec.marking is not None
                     else settings.export_marking))
    size = args.size or (spec.size if spec and spec.size else "16:9")
    if size not in SIZES:
        raise UsageError(f"unknown size {size!r}; choose one of {', '.join(SIZES)}")
    title = args.title or (spec.title if spec and spec.title else "")
    options = DeckOptions(size=size, lang=args.lang or (spec.lang if spec else None),
                          marking=marking or "", public_url=settings.public_url,
                          include=INCLUDE_ALL, vector_map=args.vector_map,
                          title=title or "")
    content = build_deck(data, pages, fmt, options, base=base)
    if as_folder:
        stem_title = title or pages[0].title or args.preset or "atlas"
        out = out / f"{describe.title_file_stem(data, stem_title)}.{fmt}"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(content)
    except OSError as error:
        raise UsageError(f"cannot write {out}: {error.strerror or error}") from None
    record_export(settings, user, "pack", format=fmt, what="pack", view=base, size=len(content),
                  file=out.name, pages=len(pages))
    print(f"{out} ({len(pages)} pages)")
    return 0
