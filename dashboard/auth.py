"""Access control: HTTP Basic against a users file, or a trusted reverse-proxy header.

Off when neither ``ATLAS_USERS_FILE`` nor ``ATLAS_AUTH_HEADER`` is set (the local demo): every
visitor is then an anonymous *viewer*, and nobody can change the data from the browser. On,
every route but ``/healthz`` needs a known user, and ``/admin/...`` routes need an *editor*.

Users file (JSON, read and written by :mod:`accounts.users`, edited with ``atlas users``, mode
0600; salted scrypt hashes, no password in clear anywhere)::

    {"users": {"alice": {"role": "editor", "password_hash": "scrypt:32768:8:1$..."}}}

Basic mode (``ATLAS_USERS_FILE`` only): the browser asks for a name and password once and sends
them with every request, Dash's callbacks included. Serve it over HTTPS only.

Proxy mode (``ATLAS_AUTH_HEADER``, e.g. ``X-Remote-User``): a reverse proxy doing single
sign-on authenticates the user and sets the header; the atlas trusts it. The proxy must remove
that header from every client request, and the atlas must be reachable only through the proxy.
The role is read from the users file when the user is listed there (no password needed), else
the user is a viewer.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, g, request
from werkzeug.security import check_password_hash, generate_password_hash

from accounts.users import UserRecord, UsersFileError, read_users
from dashboard.language import plain_response
from dashboard.settings import Settings

OPEN_PATHS = frozenset({"/healthz"})
EDITOR_PREFIX = "/admin/"
REALM = "Atlas"
CHECK_INTERVAL_S = 1.0
VERIFIED_TTL_S = 300.0
MAX_FAILURES = 10
FAILURE_WINDOW_S = 60.0

log = logging.getLogger("atlas.auth")


@dataclass(frozen=True)
class User:
    """The user of the current request."""

    name: str
    role: str

    @property
    def is_editor(self) -> bool:
        """True when the user may update the data."""
        return self.role == "editor"


ANONYMOUS = User("anonymous", "viewer")


class UsersCache:
    """The users file, read again when it changes (checked at most once a second)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._checked = 0.0
        self._stamp: tuple | None = None
        self._users: dict[str, UserRecord] = {}
        self._error: str | None = None

    def users(self) -> dict[str, UserRecord]:
        """The current users; raises :class:`UsersFileError` while the file is broken."""
        now = time.monotonic()
        if now - self._checked >= CHECK_INTERVAL_S:
            with self._lock:
                self._checked = now
                self._refresh()
        if self._error:
            raise UsersFileError(self._error)
        return self._users

    def _refresh(self) -> None:
        try:
            stat = self.path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        except FileNotFoundError:
            self._users, self._stamp = {}, None
            self._error = f"{self.path}: users file not found"
            return
        if stamp == self._stamp:
            return
        try:
            self._users, self._error = read_users(self.path), None
        except UsersFileError as error:
            self._error = str(error)
        self._stamp = stamp


