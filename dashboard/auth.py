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
sign-on authenticates the user and sets the header. The atlas believes the header only on
requests coming from an address of ``ATLAS_TRUSTED_PROXIES`` (required in this mode: the app
refuses to start without it); any other client gets 403. The role is read from the users file
when the user is listed there (no password needed), else the user is a viewer.

Client addresses (rate limits, lockout, logs) are the connection's, or, on a connection from a
trusted proxy, the last address of ``X-Forwarded-For`` that is not a trusted proxy: a client
cannot choose the address it is counted under, in any mode.

Password checks are bounded (:class:`PasswordChecker`): at most ``AUTH_ATTEMPTS`` scrypt
verifications per client address (429 after that, without any hashing), at most
``MAX_CONCURRENT_CHECKS`` at once per worker, the same work for an unknown name as for a known
one; ``MAX_FAILURES`` failures for one name lock that name out *for that client address only*.
The counters live in Flask-Limiter's storage: Redis when ``ATLAS_REDIS_URL`` is set (shared by
every worker), else in memory (per worker: with N workers a client gets up to N times the
allowance).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, g, request
from flask_limiter import Limiter
from limits import parse as parse_limit
from werkzeug.security import check_password_hash, generate_password_hash

from accounts.audit import NoAudit
from accounts.scopes import ScopesFileError, groups_of, read_scopes_file, scope_of_groups
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
#: scrypt verifications allowed per client address (what a flood of random names costs).
AUTH_ATTEMPTS = "30/minute"
MAX_CONCURRENT_CHECKS = 2
CHECK_WAIT_S = 5.0
MAX_CREDENTIAL_CHARS = 256
MAX_GROUPS_CHARS = 4096

log = logging.getLogger("atlas.auth")


@dataclass(frozen=True)
class User:
    """The user of the current request."""

    name: str
    role: str
    #: The scope tokens of a viewer (:mod:`accounts.scopes`); None: unscoped.
    scope: tuple[str, ...] | None = None

    @property
    def is_editor(self) -> bool:
        """True when the user may update the data."""
        return self.role == "editor"


ANONYMOUS = User("anonymous", "viewer")


class UsersCache:
    """The users file (or, with ``read=read_scopes_file``, the scopes file), read again when
    it changes (checked at most once a second)."""

    def __init__(self, path: Path, read=read_users):
        self.path = Path(path)
        self._read = read
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
            self._error = f"{self.path}: file not found"
            return
        if stamp == self._stamp:
            return
        try:
            self._users, self._error = self._read(self.path), None
        except (UsersFileError, ScopesFileError) as error:
            self._error = str(error)
        self._stamp = stamp


class TooManyAttempts(Exception):
    """This client address has used its password checks, or is locked out for this name."""


class PasswordChecker:
    """Checks Basic credentials; a success is remembered for a while (scrypt costs ~0.1 s).

    The counters are kept by ``limiter`` (a :class:`limits` strategy on Flask-Limiter's
    storage): verifications per client address, failures per (client address, name)."""

    def __init__(self, limiter=None):
        from limits.storage import MemoryStorage
        from limits.strategies import MovingWindowRateLimiter

        self._key = secrets.token_bytes(32)
        self._lock = threading.Lock()
        self._verified: dict[bytes, float] = {}
        self._dummy_hash = ""
        self._hashing = threading.BoundedSemaphore(MAX_CONCURRENT_CHECKS)
        self._local = MovingWindowRateLimiter(MemoryStorage())
        self._shared = limiter or self._local
        self._limiter = _Fallback(self._shared, self._local)
        self._attempts = parse_limit(AUTH_ATTEMPTS)
        self._failures = parse_limit(f"{MAX_FAILURES}/{int(FAILURE_WINDOW_S)} seconds")

    def _fingerprint(self, name: str, password: str, record: UserRecord | None) -> bytes:
        stored = record.password_hash if record else ""
        message = "\0".join((name, password, stored)).encode("utf-8", "surrogatepass")
        return hmac.new(self._key, message, hashlib.sha256).digest()

    def _name_key(self, name: str) -> str:
        # a fixed-size key: a client's names never grow the storage's keys
        return hmac.new(self._key, name.encode("utf-8", "surrogatepass"), "sha256").hexdigest()

    def blocked(self, address: str, name: str) -> bool:
        """True while this address has failed too often for this name."""
        return not self._limiter.test(self._failures, "login-failures", address,
                                      self._name_key(name))

    def check(self, name: str, password: str, record: UserRecord | None, address: str) -> bool:
        """True when ``password`` matches ``record``'s hash; raises :class:`TooManyAttempts`
        when this address may not try now (no hashing is done then)."""
        fingerprint = self._fingerprint(name, password, record)
        now = time.monotonic()
        if self._verified.get(fingerprint, 0.0) > now:
            return True
        if self.blocked(address, name):
            raise TooManyAttempts()
        if not self._limiter.hit(self._attempts, "login-attempts", address):
            raise TooManyAttempts()
        if not self._hashing.acquire(timeout=CHECK_WAIT_S):
            raise TooManyAttempts()  # this worker is busy verifying: say "later", not "no"
        try:
            if record and record.password_hash:
                ok = check_password_hash(record.password_hash, password)
            else:  # same cost for an unknown name, so that names cannot be guessed by timing
                if not self._dummy_hash:
                    self._dummy_hash = generate_password_hash(secrets.token_hex(16),
                                                              method="scrypt")
                check_password_hash(self._dummy_hash, password)
                ok = False
        finally:
            self._hashing.release()
        if ok:
            with self._lock:
                if len(self._verified) > 10_000:
                    self._verified.clear()
                self._verified[fingerprint] = now + VERIFIED_TTL_S
        else:
            self._limiter.hit(self._failures, "login-failures", address, self._name_key(name))
        return ok


