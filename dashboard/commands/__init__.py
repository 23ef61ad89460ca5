"""Subcommands of the ``atlas`` command line, each exposing ``add_parser(subparsers)``."""
