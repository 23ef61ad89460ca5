"""Scopes: what a viewer may see, written as tokens, without Flask and without the data.

A scope is a list of tokens, ``kind:id``, whose countries are united:

- ``region:ID``: the countries of a region set (the data's ``regions`` table, else the
  continents: ``region:africa``);
- ``post:POST_ID``: the countries that post covers (its host country included);
- ``country:ISO3``: one country.

The tokens are resolved against the data served (:func:`viewmodel.access.scope_countries`);
a token that names nothing there adds nothing (deny by default). ``None`` instead of a list
means unscoped: every editor, and a viewer without a scope.

The scopes file (``ATLAS_SCOPES_FILE``, JSON) maps the groups a single sign-on proxy names in
``ATLAS_GROUPS_HEADER`` to scopes; ``"*"`` gives everything::

    {"groups": {"dci-afrique": ["region:africa"], "ssi-dakar": ["post:SSI-DAKAR"],
                "dci-direction": "*"}}
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

KINDS = ("region", "post", "country")
TOKEN = re.compile(r"^(region|post|country):([A-Za-z0-9_.-]{1,64})$")
MAX_TOKENS = 100
MAX_GROUPS = 50
EVERYTHING = "*"


class ScopeRejected(ValueError):
    """A scope that is not a list of ``kind:id`` tokens."""


class ScopesFileError(ValueError):
    """The scopes file cannot be read or is malformed."""


def parse_scope(value: str | Iterable[str]) -> tuple[str, ...]:
    """The tokens of ``value`` (``"region:africa,post:SSI-DAKAR"`` or a list), in order,
    without repeats; raises :class:`ScopeRejected` naming a malformed token."""
    items = value.split(",") if isinstance(value, str) else list(value)
    tokens: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise ScopeRejected(f"a scope token must be text, not {type(item).__name__}")
        token = item.strip()
        if not token:
            continue
        kind, _, ident = token.partition(":")
        token = f"{kind.strip().lower()}:{ident.strip()}"
        if not TOKEN.match(token):
            raise ScopeRejected(f"invalid scope {item.strip()!r}: use "
                                f"{', '.join(k + ':ID' for k in KINDS)} (comma-separated)")
        if token not in tokens:
            tokens.append(token)
    if len(tokens) > MAX_TOKENS:
        raise ScopeRejected(f"a scope holds at most {MAX_TOKENS} tokens")
    return tuple(tokens)


def unite(scopes: Iterable[tuple[str, ...] | None]) -> tuple[str, ...] | None:
    """The union of several scopes (None, unscoped, wins)."""
    tokens: list[str] = []
    for scope in scopes:
        if scope is None:
            return None
        tokens.extend(token for token in scope if token not in tokens)
    return tuple(tokens)


def read_scopes_file(path: Path) -> dict[str, tuple[str, ...] | None]:
    """Group name -> scope (None for ``"*"``) of the scopes file ``path``."""
    try:
        content = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ScopesFileError(f"{path}: cannot be read as JSON ({error})") from error
    groups = content.get("groups") if isinstance(content, dict) else None
    if not isinstance(groups, dict):
        raise ScopesFileError(f'{path}: expected {{"groups": {{group: [scope, ...] or "*"}}}}')
    mapped: dict[str, tuple[str, ...] | None] = {}
    for group, scope in groups.items():
        if scope == EVERYTHING:
            mapped[group] = None
            continue
        try:
            mapped[group] = parse_scope(scope if isinstance(scope, list | str) else [scope])
        except ScopeRejected as error:
            raise ScopesFileError(f"{path}: group {group!r}: {error}") from error
    return mapped


def groups_of(header: str) -> tuple[str, ...]:
    """The group names of a groups header (comma- or semicolon-separated, at most
    ``MAX_GROUPS``)."""
    names = [name.strip() for name in header.replace(";", ",").split(",")]
    return tuple(dict.fromkeys(name for name in names if name))[:MAX_GROUPS]


def scope_of_groups(groups: Iterable[str],
                    mapping: dict[str, tuple[str, ...] | None]) -> tuple[str, ...] | None:
    """The union of the scopes of ``groups``; groups the file does not name add nothing
    (a user none of whose groups is named sees nothing)."""
    return unite(mapping[group] for group in groups if group in mapping)
