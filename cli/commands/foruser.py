"""``--user NAME`` of ``atlas export``, ``atlas deck`` and ``atlas data diff``: run as that user
of the users file (``ATLAS_USERS_FILE``) would see it, their scope applied to the data before
anything is drawn or written (:mod:`viewmodel.access`). Editors and viewers without a scope see
everything; a user the file does not list is refused."""

from __future__ import annotations

import argparse
import getpass
import logging
from dataclasses import dataclass
from pathlib import Path

from accounts.audit import open_audit, system_clock
from accounts.users import UsersFileError, read_users
from exports.trace import ExportTrace

log = logging.getLogger("atlas.cli")


class UnknownUser(ValueError):
    """``--user`` names nobody in the users file, or no users file is set."""


@dataclass(frozen=True)
class CliUser:
    """Who a command runs for: their name and scope tokens (None: unscoped)."""

    name: str
    scope: tuple[str, ...] | None


def add_user_option(parser: argparse.ArgumentParser) -> None:
    """``--user NAME``."""
    parser.add_argument("--user", default=None, metavar="NAME",
                        help="run as this user of the users file ($ATLAS_USERS_FILE) sees the "
                             "atlas: their scope applies, and exports name them")


def user_of(name: str | None, users_file: str) -> CliUser | None:
    """The user ``--user`` names (None without ``--user``); raises :class:`UnknownUser`."""
    if name is None:
        return None
    if not users_file:
        raise UnknownUser("--user needs the users file: set ATLAS_USERS_FILE")
    try:
        record = read_users(Path(users_file)).get(name)
    except UsersFileError as error:
        raise UnknownUser(str(error)) from error
    if record is None:
        raise UnknownUser(f"no user {name!r} in {users_file}")
    return CliUser(name, None if record.role == "editor" else record.scope)


def export_trace(settings, user: CliUser | None) -> ExportTrace | None:
    """Who the files name as their maker: ``--user``, unless ``ATLAS_EXPORT_TRACE=0`` (the
    time is the system clock's, read here once)."""
    if user is None or not settings.export_trace:
        return None
    return ExportTrace(user.name, system_clock())


def record_export(settings, user: CliUser | None, action: str, **fields) -> None:
    """One event in the audit trail (``ATLAS_AUDIT_LOG``, if set) for a file the command
    wrote, in the name of ``--user`` or else of the account running it."""
    name = user.name if user is not None else getpass.getuser()
    try:
        open_audit(settings.audit_log).record(action, name, source="cli", **fields)
    except OSError as error:
        log.error("could not write the audit trail: %s", error)
