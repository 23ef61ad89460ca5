"""``atlas users``: manage the users file of access control (``ATLAS_USERS_FILE``).

    atlas users add alice --role editor          # asks for the password twice
    printf '%s\\n' "$PASSWORD" | atlas users add bot --password-stdin
    atlas users add jdupont --role editor --no-password   # single sign-on (proxy header) user
    atlas users add awa --role viewer --scope region:africa,post:SSI-DAKAR   # sees Africa only
    atlas users list
    atlas users remove alice

The file holds salted scrypt hashes only; it is rewritten in one step and readable by its owner
only (mode 0600). A running server sees the change within a second.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from accounts.users import (
    MIN_PASSWORD_LENGTH,
    ROLES,
    UserRejected,
    UsersFileError,
    add_user,
    list_users,
    remove_user,
)
from cli.commands import guarded


class UsageError(Exception):
    """Bad input, reported as ``atlas users: error: ...`` with exit code 2."""


def _users_file(args: argparse.Namespace) -> Path:
    path = args.file or os.environ.get("ATLAS_USERS_FILE")
    if not path:
        raise UsageError("no users file: pass --file PATH or set ATLAS_USERS_FILE")
    return Path(path)


def _read_password(args: argparse.Namespace) -> str | None:
    if args.no_password:
        return None
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(
        f"Password for {args.name} (at least {MIN_PASSWORD_LENGTH} characters): ")
    if getpass.getpass("Same password again: ") != first:
        raise UsageError("the two passwords differ")
    return first


def cmd_add(args: argparse.Namespace) -> int:
    """``atlas users add NAME --role ROLE``."""
    path = _users_file(args)
    if args.scope is not None and args.role == "editor":
        raise UsageError("editors are unscoped: --scope is for viewers only")
    is_new = add_user(path, args.name, args.role, _read_password(args), scope=args.scope)
    scope = f", scope {args.scope}" if args.scope is not None else ""
    print(f"{'added' if is_new else 'updated'} {args.name} ({args.role}{scope}) in {path}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """``atlas users list``."""
    path = _users_file(args)
    rows = list_users(path)
    if not rows:
        print(f"no users in {path}")
    for name, role, has_password, scope in rows:
        seen = "everything" if scope is None else ",".join(scope) or "nothing"
        print(f"{name}\t{role}\t{'password' if has_password else 'single sign-on only'}"
              f"\tscope: {seen}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    """``atlas users remove NAME``."""
    path = _users_file(args)
    if not remove_user(path, args.name):
        raise UsageError(f"no user {args.name!r} in {path}")
    print(f"removed {args.name} from {path}")
    return 0


EXPECTED_ERRORS = (UsageError, UserRejected, UsersFileError)


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``users`` (add, list, remove) on an ``add_subparsers()`` object."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--file", type=Path, default=None, metavar="PATH",
                        help="users file (default: $ATLAS_USERS_FILE)")
    parser = subparsers.add_parser("users", help="manage the users allowed to open the atlas",
                                   description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="users_command", required=True)

    add = sub.add_parser("add", parents=[common], help="add a user, or change their role/password")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", choices=ROLES, default="viewer", help="default: viewer")
    add.add_argument("--scope", default=None, metavar="KIND:ID[,KIND:ID...]",
                     help="viewers only: what the user may see, region:ID, post:POST_ID or "
                          "country:ISO3, several united (e.g. region:africa,post:SSI-DAKAR); "
                          "default: everything")
    source = add.add_mutually_exclusive_group()
    source.add_argument("--password-stdin", action="store_true",
                        help="read the password from the first line of standard input")
    source.add_argument("--no-password", action="store_true",
                        help="single sign-on user (proxy header mode): a role, no password")
    add.set_defaults(func=guarded(cmd_add, "users", EXPECTED_ERRORS))

    listing = sub.add_parser("list", parents=[common], help="list the users and their roles")
    listing.set_defaults(func=guarded(cmd_list, "users", EXPECTED_ERRORS))

    remove = sub.add_parser("remove", parents=[common], help="remove a user")
    remove.add_argument("name", metavar="NAME")
    remove.set_defaults(func=guarded(cmd_remove, "users", EXPECTED_ERRORS))
    return parser
