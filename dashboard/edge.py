"""The edge of the callbacks: every Dash callback request is checked for type, size and shape
before any callback runs, and a callback that still fails on what it was sent answers a plain
400 instead of a 500 with a traceback per request.

Checked on ``POST /_dash-update-component`` (limits in ``docs/operations.md``):

- the body is a JSON object whose ``inputs`` and ``state`` are lists of
  ``{"id", "property", "value"}`` entries naming components and properties of the layout;
- every value is of the kind the page holds for that property (a text, a number, a list of
  texts...; null always allowed), as the layout is served;
- every value nests at most ``MAX_DEPTH`` levels, a list or object holds at most
  ``MAX_ITEMS`` entries, a text at most ``MAX_TEXT_CHARS`` characters, the whole request at most
  ``MAX_CELLS`` values; the upload's file contents alone may be larger (they are bounded by
  ``ATLAS_MAX_UPLOAD_MB`` and checked by :mod:`dataversions.uploads`);
- texts a user types have their own maximum (``TEXT_LIMITS``: a title 200 characters, a
  search 200), enforced by the callbacks, which answer with an inline message.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask, request
from werkzeug.exceptions import BadRequest, HTTPException

from dashboard import ids
from geodata import limits

UPDATE_PATH = "/_dash-update-component"
LAYOUT_PATH = "/_dash-layout"  # the renderer's fetch of the page's layout
MAX_DEPTH = 8
MAX_ITEMS = 2_000
MAX_TEXT_CHARS = 32_000
MAX_CELLS = 50_000
#: Properties whose texts may be larger than MAX_TEXT_CHARS (bounded elsewhere).
LARGE_TEXTS = frozenset({(ids.DATA_UPLOAD, "contents")})
#: Components whose properties the browser may send in another shape than the page's
#: (Leaflet reports a centre as {lat, lng} where the page set [lat, lon]).
FREE_SHAPES = frozenset({ids.MAP})
#: The maximum length of each text a user types (the callbacks say so inline).
TEXT_LIMITS = {
    "title": limits.MAX_TITLE_CHARS,
    "marking": limits.MAX_TITLE_CHARS,
    "search": limits.MAX_SEARCH_CHARS,
}

log = logging.getLogger("atlas.edge")


class Refused(ValueError):
    """A callback request outside the bounds; ``str()`` says which."""


def _check_value(value, large: bool, budget: list[int], depth: int = 0) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        raise Refused("too many values")
    if depth > MAX_DEPTH:
        raise Refused("nested too deeply")
    if isinstance(value, str):
        if not large and len(value) > MAX_TEXT_CHARS:
            raise Refused(f"a text longer than {MAX_TEXT_CHARS} characters")
    elif isinstance(value, list):
        if len(value) > MAX_ITEMS:
            raise Refused(f"a list longer than {MAX_ITEMS} items")
        for item in value:
            _check_value(item, large, budget, depth + 1)
    elif isinstance(value, dict):
        if len(value) > MAX_ITEMS:
            raise Refused(f"an object with more than {MAX_ITEMS} keys")
        for key, item in value.items():
            if len(key) > MAX_TEXT_CHARS:
                raise Refused("a key too long")
            _check_value(item, large, budget, depth + 1)
    elif value is not None and not isinstance(value, bool | int | float):
        raise Refused("a value of unknown type")


def check_update_request(body, known: frozenset[tuple[str, str]]) -> None:
    """Raise :class:`Refused` unless ``body`` is a callback request within the bounds, naming
    only (component id, property) pairs of ``known`` (pattern ids, dicts, are left to Dash)."""
    if not isinstance(body, dict):
        raise Refused("not a JSON object")
    budget = [MAX_CELLS]
    for part in ("inputs", "state"):
        entries = body.get(part, [])
        if not isinstance(entries, list) or len(entries) > MAX_ITEMS:
            raise Refused(f"{part} is not a list")
        for entry in entries:
            for item in entry if isinstance(entry, list) else [entry]:
                if not isinstance(item, dict):
                    raise Refused(f"an entry of {part} is not an object")
                component, prop = item.get("id"), item.get("property")
                if not isinstance(prop, str) or not isinstance(component, str | dict):
                    raise Refused(f"an entry of {part} has no id or property")
                if isinstance(component, str) and known and (component, prop) not in known:
                    raise Refused(f"unknown input {component}.{prop}")
                large = isinstance(component, str) and (component, prop) in LARGE_TEXTS
                _check_value(item.get("value"), large, budget)
    for key in ("output", "changedPropIds"):
        value = body.get(key)
        if value is not None:
            _check_value(value, False, budget)


def _kind(value) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, dict):
        return "object"
    return ""


def layout_kinds(layout) -> dict[tuple[str, str], tuple[str, str]]:
    """(component id, property) -> (kind of its value in the page as served, kind of its
    items for a list with items; "" when unknown): what a callback request must send back for
    it (or null). Properties the page does not set are not constrained here."""
    kinds: dict[tuple[str, str], tuple[str, str]] = {}

    def walk(node) -> None:
        if isinstance(node, list | tuple):
            for child in node:
                walk(child)
            return
        if not hasattr(node, "_prop_names"):
            return
        component = getattr(node, "id", None)
        for prop in node._prop_names:
            value = getattr(node, prop, None)
            if prop == "children" or prop.startswith("_"):
                walk(value)
                continue
            if (isinstance(component, str) and component not in FREE_SHAPES
                    and value is not None and _kind(value)):
                items = ""
                if isinstance(value, list | tuple) and value:
                    item_kinds = {_kind(item) for item in value}
                    items = item_kinds.pop() if len(item_kinds) == 1 else ""
                kinds[(component, prop)] = (_kind(value), items)
            if hasattr(value, "_prop_names") or isinstance(value, list | tuple):
                walk(value)

    walk(layout)
    return kinds


def check_kinds(body: dict, kinds: dict[tuple[str, str], tuple[str, str]]) -> None:
    """Raise :class:`Refused` when a value sent is not of the kind the page holds there."""
    for part in ("inputs", "state"):
        for entry in body.get(part, []):
            for item in entry if isinstance(entry, list) else [entry]:
                component = item.get("id")
                if not isinstance(component, str):
                    continue  # a pattern id (a dict): Dash matches it
                expected = kinds.get((component, item.get("property")))
                value = item.get("value")
                if expected is None or value is None:
                    continue
                kind, items = expected
                if _kind(value) != kind:
                    raise Refused(f"{item['id']}.{item['property']}: expected a {kind}")
                if kind == "list" and items and any(
                        item_value is not None and _kind(item_value) != items
                        for item_value in value):
                    raise Refused(f"{item['id']}.{item['property']}: expected {items} items")


def _callback_inputs(app) -> frozenset[tuple[str, str]]:
    known = set()
    for spec in app.callback_map.values():
        for dep in spec.get("inputs", []) + spec.get("state", []):
            if isinstance(dep.get("id"), str):
                known.add((dep["id"], dep["property"]))
    return frozenset(known)


def callback_error_handler():
    """Dash's ``on_error``: a callback's failure on its input becomes a plain 400 (the first
    failure of each kind logged with its traceback, later ones in one line)."""
    seen: set[tuple[str, str]] = set()
    seen_lock = threading.Lock()

    def on_error(error: Exception):
        body = request.get_json(silent=True)
        output = str(body.get("output", "?"))[:120] if isinstance(body, dict) else "?"
        kind = (output, type(error).__name__)
        with seen_lock:
            first = kind not in seen
            seen.add(kind)
        if first:
            log.error("callback %s failed on its input", output, exc_info=error)
        else:
            log.warning("callback %s failed on its input again: %s", output,
                        type(error).__name__)
        raise BadRequest("the callback could not use what it was sent")

    return on_error


def install_edge(app) -> None:
    """Check every callback request before Dash reads it (see the module's doc)."""
    server: Flask = app.server
    known: list = []

    @server.before_request
    def _check_callback_request():
        if request.method != "POST" or not request.path.endswith(UPDATE_PATH):
            return None
        if not known:
            layout = app.layout() if callable(app.layout) else app.layout
            known.extend([_callback_inputs(app), layout_kinds(layout)])
        try:
            try:
                # Not silent: the body is then parsed once, Dash reads the same cached value.
                body = request.get_json()
            except HTTPException:
                body = None  # not JSON: refused below, as any malformed request
            check_update_request(body, known[0])
            check_kinds(body, known[1])
        except Refused as refused:
            log.warning("refused a callback request: %s", refused)
            raise BadRequest(str(refused)) from None
        return None
