"""The ``atlas`` command line: ``atlas run``, ``atlas validate``..."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from cli.commands import add_lang_option
from cli.commands import audit as audit_command
from cli.commands import data as data_command
from cli.commands import deck as deck_command
from cli.commands import export as export_command
from cli.commands import users as users_command
from dashboard.settings import Settings
from geodata.loading import load_network
from geodata.network import NetworkInvalid
from geodata.summary import format_problems, format_summary, summarize

# Subcommands living in their own module, each exposing ``add_parser(subparsers)``.
COMMAND_MODULES = (export_command, deck_command, users_command, data_command, audit_command)


def _add_data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="data folder of CSV files or an .xlsx workbook "
        "(default: $ATLAS_DATA_DIR, else the shipped demo data)",
    )


def cmd_run(args: argparse.Namespace) -> int:
    """Start the dashboard with Dash's development server (Dash is imported here only:
    the other commands never load it)."""
    from dashboard.app import create_app

    settings = Settings.load(data_dir=args.data, host=args.host, port=args.port, debug=args.debug)
    app = create_app(settings)
    app.run(host=settings.host, port=settings.port, debug=settings.debug)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Load and check the data: print its summary (exit 0) or every problem found (exit 1)."""
    settings = Settings.load(data_dir=args.path or args.data)
    try:
        network = load_network(Path(settings.data_dir), today=settings.current_date())
    except NetworkInvalid as invalid:
        if args.json:
            problems = [problem.as_dict(args.lang) for problem in invalid.problems]
            print(json.dumps(problems, ensure_ascii=False, indent=2))
        else:
            print(format_problems(invalid.problems, str(settings.data_dir), args.lang))
        return 1
    summary = summarize(network)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(format_summary(summary))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="atlas", description="Atlas of the security-cooperation network"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="start the dashboard")
    _add_data_option(run)
    run.add_argument("--host", default=None,
                     help="bind address (default: $ATLAS_HOST or 127.0.0.1)")
    run.add_argument("--port", type=int, default=None, help="port (default: $ATLAS_PORT or 8050)")
    run.add_argument("--debug", action="store_true", default=None, help="Dash debug mode")
    run.set_defaults(func=cmd_run)

    validate = sub.add_parser("validate", help="check the data and print a summary or the problems")
    validate.add_argument(
        "path", nargs="?", type=Path, default=None, metavar="DIR",
        help="data folder or .xlsx workbook (same as --data)",
    )
    _add_data_option(validate)
    validate.add_argument("--json", action="store_true", help="print JSON instead of text")
    add_lang_option(validate)
    validate.set_defaults(func=cmd_validate)

    for command in COMMAND_MODULES:
        command.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``atlas`` console script."""
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
