"""Subcommands of the ``atlas`` command line, each exposing ``add_parser(subparsers)``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

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
