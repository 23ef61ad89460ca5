"""``atlas data``: publish, list and restore the data versions of ``ATLAS_DATA_ROOT``.

    atlas data publish [DIR] [--date YYYY-MM-DD] [--allow-shrink]
                                 # validate DIR (default: ATLAS_DATA_DIR) and serve a copy of
                                 # it, dated --date, else its meta table's date, else today;
                                 # a table losing all or over half its rows needs --allow-shrink
    atlas data list              # every version, newest first; * marks the one served
                                 # (a fallback is said), ! a version whose files changed
    atlas data restore NAME      # serve an earlier version again ("seed": ATLAS_DATA_DIR)

Running servers follow within a second. See :mod:`dataversions.versions` for the folder layout.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date
from pathlib import Path

from cli.commands import add_lang_option, guarded
from dashboard.settings import Settings
from dataversions.versions import DataVersions, UpdatesDisabled, dated_text, update_text
from geodata.countries import load_countries
from geodata.summary import format_problems

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
                                    allow_shrink=args.allow_shrink)
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
        print(f"{mark} {row['version']}  {details}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Serve version ``NAME`` again."""
    versions = _versions(args)
    return _report(versions.restore(args.name, load_countries(), user=getpass.getuser()),
                   args.lang)


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
    add_lang_option(common)
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
    publish.set_defaults(func=guarded(cmd_publish, "data", EXPECTED_ERRORS))
    listing = sub.add_parser("list", parents=[common], help="list the versions")
    listing.set_defaults(func=guarded(cmd_list, "data", EXPECTED_ERRORS))
    restore = sub.add_parser("restore", parents=[common], help="serve an earlier version again")
    restore.add_argument("name", metavar="NAME", help='a version name, or "seed"')
    restore.set_defaults(func=guarded(cmd_restore, "data", EXPECTED_ERRORS))
    return parser
