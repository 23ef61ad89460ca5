"""``atlas export``: the map (PNG, SVG, PDF, PowerPoint) or the matching programmes (CSV, Excel)
for a view given with the same comma-separated values as the URL keys, e.g.

    atlas export --format png,pdf --out exports/ --mode programmes --themes drugs --years 2020-2026

The filter options are those of :data:`viewmodel.filters.FILTERS` (one ``--KEY`` per URL key),
read by each filter's own codec, so they mean exactly what they mean in a shared link; values
the data does not know are refused (exit code 2) rather than silently dropped.
``--country`` frames a country and its neighbours with that country's figures (and, for
CSV/Excel, keeps its programmes only); ``--brief`` makes its one-page brief instead.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

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
from exports.brief import BRIEF_FORMATS, brief_title, render_brief
from exports.formats.base import INCLUDE_ALL, ExportFormat, ExportOptions, Kind
from exports.formats.registry import (
    UnknownFormat,
    format_ids,
    is_extension,
    parse_format_list,
)
from exports.mapdraw import BadBbox, ExportError, parse_bbox
from exports.page import SIZES
from exports.trace import traced
from geodata.countries import load_countries
from geodata.loading import load_network
from geodata.network import NetworkInvalid
from viewmodel.access import scope_countries, scoped_data, scoped_source
from viewmodel.asof import dated
from viewmodel.data import build_atlas_data
from viewmodel.filters import FILTERS, filter_state, known_ids
from viewmodel.store import DataStore
from viewmodel.urlstate import (
    LAYER_NAMES,
    METRICS,
    MODES,
    ViewState,
    parse_post,
    parse_since,
    to_query,
)

EXIT_BAD_INPUT = 2
EXIT_BAD_DATA = 1


class UsageError(Exception):
    """Bad command-line input, reported as ``atlas export: error: ...`` with exit code 2."""


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``export`` on an ``add_subparsers()`` object and return its parser."""
    parser = subparsers.add_parser(
        "export", help=f"export the map ({', '.join(format_ids(Kind.SNAPSHOT))}) or the "
                       f"programmes ({', '.join(format_ids(Kind.TABLE))})",
        description=__doc__.split("\n\n")[0],
    )
    parser.add_argument("--format", required=True, metavar="FMT[,FMT...]",
                        help=f"one or more of {', '.join(format_ids())}, comma-separated")
    parser.add_argument("--out", required=True, metavar="PATH",
                        help="output file; with several formats a folder or a file stem")
    parser.add_argument("--data", type=Path, default=None,
                        help="data folder or .xlsx workbook (default: the version served "
                             "from $ATLAS_DATA_ROOT, else $ATLAS_DATA_DIR, else the demo data)")
    filters = add_filter_options(parser, "view (same values as the URL keys)")
    filters.add_argument("--layers", default=None, metavar="A,B",
                         help=f"overlays among {','.join(LAYER_NAMES)} (default: both; '' for "
                              "none)")
    filters.add_argument("--mode", choices=MODES, default=None)
    filters.add_argument("--since", default=None, metavar="VERSION_OR_DATE",
                         help="changes mode: the baseline, a data version (its name or the "
                              "name given at publish, demo-previous for the demo) or a date")
    filters.add_argument("--metric", choices=METRICS, default=None)
    filters.add_argument("--country", default=None, metavar="ISO3",
                         help="country framed with its neighbours, with its figures; for "
                              "csv/xlsx, its programmes only")
    filters.add_argument("--post", default=None, metavar="POST_ID",
                         help="post whose countries are outlined (e.g. SSI-DAKAR)")
    filters.add_argument("--lang", choices=("fr", "en"), default=None)
    filters.add_argument("--bbox", default=None, metavar="W,S,E,N",
                         help="extent in degrees (default: the world); write --bbox=-20,0,15,25 "
                              "when it starts with a minus sign")
    add_user_option(parser)
    page = parser.add_argument_group("page")
    page.add_argument("--title", default=None, help="default: derived from the filters")
    page.add_argument("--size", choices=tuple(SIZES), default="16:9")
    page.add_argument("--scale", type=int, choices=(1, 2), default=1,
                      help="2 doubles the pixels of a PNG")
    page.add_argument("--marking", default=None,
                      help="protective marking (default: $ATLAS_EXPORT_MARKING)")
    page.add_argument("--subtitle", default="", help="a line under the title")
    page.add_argument("--notes", default="", help="speaker notes (PowerPoint)")
    page.add_argument("--brief", action="store_true",
                      help="a country brief (with --country) or a post brief (with --post), "
                           "as pptx, pdf or png")
    page.add_argument("--vector-map", action="store_true",
                      help="PowerPoint: the map as native shapes, one named shape per country")
    page.add_argument("--no-legend", action="store_true")
    page.add_argument("--no-kpis", action="store_true")
    page.add_argument("--no-filters", action="store_true")
    parser.set_defaults(func=run)
    return parser


