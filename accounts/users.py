"""The users file of access control, without Flask: read and write it, add, list and remove
users, hash passwords (salted scrypt, ``werkzeug.security``). ``dashboard.auth`` checks requests
against it; ``atlas users`` edits it.

The file (JSON, mode 0600, rewritten in one step; no password in clear anywhere)::

    {"users": {"alice": {"role": "editor", "password_hash": "scrypt:32768:8:1$..."},
               "awa": {"role": "viewer", "password_hash": "...",
                       "scope": ["region:africa", "post:SSI-DAKAR"]}}}

A viewer's ``scope`` (optional) limits what they see (:mod:`accounts.scopes`); editors are
unscoped.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from werkzeug.security import generate_password_hash

from accounts.scopes import ScopeRejected, parse_scope

ROLES = ("viewer", "editor")
USER_NAME = re.compile(r"^[A-Za-z0-9._@+-]{1,64}$")
MIN_PASSWORD_LENGTH = 8


class UserRejected(ValueError):
    """A user name, role or password the users file does not take."""


@dataclass(frozen=True)
class UserRecord:
    """One entry of the users file (``password_hash`` is empty for single sign-on users)."""

    role: str
    password_hash: str = ""
    #: The scope tokens of a viewer (``("region:africa", "post:SSI-DAKAR")``); None: unscoped.
    scope: tuple[str, ...] | None = None


class UsersFileError(ValueError):
    """The users file cannot be read or is malformed."""


def read_users(path: Path) -> dict[str, UserRecord]:
    """The users of ``path`` (an empty dict when the file does not exist yet)."""
    try:
        content = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise UsersFileError(f"{path}: cannot be read as JSON ({error})") from error
    entries = content.get("users") if isinstance(content, dict) else None
    if not isinstance(entries, dict):
        raise UsersFileError(f"{path}: expected {{\"users\": {{name: {{role, password_hash}}}}}}")
    users = {}
    for name, entry in entries.items():
        if not isinstance(entry, dict) or entry.get("role") not in ROLES:
            raise UsersFileError(f"{path}: user {name!r} needs a role among {', '.join(ROLES)}")
        scope = entry.get("scope")
        if scope is not None:
            try:
                scope = parse_scope(scope)
            except ScopeRejected as error:
                raise UsersFileError(f"{path}: user {name!r}: {error}") from error
        users[name] = UserRecord(role=entry["role"], password_hash=entry.get("password_hash", ""),
                                 scope=scope if entry["role"] != "editor" else None)
    return users


def write_users(path: Path, users: dict[str, UserRecord]) -> None:
    """Write the users file in one step (temp file + ``os.replace``), readable by its owner only."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    content = {"users": {name: _entry(record) for name, record in sorted(users.items())}}
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            os.fchmod(out.fileno(), 0o600)
            json.dump(content, out, indent=2, ensure_ascii=False)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _entry(record: UserRecord) -> dict:
    entry = {"role": record.role, "password_hash": record.password_hash}
    if record.scope is not None:
        entry["scope"] = list(record.scope)
    return entry


def hash_password(password: str) -> str:
    """A salted scrypt hash of ``password``."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    return generate_password_hash(password, method="scrypt")


def valid_user_name(name: str) -> bool:
    """Letters, digits and ``. _ @ + -``, 1 to 64 characters (no colon: Basic auth splits on it)."""
    return bool(USER_NAME.match(name))


def add_user(path: Path, name: str, role: str, password: str | None,
             scope: str | None = None) -> bool:
    """Add ``name`` (or replace their role, password and scope); True when the user is new.

    ``password=None`` makes a single sign-on user, who cannot log in with a password.
    ``scope`` (``"region:africa,post:SSI-DAKAR"``, viewers only) limits what they see.
    """
    if not valid_user_name(name):
        raise UserRejected(f"invalid user name {name!r}: use letters, digits and . _ @ + -")
    if role not in ROLES:
        raise UserRejected(f"unknown role {role!r}: choose among {', '.join(ROLES)}")
    if scope is not None and role == "editor":
        raise UserRejected("editors are unscoped: a scope is for viewers only")
    try:
        tokens = None if scope is None else parse_scope(scope)
    except ScopeRejected as error:
        raise UserRejected(str(error)) from error
    try:
        password_hash = "" if password is None else hash_password(password)
    except ValueError as error:
        raise UserRejected(str(error)) from error
    users = read_users(path)
    is_new = name not in users
    users[name] = UserRecord(role=role, password_hash=password_hash, scope=tokens)
    write_users(path, users)
    return is_new


def remove_user(path: Path, name: str) -> bool:
    """Remove ``name``; False when there was no such user."""
    users = read_users(path)
    if name not in users:
        return False
    del users[name]
    write_users(path, users)
    return True


def list_users(path: Path) -> list[tuple[str, str, bool, tuple[str, ...] | None]]:
    """(name, role, has a password, scope) for each user, by name."""
    return [(name, record.role, bool(record.password_hash), record.scope)
            for name, record in sorted(read_users(path).items())]