class _Fallback:
    """The shared counters (Redis) while they answer, this worker's own when they do not (the
    limits keep holding, per worker, and the log says so)."""

    def __init__(self, shared, local):
        self.shared, self.local = shared, local

    def _call(self, method: str, *args):
        if self.shared is not self.local:
            try:
                return getattr(self.shared, method)(*args)
            except Exception as error:  # noqa: BLE001 - any storage failure
                log.error("rate-limit storage unavailable, counting per worker: %s",
                          type(error).__name__)
        return getattr(self.local, method)(*args)

    def hit(self, *args) -> bool:
        return self._call("hit", *args)

    def test(self, *args) -> bool:
        return self._call("test", *args)


def trusted_networks(setting: str) -> tuple:
    """The networks of ``ATLAS_TRUSTED_PROXIES`` (addresses or CIDR, comma-separated);
    raises ValueError naming an entry that is neither."""
    networks = []
    for entry in setting.replace(";", ",").split(","):
        entry = entry.strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(f"ATLAS_TRUSTED_PROXIES: {entry!r} is not an address or a "
                             "network (e.g. 10.0.0.5 or 10.0.0.0/24)") from None
    return tuple(networks)


def _is_trusted(address: str, networks: tuple) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address_of(remote: str, forwarded: str, networks: tuple) -> str:
    """The client's address: ``remote`` unless it is a trusted proxy, then the last address
    of ``X-Forwarded-For`` (``forwarded``) that is not one (each proxy appends the address it
    got the request from; the ones before a trusted proxy's entry are the client's to choose).
    """
    if not networks or not _is_trusted(remote, networks):
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")[-20:] if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # a malformed entry: count the proxy, never the text sent
    return remote


def client_address() -> str:
    """The address of the current request's client (see :func:`client_address_of`)."""
    cached = g.get("atlas_client")
    if cached is None:
        networks = current_app_networks()
        cached = client_address_of(request.remote_addr or "?",
                                   request.headers.get("X-Forwarded-For", ""), networks)
        g.atlas_client = cached
    return cached


def current_app_networks() -> tuple:
    from flask import current_app

    return current_app.extensions.get("atlas_trusted_proxies", ())


def current_user() -> User:
    """The user of the current request (anonymous viewer when access control is off)."""
    return g.get("atlas_user", ANONYMOUS)


def auth_enabled(settings: Settings) -> bool:
    """True when a users file or a proxy header is configured."""
    return bool(settings.users_file or settings.auth_header)


def install_client_address(server: Flask, settings: Settings) -> tuple:
    """Read ``ATLAS_TRUSTED_PROXIES`` and name the client of every request for the access log
    (``atlas.client`` in the WSGI environ); first of the app's request hooks, so that even a
    request refused by another hook is logged under its real client. Returns the networks."""
    if "atlas_trusted_proxies" in server.extensions:
        return server.extensions["atlas_trusted_proxies"]
    networks = trusted_networks(settings.trusted_proxies)
    server.extensions["atlas_trusted_proxies"] = networks

    @server.before_request
    def _name_the_client():
        request.environ["atlas.client"] = client_address()

    return networks


