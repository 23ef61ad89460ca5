"""``atlas data``: publish, list and restore the data versions of ``ATLAS_DATA_ROOT``.

    atlas data publish [DIR]     # validate DIR (default: ATLAS_DATA_DIR) and serve a copy of it
    atlas data list              # every version, newest first; * marks the one served
    atlas data restore NAME      # serve an earlier version again ("seed": ATLAS_DATA_DIR)

Running servers follow within a second. See :mod:`dashboard.reload` for the folder layout.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from dashboard.commands import add_lang_option, guarded
from dashboard.reload import DataVersions, UpdatesDisabled
from dashboard.settings import Settings

EXIT_INVALID = 1


def _versions(args: argparse.Namespace) -> DataVersions:
    settings = Settings.load(data_dir=getattr(args, "path", None), data_root=args.root)
    versions = DataVersions(settings)
    if not versions.enabled:
        raise UpdatesDisabled("no data root: pass --root DIR or set ATLAS_DATA_ROOT")
    return versions


def _report(outcome, lang: str = "en") -> int:
    from geodata.summary import format_problems

    if outcome.ok:
        figures = outcome.as_dict()["counts"]
        print(f"now serving version {outcome.version}: "
              + ", ".join(f"{key} {value}" for key, value in figures.items()))
        return 0
    print(format_problems(list(outcome.problems), "the update", lang), file=sys.stderr)
    print(f"nothing changed: still serving {outcome.version}", file=sys.stderr)
    return EXIT_INVALID


def cmd_publish(args: argparse.Namespace) -> int:
    """Validate the data folder and make a copy of it the current version."""
    from geodata.countries import load_countries

    versions = _versions(args)
    return _report(versions.publish_seed(load_countries(), user=getpass.getuser()), args.lang)


def cmd_list(args: argparse.Namespace) -> int:
    """Print every version, newest first."""
    for row in _versions(args).listing():
        mark = "*" if row["current"] else " "
        counts = row.get("counts") or {}
        details = (f"{row.get('action', '')} by {row.get('user', '?')}, "
                   f"{counts.get('programmes', '?')} programmes" if row["version"] != "seed"
                   else row.get("source", ""))
        print(f"{mark} {row['version']}  {details}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Serve version ``NAME`` again."""
    from geodata.countries import load_countries

    versions = _versions(args)
    return _report(versions.restore(args.name, load_countries(), user=getpass.getuser()),
                   args.lang)


EXPECTED_ERRORS = (UpdatesDisabled, ValueError)


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
    publish.set_defaults(func=guarded(cmd_publish, "data", EXPECTED_ERRORS))
    listing = sub.add_parser("list", parents=[common], help="list the versions")
    listing.set_defaults(func=guarded(cmd_list, "data", EXPECTED_ERRORS))
    restore = sub.add_parser("restore", parents=[common], help="serve an earlier version again")
    restore.add_argument("name", metavar="NAME", help='a version name, or "seed"')
    restore.set_defaults(func=guarded(cmd_restore, "data", EXPECTED_ERRORS))
    return parser
