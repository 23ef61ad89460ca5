"""``atlas data``: publish, list and restore the data versions of ``ATLAS_DATA_ROOT``.

    atlas data publish [DIR] [--date YYYY-MM-DD] [--name "Comité du 15 septembre"]
                       [--allow-shrink]
                                 # validate DIR (default: ATLAS_DATA_DIR) and serve a copy of
                                 # it, dated --date, else its meta table's date, else today;
                                 # --name gives the version a name people can use; a table
                                 # losing all or over half its rows needs --allow-shrink
    atlas data list              # every version, newest first; * marks the one served
                                 # (a fallback is said), ! a version whose files changed
    atlas data restore NAME      # serve an earlier version again ("seed": ATLAS_DATA_DIR)
    atlas data diff OLD NEW [--json] [--lang fr|en] [--user NAME]
                                 # what changed from OLD to NEW: programmes, coverage, posts,
                                 # budget; each a version (its name, the name given at
                                 # publish, or "seed") or a data folder / workbook

A version is named by its own name (``20260514T101502.048213Z-3f2a1c``), by ``seed``, or by
the name given at publish (the newest version carrying it).

Running servers follow within a second. See :mod:`dataversions.versions` for the folder layout.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import date
from pathlib import Path

from cli.commands import add_lang_option, guarded
from cli.commands.foruser import add_user_option, user_of
from dashboard.settings import Settings
from dataversions.versions import DataVersions, UpdatesDisabled, dated_text, update_text
from geodata.countries import load_countries
from geodata.diff import changelog, network_diff
from geodata.i18n import format_day, t
from geodata.loading import load_network
from geodata.network import NetworkInvalid
from geodata.regions import region_sets
from geodata.summary import format_problems
from viewmodel.access import countries_of_scope, scope_network

EXIT_INVALID = 1


def _versions(args: argparse.Namespace) -> DataVersions:
    settings = Settings.load(data_dir=getattr(args, "path", None), data_root=args.root)
    versions = DataVersions(settings)
    if not versions.enabled:
        raise UpdatesDisabled("no data root: pass --root DIR or set ATLAS_DATA_ROOT")
    return versions


def _report(outcome, lang: str = "en") -> int:
    if outcome.ok:
        figures = outcome.as_dict()["counts"]
        print(f"now serving version {outcome.version}: "
              + ", ".join(f"{key} {value}" for key, value in figures.items()))
        dated = dated_text(outcome, lang)
        if dated:
            print(dated)
        if outcome.shrank:
            print(update_text("shrank", lang, tables=_shrank_text(outcome.shrank)))
        return 0
    print(format_problems(list(outcome.problems), "the update", lang), file=sys.stderr)
    if outcome.needs_confirmation:
        print("to publish it anyway, run the same command with --allow-shrink", file=sys.stderr)
    print(f"nothing changed: still serving {outcome.version}", file=sys.stderr)
    return EXIT_INVALID


def _shrank_text(shrank) -> str:
    return ", ".join(f"{table} {before} → {after}" for table, before, after in shrank)


def cmd_publish(args: argparse.Namespace) -> int:
    """Validate the data folder and make a copy of it the current version."""
    versions = _versions(args)
    outcome = versions.publish_seed(load_countries(), user=getpass.getuser(), data_date=args.date,
                                    allow_shrink=args.allow_shrink, label=args.name)
    return _report(outcome, args.lang)


def cmd_list(args: argparse.Namespace) -> int:
    """Print every version, newest first; a fallback is said first."""
    versions = _versions(args)
    _, notice = versions.effective()
    if notice is not None:
        print(f"! {notice.text(args.lang)}")
    for row in versions.listing():
        mark = "*" if row["current"] else ("!" if row.get("damaged") else " ")
        counts = row.get("counts") or {}
        dated = f", data as of {row['data_date']}" if row.get("data_date") else ""
        details = (f"{row.get('action', '')} by {row.get('user', '?')}, "
                   f"{counts.get('programmes', '?')} programmes{dated}"
                   if row["version"] != "seed"
                   else row.get("source", ""))
        if row.get("damaged"):
            details += " (files changed since published: not served)"
        named = f"  \"{row['name']}\"" if row.get("name") else ""
        print(f"{mark} {row['version']}{named}  {details}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Serve version ``NAME`` again."""
    versions = _versions(args)
    name = versions.resolve(args.name) or args.name
    return _report(versions.restore(name, load_countries(), user=getpass.getuser()),
                   args.lang)


