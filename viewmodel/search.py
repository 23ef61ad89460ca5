"""Text search shared by the search box and the searchable filters: accents, case and
apostrophes aside, every word typed must appear."""

from __future__ import annotations

import re
import unicodedata

from geodata.limits import MAX_SEARCH_CHARS, MAX_SEARCH_WORDS


def normalise(text: str) -> str:
    """Lower case without accents, typographic apostrophes made plain: "Côte d’Ivoire" ->
    "cote d'ivoire"."""
    decomposed = unicodedata.normalize("NFKD", str(text).replace("’", "'"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def search_text(*texts: str) -> str:
    """Every form a user may type: as written, without accents, without punctuation, with a
    typographic apostrophe."""
    forms: list[str] = []
    for text in texts:
        if not text:
            continue
        plain = normalise(text)
        for form in (text.casefold(), plain, re.sub(r"[^\w]+", " ", plain).strip(),
                     plain.replace("'", "’")):
            if form and form not in forms:
                forms.append(form)
    return " ".join(forms)


SEARCH_LIMIT = 40


def search_matches(choices: list[dict], typed: str, limit: int = SEARCH_LIMIT) -> list[dict]:
    """The choices offered for ``typed``: every word typed (accents, case and apostrophes
    aside) is in the choice's value or search text. Labels starting with the first word come
    first, then labels with a word starting with it, then the rest, each group in the
    choices' order; at most ``limit``. What is typed counts up to ``MAX_SEARCH_CHARS``
    characters and ``MAX_SEARCH_WORDS`` words (a search costs the same bounded work whatever
    is sent)."""
    words = list(dict.fromkeys(normalise(str(typed)[:MAX_SEARCH_CHARS]).split()))
    words = words[:MAX_SEARCH_WORDS]
    if not words:
        return []
    matching = [choice for choice in choices
                if all(word in f"{choice['value'].lower()} {choice['search']}" for word in words)]

    def rank(choice: dict) -> int:
        label = normalise(choice["label"])
        return 0 if label.startswith(words[0]) else 1 if f" {words[0]}" in f" {label}" else 2

    return sorted(matching, key=rank)[:limit]
