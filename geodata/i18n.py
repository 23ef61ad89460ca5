"""The interface texts, read from gettext catalogues, and number/money/date formatting (Babel).

Every text shown on screen or in an export comes from ``locale/<lang>/LC_MESSAGES/atlas.po``:
msgid is the text's key (``update.done``), msgstr its text with ``{name}`` placeholders; an
entry with ``msgid_plural`` has one form per plural (the file's ``Plural-Forms`` header picks
it from the count ``n``). The catalogues are read on first use, by :class:`Catalogue`;
``tests/unit/test_i18n.py`` fails when a key exists in one language and not the other.
"""

from __future__ import annotations

import gettext
import math
import threading
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from numbers import Integral
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LANGS = ("fr", "en")
DEFAULT_LANG = "fr"
_LOCALES = {"fr": "fr_FR", "en": "en_GB"}
LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "atlas"
#: The parameter that holds the count of an entry with plural forms.
COUNT = "n"
# French elides "de" before a vowel or a mute h; before "y" only when a consonant follows.
_ELIDING_INITIALS = frozenset("aeiouhœæ")
_VOWELS = frozenset("aeiouy")


@dataclass(frozen=True)
class LanguageTexts:
    """One language's catalogue: every key's forms (one, or one per plural) and the plural rule
    of its ``Plural-Forms`` header (count -> form index)."""

    forms: Mapping[str, tuple[str, ...]]
    plural_index: Callable[[int], int]


def read_catalogue(path: Path) -> LanguageTexts:
    """The texts of one ``.po`` file, read with Babel (obsolete entries left out)."""
    with path.open("rb") as po_file:
        catalog = read_po(po_file, ignore_obsolete=True)
    forms: dict[str, tuple[str, ...]] = {}
    for message in catalog:
        if not message.id:  # the header
            continue
        if message.pluralizable:
            forms[message.id[0]] = tuple(message.string)
        else:
            forms[message.id] = (message.string,)
    return LanguageTexts(forms=forms, plural_index=gettext.c2py(catalog.plural_expr))


class Catalogue:
    """The texts of every language, read from ``<folder>/<lang>/LC_MESSAGES/<domain>.po`` the
    first time a text is asked for (thread-safe); :meth:`reset` forgets them."""

    def __init__(self, folder: Path = LOCALE_DIR, domain: str = DOMAIN):
        self.folder, self.domain = Path(folder), domain
        self._lock = threading.Lock()
        self._languages: dict[str, LanguageTexts] | None = None

    def path(self, lang: str) -> Path:
        """The ``.po`` file of ``lang``."""
        return self.folder / lang / "LC_MESSAGES" / f"{self.domain}.po"

    def language(self, lang: str) -> LanguageTexts:
        """The texts of ``lang`` (a supported language), loading every catalogue once."""
        languages = self._languages
        if languages is None:
            with self._lock:
                if self._languages is None:
                    self._languages = {code: read_catalogue(self.path(code)) for code in LANGS}
                languages = self._languages
        return languages[lang]

    def reset(self) -> None:
        """Forget the texts read: the next use reads the files again."""
        with self._lock:
            self._languages = None

    def keys(self, lang: str = DEFAULT_LANG) -> frozenset[str]:
        """Every key of ``lang``'s catalogue."""
        return frozenset(self.language(lang_or_default(lang)).forms)

    def forms(self, key: str, lang: str = DEFAULT_LANG) -> tuple[str, ...]:
        """The text of ``key`` in ``lang``: one form, or one per plural (KeyError if unknown)."""
        return self.language(lang_or_default(lang)).forms[key]

    def plural_form(self, key: str, lang: str, count: int) -> str:
        """The form of ``key`` that ``lang`` uses for ``count`` (the only one of a plain text)."""
        language = self.language(lang_or_default(lang))
        forms = language.forms[key]
        return forms[min(language.plural_index(count), len(forms) - 1)]


_catalogue = Catalogue()


def catalogue() -> Catalogue:
    """The catalogue every text comes from."""
    return _catalogue


def use_catalogue(replacement: Catalogue) -> Catalogue:
    """Make ``replacement`` the catalogue texts come from; returns the one it replaces."""
    global _catalogue
    previous, _catalogue = _catalogue, replacement
    return previous


def lang_or_default(lang: str | None) -> str:
    """``lang`` when supported, else the default language."""
    return lang if lang in LANGS else DEFAULT_LANG


def has_text(key: str) -> bool:
    """True when the catalogue has ``key``."""
    return key in catalogue().language(DEFAULT_LANG).forms


def has_plural_forms(key: str) -> bool:
    """True when ``key`` is an entry with plural forms (its text needs the count ``n``)."""
    return len(catalogue().forms(key, DEFAULT_LANG)) > 1


def all_texts(lang: str) -> dict[str, tuple[str, ...]]:
    """Every key of ``lang`` with its forms (one, or one per plural), in catalogue order."""
    return dict(catalogue().language(lang_or_default(lang)).forms)


def t(key: str, lang: str = DEFAULT_LANG) -> str:
    """The text for ``key`` in ``lang``; an entry with plural forms needs :func:`describe` and
    its count ``n`` instead (ValueError)."""
    forms = catalogue().forms(key, lang)
    if len(forms) > 1:
        raise ValueError(f"{key!r} has plural forms: use describe(key, lang, {{'n': count}})")
    return forms[0]