def add_filter_options(parser: argparse.ArgumentParser, title: str):
    """One ``--KEY`` option per filter of the registry, in a group named ``title`` (returned,
    for the command's other view options)."""
    group = parser.add_argument_group(title)
    for spec in FILTERS:
        group.add_argument(f"--{spec.key}", default=None, help=spec.cli_help,
                           metavar="FROM-TO" if spec.widget == "range" else "A,B")
    return group


def load_served_data(args: argparse.Namespace, settings: Settings, command: str):
    """The :class:`AtlasData` a command works on (see :func:`_served_network`), or None after
    printing every problem of invalid data as ``atlas COMMAND: ...``."""
    countries = load_countries()
    try:
        network = _served_network(settings, countries, given=args.data is not None)
    except NetworkInvalid as invalid:
        print(f"atlas {command}: the data in {settings.data_dir} is invalid:", file=sys.stderr)
        for problem in invalid.problems:
            print(f"  {problem.located(args.lang or 'en')}", file=sys.stderr)
        return None
    return build_atlas_data(network, countries)


def parse_formats(text: str) -> list[ExportFormat]:
    """``"png,pdf"`` as registered formats; raises :class:`UsageError` otherwise."""
    try:
        return parse_format_list(text)
    except UnknownFormat as error:
        raise UsageError(str(error)) from None


def output_paths(out: str | Path, formats: list[ExportFormat],
                 stem: str) -> dict[ExportFormat, Path]:
    """Where each format goes: ``out`` itself for one format (its extension added when ``out``
    has no suffix); for several, ``out/<stem>.<ext>`` when ``out`` is a folder (existing or
    written with a trailing slash), else ``<out without suffix>.<ext>``."""
    as_folder = str(out).endswith(("/", "\\")) or Path(out).is_dir()
    out = Path(out)
    if as_folder:
        return {fmt: out / fmt.file_name(stem) for fmt in formats}
    if len(formats) == 1:
        only = formats[0]
        return {only: out if out.suffix else out.with_suffix(f".{only.extension}")}
    base = out.with_suffix("") if is_extension(out.suffix) else out
    return {fmt: base.parent / fmt.file_name(base.name) for fmt in formats}


def view_from_args(args: argparse.Namespace, vocabulary) -> ViewState:
    """The view the options ask for, each filter read by its declared codec; unknown values
    raise :class:`UsageError` naming them and the accepted ones."""
    chosen = {}
    for spec in FILTERS:
        text = getattr(args, spec.key)
        allowed = vocabulary.allowed(spec.key)
        unknown = spec.unknown(text, allowed)
        if unknown and spec.widget == "range":
            raise UsageError(f"--{spec.key} must be a year or a range like 2020-2026, "
                             f"got {text!r}")
        if unknown and spec.widget == "date":
            raise UsageError(f"--{spec.key} must be a date like 2022-06-30, got {text!r}")
        if unknown:
            accepted = sorted(allowed) + ([spec.all_word] if spec.all_word else [])
            raise UsageError(f"unknown {spec.key} {', '.join(unknown)}; "
                             f"choose among {', '.join(accepted)}")
        chosen[spec.key] = spec.parse(text, allowed)
    layers = LAYER_NAMES
    if args.layers is not None:
        unknown = [name.strip() for name in args.layers.split(",")
                   if name.strip() and name.strip() not in LAYER_NAMES]
        if unknown:
            raise UsageError(f"unknown layers {', '.join(unknown)}; "
                             f"choose among {', '.join(LAYER_NAMES)}")
        layers = known_ids(args.layers, LAYER_NAMES)
    post = parse_post(args.post, vocabulary.posts)
    if args.post and post is None:
        raise UsageError(f"unknown post {args.post!r}; give a post id such as SSI-DAKAR")
    country = (args.country or "").strip().upper() or None
    if country and country not in vocabulary.countries and not post:
        raise UsageError(f"unknown country {args.country!r}; give an ISO 3166-1 alpha-3 code")
    defaults = ViewState()
    return ViewState(filters=filter_state(chosen), mode=args.mode or defaults.mode,
                     metric=args.metric or defaults.metric, layers=layers,
                     country=None if post else country, post=post,
                     lang=args.lang or defaults.lang,
                     since=parse_since(getattr(args, "since", None)))  # atlas deck has none