def install_auth(server: Flask, settings: Settings) -> None:
    """Require a known user on every route but ``/healthz`` (when configured), and the editor
    role on ``/admin/...``. Sets ``flask.g.atlas_user`` for the request."""
    networks = install_client_address(server, settings)
    header = settings.auth_header.strip()
    if header and not networks:
        raise ValueError("ATLAS_AUTH_HEADER needs ATLAS_TRUSTED_PROXIES: the addresses of the "
                         "proxies allowed to set it (e.g. ATLAS_TRUSTED_PROXIES=127.0.0.1)")

    if settings.groups_header.strip() and not settings.scopes_file:
        raise ValueError("ATLAS_GROUPS_HEADER needs ATLAS_SCOPES_FILE: the file mapping the "
                         "groups to scopes (see accounts/scopes.py)")

    if not auth_enabled(settings):
        server.extensions["atlas_auth"] = None
        return
    users = UsersCache(Path(settings.users_file)) if settings.users_file else None
    groups_header = settings.groups_header.strip() if header else ""
    scopes = (UsersCache(Path(settings.scopes_file), read=read_scopes_file)
              if groups_header and settings.scopes_file else None)
    limiter = Limiter(client_address, app=server, storage_uri=settings.redis_url or "memory://",
                      strategy="moving-window", headers_enabled=False)
    checker = PasswordChecker(limiter.limiter)
    challenge = {"WWW-Authenticate": f'Basic realm="{REALM}", charset="UTF-8"'}
    server.extensions["atlas_auth"] = {"users": users, "header": header}
    try:
        if users is not None and not users.users():
            log.warning("%s lists no user yet: add one with `atlas users add`", users.path)
    except UsersFileError as error:
        log.error("every request will be refused until this is fixed: %s", error)

    def trail():
        return server.extensions.get("atlas_audit") or NoAudit()

    def refused(reason: str, name: str) -> None:
        trail().record("refused", name[:64], reason=reason, path=request.path[:200],
                       address=client_address())

    def listed(name: str) -> UserRecord | None:
        if users is None:
            return None
        return users.users().get(name)

    def from_proxy() -> User | Response | None:
        if not _is_trusted(request.remote_addr or "", networks):
            if request.headers.get(header):
                log.warning("refused %s from %s: not a trusted proxy", header,
                            request.remote_addr)
                refused("untrusted_proxy", request.headers.get(header, ""))
            return plain_response("http.untrusted_proxy", 403, settings.lang)
        name = request.headers.get(header, "").strip()
        if not name or len(name) > MAX_CREDENTIAL_CHARS or not name.isprintable():
            return None
        record = listed(name)
        role = record.role if record else "viewer"
        if role == "editor":
            return User(name, role)  # editors are unscoped
        scope = record.scope if record else None
        if groups_header:  # the groups decide; a scope in the users file is added
            groups = groups_of(request.headers.get(groups_header, "")[:MAX_GROUPS_CHARS])
            from_groups = scope_of_groups(groups, scopes.users() if scopes else {})
            scope = None if from_groups is None else (*(scope or ()), *from_groups)
        return User(name, role, scope)

    def from_basic() -> User | Response | None:
        credentials = request.authorization
        if credentials is None or credentials.type != "basic":
            return None
        name, password = credentials.username or "", credentials.password or ""
        if len(name) > MAX_CREDENTIAL_CHARS or len(password) > MAX_CREDENTIAL_CHARS:
            return None  # longer than any name or password the users file takes
        address = client_address()
        record = listed(name)
        try:
            if checker.check(name, password, record, address):
                return User(name, record.role, record.scope)
            if not checker.blocked(address, name):
                log.info("failed login for %r from %s", name[:64], address)
                refused("bad_credentials", name)
                return None
        except TooManyAttempts:
            pass
        log.warning("too many login attempts from %s (last name %r)", address, name[:64])
        refused("too_many_attempts", name)
        return plain_response("http.too_many_attempts", 429, settings.lang,
                              {"Retry-After": str(int(FAILURE_WINDOW_S))})

    @server.before_request
    def _authenticate():
        if request.path in OPEN_PATHS:
            _sign_in_if_asked()  # open to all; who is signed in may see more (/healthz)
            return None
        try:
            user = from_proxy() if header else from_basic()
        except (UsersFileError, ScopesFileError) as error:
            log.error("access refused to everyone: %s", error)
            return plain_response("http.misconfigured", 503, settings.lang)
        if isinstance(user, Response):
            return user
        if user is None:
            return plain_response("http.login_required", 401, settings.lang,
                                  None if header else challenge)
        return _signed_in(user)

    def _sign_in_if_asked() -> None:
        if not (request.authorization or (header and request.headers.get(header))):
            return
        try:
            user = from_proxy() if header else from_basic()
        except (UsersFileError, ScopesFileError):
            return
        if isinstance(user, User):
            g.atlas_user = user

    def _signed_in(user: User):
        g.atlas_user = user
        request.environ["REMOTE_USER"] = user.name  # the access log names the user
        trail().sign_in(user.name, method="proxy" if header else "basic",
                        address=client_address())
        if request.path.startswith(EDITOR_PREFIX) and not user.is_editor:
            refused("editors_only", user.name)
            return plain_response("http.editors_only", 403, settings.lang)
        return None
