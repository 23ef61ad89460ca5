"""Who the request is for, as the data and the background jobs need it: the scope tokens of
its user (``DataStore.scope_of_request``), and the user's identity carried into an export
job's process (Dash's ``custom_data`` hook copies it into the job's callback context).

Deny by default: with access control on, a request without a known user (an open path) and a
job without an identity see nothing.
"""

from __future__ import annotations

from datetime import datetime

import dash
from flask import current_app, g, has_request_context

from dashboard.auth import ANONYMOUS, User, current_user
from viewmodel.store import DataStore

NAMESPACE = "atlas"


def request_identity(_context=None) -> dict | None:
    """The user of the current request as plain data (None outside a request)."""
    if not has_request_context():
        return None
    user = g.get("atlas_user")
    if user is None:
        return None
    trail = current_app.extensions.get("atlas_audit")
    return {"name": user.name, "role": user.role,
            "scope": None if user.scope is None else list(user.scope),
            # when it was asked, by the app's clock: a job's trace line and audit event say it
            "at": trail.now().isoformat() if trail is not None else None}


def job_identity() -> tuple[bool, User | None]:
    """(in a callback context, the user a background job runs for from what its request
    left in that context)."""
    try:
        identity = dash.callback_context.custom_data.get(NAMESPACE)
    except Exception:  # noqa: BLE001 - no callback context
        return False, None
    return True, identity_user(identity)


def acting_user(auth_on: bool) -> User | None:
    """The user of the request, or of the job, being answered: anonymous with access
    control off, None when access control is on and nobody is known."""
    if has_request_context() and g.get("atlas_user") is not None:
        return current_user()
    _, user = job_identity()
    if user is not None:
        return user
    return None if auth_on else ANONYMOUS


def install_access(app: dash.Dash, store: DataStore) -> None:
    """Cut the store's data to each request's scope; carry the identity into jobs."""
    registered = dash.hooks.get_hooks("custom_data")
    if not any(getattr(hook, "func", None) is request_identity for hook in registered):
        dash.hooks.custom_data(NAMESPACE)(request_identity)
    server = app.server

    def scope_of_request() -> tuple[str, ...] | None:
        auth_on = bool(server.extensions.get("atlas_auth"))
        if has_request_context():  # an open path with access control on: nothing
            return scope_tokens(g.get("atlas_user"), auth_on)
        in_callback, user = job_identity()
        if in_callback:  # a background job: its request's user, else nothing
            return scope_tokens(user, auth_on)
        return None  # building the app (Dash's validation layout), sent to nobody

    store.scope_of_request = scope_of_request


def identity_user(identity: object) -> User | None:
    """The user a job's identity (:func:`request_identity`) names, None for none."""
    if not isinstance(identity, dict) or not isinstance(identity.get("name"), str):
        return None
    scope = identity.get("scope")
    return User(identity["name"], str(identity.get("role", "viewer")),
                None if scope is None else tuple(scope))


def identity_time(identity: object) -> datetime | None:
    """When a job's request was made (its identity's ``at``), None when not known."""
    at = identity.get("at") if isinstance(identity, dict) else None
    try:
        return datetime.fromisoformat(at) if isinstance(at, str) else None
    except ValueError:
        return None


def scope_tokens(user: User | None, auth_on: bool) -> tuple[str, ...] | None:
    """What ``user`` may see as scope tokens: their scope (None: everything); nobody known
    sees nothing with access control on (deny by default), everything without it."""
    if user is None:
        return () if auth_on else None
    return user.scope


def record_scope_refusal(server, store: DataStore, *, country=None, post=None,
                         route: str) -> bool:
    """Record a scoped user's request for a country or a post outside their scope (one
    event; nothing for a name the data does not know, or for an unscoped user); True when
    it was one."""
    data = store.current()
    if data.scope is None:
        return False
    served = store.served()
    kind, value = None, None
    if isinstance(country, str) and country in served.names and country not in data.scope:
        kind, value = "country", country
    elif isinstance(post, str) and post in set(served.network.posts["post_id"]) and (
            post not in set(data.network.posts["post_id"])):
        kind, value = "post", post
    if kind is None:
        return False
    user = acting_user(True)
    trail = server.extensions.get("atlas_audit")
    if trail is not None:
        try:
            trail.record("scope_refused", user.name if user else "", kind=kind, value=value,
                         route=route)
        except OSError:
            pass
    return True