def _side(text: str, versions: DataVersions | None, countries, settings: Settings):
    """The network a diff side names (a data folder or workbook, else a version) and how the
    changelog calls it."""
    path = Path(text)
    if path.exists():
        return load_network(path, countries, today=settings.current_date()), str(path)
    if versions is None:
        raise ValueError(f"{text!r} is neither a data folder nor a workbook (and no data root "
                         "is set to look it up as a version: pass --root DIR or set "
                         "ATLAS_DATA_ROOT)")
    name = versions.resolve(text)
    if name is None:
        raise ValueError(f"no version or data folder named {text!r}; see atlas data list")
    label = versions.meta(name).get("name") or name
    return versions.load(name, countries), label


def _dated_label(label: str, network, lang: str) -> str:
    if network.data_date is None:
        return label
    return t("diff.dated", lang).format(label=label, date=format_day(network.data_date, lang))


def cmd_diff(args: argparse.Namespace) -> int:
    """Print what changed from OLD to NEW (JSON with --json, else a changelog)."""
    settings = Settings.load(data_root=args.root)
    versions = DataVersions(settings) if settings.data_root else None
    countries = load_countries()
    sides = []
    for text in (args.old, args.new):
        try:
            sides.append(_side(text, versions, countries, settings))
        except NetworkInvalid as invalid:
            print(format_problems(list(invalid.problems), text, args.lang), file=sys.stderr)
            return EXIT_INVALID
    (old, old_label), (new, new_label) = sides
    user = user_of(args.user, settings.users_file)
    if user is not None and user.scope is not None:
        # the scope as the newer side resolves it, applied to both sides
        keep = countries_of_scope(user.scope, known=frozenset(countries["iso3"]),
                                  regions=region_sets(countries, new.regions),
                                  coverage=new.coverage)
        old, new = scope_network(old, keep), scope_network(new, keep)
    diff = network_diff(old, new)
    if args.json:
        print(json.dumps(diff, ensure_ascii=False, indent=2))
        return 0
    names = dict(zip(countries["iso3"], zip(countries["name_fr"], countries["name_en"],
                                             strict=True), strict=True))

    def name(iso3: str, lang: str) -> str:
        fr, en = names.get(iso3, (iso3, iso3))
        return en if lang == "en" else fr

    print(changelog(diff, old, new, args.lang, old_label=_dated_label(old_label, old, args.lang),
                    new_label=_dated_label(new_label, new, args.lang), names=name), end="")
    return 0


EXPECTED_ERRORS = (UpdatesDisabled, ValueError, OSError)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``data`` (publish, list, restore) on an ``add_subparsers()`` object."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=None, metavar="DIR",
                        help="data root (default: $ATLAS_DATA_ROOT)")
    add_lang_option(common, "the messages and of the diff's changelog")
    parser = subparsers.add_parser("data", help="publish, list and restore data versions",
                                   description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="data_command", required=True)
    publish = sub.add_parser("publish", parents=[common],
                             help="validate a data folder and serve a copy of it")
    publish.add_argument("path", nargs="?", type=Path, default=None, metavar="DIR",
                         help="data folder or .xlsx workbook (default: $ATLAS_DATA_DIR)")
    publish.add_argument("--date", type=_iso_date, default=None, metavar="YYYY-MM-DD",
                         help="the date the data describes, recorded with the version "
                              "(default: the meta table's data_date, else the publish day)")
    publish.add_argument("--allow-shrink", action="store_true",
                         help="publish even if a table loses all its rows or more than half")
    publish.add_argument("--name", default=None, metavar="TEXT",
                         help='a name for the version ("Comité du 15 septembre"), usable '
                              "wherever a version is named")
    publish.set_defaults(func=guarded(cmd_publish, "data", EXPECTED_ERRORS))
    listing = sub.add_parser("list", parents=[common], help="list the versions")
    listing.set_defaults(func=guarded(cmd_list, "data", EXPECTED_ERRORS))
    restore = sub.add_parser("restore", parents=[common], help="serve an earlier version again")
    restore.add_argument("name", metavar="NAME", help='a version name, or "seed"')
    restore.set_defaults(func=guarded(cmd_restore, "data", EXPECTED_ERRORS))
    diff = sub.add_parser("diff", parents=[common],
                          help="what changed between two versions or data folders")
    diff.add_argument("old", metavar="OLD", help="a version (name, given name or seed) or a "
                                                 "data folder")
    diff.add_argument("new", metavar="NEW", help="the same, for the newer side")
    diff.add_argument("--json", action="store_true",
                      help="print the changes as JSON (programmes, coverage, posts, "
                           "budget_delta_eur)")
    add_user_option(diff)
    diff.set_defaults(func=guarded(cmd_diff, "data", EXPECTED_ERRORS))
    return parser
