"""Subcommands of the ``atlas`` command line, each exposing ``add_parser(subparsers)``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from geodata.i18n import LANGS

EXIT_BAD_INPUT = 2


def guarded(command: Callable[[argparse.Namespace], int], name: str,
            errors: tuple[type[Exception], ...]) -> Callable[[argparse.Namespace], int]:
    """``command`` with the expected ``errors`` printed as ``atlas NAME: error: ...`` (exit 2)
    instead of a traceback."""

    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except errors as error:
            print(f"atlas {name}: error: {error}", file=sys.stderr)
            return EXIT_BAD_INPUT

    return run


def add_lang_option(parser: argparse.ArgumentParser,
                    what: str = "the problem messages") -> None:
    """``--lang fr|en``: the language of ``what`` (English by default, the stable form for
    scripts)."""
    parser.add_argument("--lang", choices=LANGS, default="en",
                        help=f"language of {what} (default: en)")