def describe(key: str, lang: str, params: Mapping[str, object]) -> str:
    """Catalogue entry ``key`` in ``lang`` filled with ``params``.

    For an entry with plural forms, the count ``params["n"]`` (an integer) picks the form and
    is shown as a number of the language ("1 programme", "7 programmes"). A parameter may be a
    ``{"fr": ..., "en": ...}`` mapping (picked by language) or a list (joined with commas).
    ``suggestion``, when given and not empty, adds "did you mean ...?", its alternatives joined
    by "or".
    """
    lang = lang_or_default(lang)
    values = {name: _localised(value, lang) for name, value in params.items()}
    if has_plural_forms(key):
        count = params.get(COUNT)
        if not isinstance(count, Integral) or isinstance(count, bool):
            raise ValueError(f"{key!r} has plural forms: its count {COUNT!r} must be an integer")
        text = catalogue().plural_form(key, lang, int(count))
        values[COUNT] = format_number(int(count), lang)
    else:
        text = t(key, lang)
    text = text.format(**values)
    suggestion = params.get("suggestion")
    if suggestion:
        alternatives = suggestion if isinstance(suggestion, (list, tuple)) else [suggestion]
        joined = t("problem.or", lang).join(_localised(item, lang) for item in alternatives)
        text += t("problem.did_you_mean", lang).format(suggestion=joined)
    return text


def count_text(key: str, count: int, lang: str) -> str:
    """The plural entry ``key`` for ``count`` alone: ``count_text("problem.count.errors", 2,
    "fr")`` gives "2 erreurs"."""
    return describe(key, lang, {COUNT: count})


def ordinal(number: int, lang: str) -> str:
    """``number`` as an ordinal of ``lang`` ("2nd", "2e"), its ending chosen by the
    language's ordinal rule (CLDR: one, two, few, other) from the catalogue's ``ordinal.*``."""
    lang = lang_or_default(lang)
    form = Locale.parse(lang).ordinal_form(number)
    return t(f"ordinal.{form}", lang).format(number=number)


def of_place(name: str, lang: str, written: str = "") -> str:
    """``name`` as the complement of a noun in ``lang``: "d'Abidjan", "de Dakar" in French (the
    catalogue's ``place.of.elided`` before a vowel or a mute h, else ``place.of``), the name
    itself in English. ``written``, the French form given by the data (posts column
    ``city_fr_of``: "du Caire", "de La Havane"), wins in French when not blank."""
    lang = lang_or_default(lang)
    if lang == "fr" and written.strip():
        return written.strip()
    key = "place.of.elided" if _elides(name) else "place.of"
    return describe(key, lang, {"name": name})


def _elides(name: str) -> bool:
    """True when French elides "de" before ``name``: it starts with a vowel or an h, or with
    a y before a consonant (accents ignored; anything but a letter first: no elision)."""
    letters = [c for c in unicodedata.normalize("NFD", name.strip().lower())
               if not unicodedata.combining(c)]
    if not letters:
        return False
    if letters[0] == "y":
        return len(letters) > 1 and letters[1].isalpha() and letters[1] not in _VOWELS
    return letters[0] in _ELIDING_INITIALS


def _localised(value: object, lang: str) -> str:
    if isinstance(value, Mapping):
        return str(value.get(lang_or_default(lang), value.get(DEFAULT_LANG, "")))
    if isinstance(value, (list, tuple)):
        return ", ".join(_localised(item, lang) for item in value)
    if isinstance(value, float):
        return format_decimal(value, locale=_LOCALES[lang_or_default(lang)])
    return str(value)


def format_number(value: float, lang: str = DEFAULT_LANG) -> str:
    """1 234,5 (fr) / 1,234.5 (en)."""
    return format_decimal(value, locale=_LOCALES[lang_or_default(lang)])


#: The rounding rule for money, by size of amount: (from, unit, divisor, decimals), smallest
#: first; an amount takes the last row it reaches once rounded as that row says (999 600 € is
#: 1,0 M €, not 1 000 k €). Every amount on screen and in the exports goes through
#: :func:`format_money`, so "2,0 M €" stands beside "27,9 M €".
MONEY_STEPS = (
    (0.0, "euros", 1.0, 0),         # 850 €
    (1e3, "thousands", 1e3, 0),     # 12 k € · 850 k €
    (1e6, "millions", 1e6, 1),      # 2,0 M € · 27,9 M €
    (1e8, "millions", 1e6, 0),      # 128 M €
    (1e9, "billions", 1e9, 1),      # 1,2 Md €
)


def _half_up(value: float, decimals: int) -> float:
    return math.floor(value * 10**decimals + 0.5) / 10**decimals


def format_money(value: float, lang: str = DEFAULT_LANG) -> str:
    """Euros by the rule of :data:`MONEY_STEPS`: 850 €, 12 k €, 2,0 M €, 27,9 M €, 128 M €,
    1,2 Md € (fr) / €850, €12K, €2.0M, €27.9M, €128M, €1.2B (en); the units' forms come from
    the catalogue (``money.<unit>``)."""
    lang = lang_or_default(lang)
    amount = abs(float(value))
    step = MONEY_STEPS[0]
    for candidate in MONEY_STEPS[1:]:
        _, _, divisor, decimals = step
        if _half_up(amount / divisor, decimals) * divisor < candidate[0]:
            break
        step = candidate
    _, unit, divisor, decimals = step
    scaled = _half_up(amount / divisor, decimals)
    number = format_decimal(scaled, format="#,##0" + ("." + "0" * decimals if decimals else ""),
                            locale=_LOCALES[lang])
    text = t(f"money.{unit}", lang).format(amount=number)
    return ("-" if value < 0 and scaled else "") + text


def format_month(value: date, lang: str = DEFAULT_LANG) -> str:
    """mars 2026 (fr) / Mar 2026 (en)."""
    return format_date(value, "MMM y", locale=_LOCALES[lang_or_default(lang)])


def format_day(value: date, lang: str = DEFAULT_LANG) -> str:
    """15 mars 2026 (fr) / 15 March 2026 (en)."""
    return format_date(value, "long", locale=_LOCALES[lang_or_default(lang)])