class PasswordChecker:
    """Checks Basic credentials; a success is remembered for a while (scrypt costs ~0.1 s), and
    repeated failures from one address for one name are refused for a minute."""

    def __init__(self):
        self._key = secrets.token_bytes(32)
        self._lock = threading.Lock()
        self._verified: dict[bytes, float] = {}
        self._failures: dict[tuple[str, str], deque] = {}
        self._dummy_hash = ""

    def _fingerprint(self, name: str, password: str, record: UserRecord | None) -> bytes:
        stored = record.password_hash if record else ""
        message = "\0".join((name, password, stored)).encode("utf-8", "surrogatepass")
        return hmac.new(self._key, message, hashlib.sha256).digest()

    def blocked(self, address: str, name: str) -> bool:
        """True while this address has failed too often for this name."""
        attempts = self._failures.get((address, name))
        now = time.monotonic()
        while attempts and now - attempts[0] > FAILURE_WINDOW_S:
            attempts.popleft()
        return bool(attempts) and len(attempts) >= MAX_FAILURES

    def check(self, name: str, password: str, record: UserRecord | None, address: str) -> bool:
        """True when ``password`` matches ``record``'s hash."""
        fingerprint = self._fingerprint(name, password, record)
        now = time.monotonic()
        if self._verified.get(fingerprint, 0.0) > now:
            return True
        if self.blocked(address, name):
            return False
        if record and record.password_hash:
            ok = check_password_hash(record.password_hash, password)
        else:  # same cost for an unknown name, so that names cannot be guessed by timing
            if not self._dummy_hash:
                self._dummy_hash = generate_password_hash(secrets.token_hex(16), method="scrypt")
            check_password_hash(self._dummy_hash, password)
            ok = False
        with self._lock:
            if ok:
                if len(self._verified) > 10_000:
                    self._verified.clear()
                self._verified[fingerprint] = now + VERIFIED_TTL_S
            else:
                if len(self._failures) > 10_000:
                    self._failures.clear()
                self._failures.setdefault((address, name), deque(maxlen=MAX_FAILURES)).append(now)
        return ok


def current_user() -> User:
    """The user of the current request (anonymous viewer when access control is off)."""
    return g.get("atlas_user", ANONYMOUS)


def auth_enabled(settings: Settings) -> bool:
    """True when a users file or a proxy header is configured."""
    return bool(settings.users_file or settings.auth_header)


def install_auth(server: Flask, settings: Settings) -> None:
    """Require a known user on every route but ``/healthz`` (when configured), and the editor
    role on ``/admin/...``. Sets ``flask.g.atlas_user`` for the request."""
    if not auth_enabled(settings):
        server.extensions["atlas_auth"] = None
        return
    users = UsersCache(Path(settings.users_file)) if settings.users_file else None
    checker = PasswordChecker()
    header = settings.auth_header.strip()
    challenge = {"WWW-Authenticate": f'Basic realm="{REALM}", charset="UTF-8"'}
    server.extensions["atlas_auth"] = {"users": users, "header": header}
    try:
        if users is not None and not users.users():
            log.warning("%s lists no user yet: add one with `atlas users add`", users.path)
    except UsersFileError as error:
        log.error("every request will be refused until this is fixed: %s", error)

    def listed(name: str) -> UserRecord | None:
        if users is None:
            return None
        return users.users().get(name)

    def from_proxy() -> User | None:
        name = request.headers.get(header, "").strip()
        if not name or len(name) > 256 or not name.isprintable():
            return None
        record = listed(name)
        return User(name, record.role if record else "viewer")

    def from_basic() -> User | Response | None:
        credentials = request.authorization
        if credentials is None or credentials.type != "basic":
            return None
        name, password = credentials.username or "", credentials.password or ""
        address = request.remote_addr or "?"
        record = listed(name)
        if checker.check(name, password, record, address):
            return User(name, record.role)
        if checker.blocked(address, name):
            log.warning("too many failed logins for %r from %s", name, address)
            return plain_response("http.too_many_attempts", 429, settings.lang,
                                  {"Retry-After": str(int(FAILURE_WINDOW_S))})
        log.info("failed login for %r from %s", name, address)
        return None

    @server.before_request
    def _authenticate():
        if request.path in OPEN_PATHS:
            return None
        try:
            user = from_proxy() if header else from_basic()
        except UsersFileError as error:
            log.error("access refused to everyone: %s", error)
            return plain_response("http.misconfigured", 503, settings.lang)
        if isinstance(user, Response):
            return user
        if user is None:
            return plain_response("http.login_required", 401, settings.lang,
                                  None if header else challenge)
        g.atlas_user = user
        if request.path.startswith(EDITOR_PREFIX) and not user.is_editor:
            return plain_response("http.editors_only", 403, settings.lang)
        return None