def run(args: argparse.Namespace) -> int:
    """Write the requested files; print their paths. Exit 0, 1 (data invalid) or 2 (input)."""
    try:
        return _run(args)
    except UsageError as error:
        print(f"atlas export: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _run(args: argparse.Namespace) -> int:
    formats = parse_formats(args.format)
    try:
        bbox = parse_bbox(args.bbox) if args.bbox else None
    except BadBbox as error:
        raise UsageError(str(error)) from None
    settings = Settings.load(data_dir=args.data)
    try:
        user = user_of(args.user, settings.users_file)
    except UnknownUser as error:
        raise UsageError(str(error)) from None
    full = load_served_data(args, settings, "export")
    if full is None:
        return EXIT_BAD_DATA
    data = traced(for_user(full, user, args), export_trace(settings, user))
    view = view_from_args(args, DataStore(data).vocabulary())
    baselines = Baselines(DataVersions(settings), full.countries, demo=full.network.is_demo)
    data = dated(replace(data, baselines=scoped_source(baselines, data)),
                 view)  # statuses and posts on --asof (default: the data's date)
    marking = settings.export_marking if args.marking is None else args.marking
    include = set(INCLUDE_ALL) - {part for part, off in (
        ("legend", args.no_legend), ("kpis", args.no_kpis), ("filters", args.no_filters)) if off}
    options = ExportOptions(size=args.size, scale=args.scale, title=args.title,
                            include=frozenset(include), marking=marking, bbox=bbox,
                            country=view.country, subtitle=args.subtitle, notes=args.notes,
                            vector_map=args.vector_map, public_url=settings.public_url)
    if args.brief:
        if not (view.country or view.post):
            raise UsageError("--brief needs --country ISO3 or --post POST_ID")
        wrong = [fmt.id for fmt in formats if fmt.id not in BRIEF_FORMATS]
        if wrong:
            raise UsageError(f"a brief is {', '.join(BRIEF_FORMATS)}, not {', '.join(wrong)}")
        stem = describe.title_file_stem(data, brief_title(data, view, args.title))
    else:
        stem = describe.file_stem(data, view, args.title)
    paths = output_paths(args.out, formats, stem)
    for fmt, path in paths.items():
        try:
            content = (render_brief(data, view, options, fmt.id) if args.brief
                       else fmt.write(data, view, options))
        except ExportError as error:
            raise UsageError(str(error)) from None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        except OSError as error:
            raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
        record_export(settings, user, "export", format=fmt.id,
                      what="brief" if args.brief else
                      ("table" if fmt.kind == Kind.TABLE else "page"),
                      view=to_query(view), size=len(content), file=path.name)
        print(path)
    return 0


def for_user(data, user, args: argparse.Namespace):
    """``data`` as ``user`` (``--user``) sees it; a ``--country`` or ``--post`` out of their
    scope is refused."""
    if user is None or user.scope is None:
        return data
    scoped = scoped_data(data, scope_countries(user.scope, data))
    country = (getattr(args, "country", None) or "").strip().upper()
    post = (getattr(args, "post", None) or "").strip()
    if country and country in data.names and country not in scoped.scope:
        raise UsageError(f"country {country} is outside the scope of {user.name}")
    if post and post in set(data.network.posts["post_id"]) and post not in set(
            scoped.network.posts["post_id"]):
        raise UsageError(f"post {post} is outside the scope of {user.name}")
    return scoped


def _served_network(settings, countries, *, given: bool):
    """The data the dashboard serves: the current published version when ``ATLAS_DATA_ROOT``
    is set and no ``--data`` was given, else the data folder."""
    if settings.data_root and not given:
        return DataVersions(settings).load_current(countries)[1]
    return load_network(Path(settings.data_dir), countries, today=settings.current_date())


def main(argv: list[str] | None = None) -> int:
    """Run ``export`` alone (``python -m cli.commands.export ...``), for tests and use
    before the subcommand is wired into ``atlas``."""
    parser = argparse.ArgumentParser(prog="atlas")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["export", *(sys.argv[1:] if argv is None else argv)])
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
