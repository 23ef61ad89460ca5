"""The changes page's list: what changed in each country over the period, in the words of the
changes panel (:func:`viewmodel.changes.change_texts`), fitted to the room a page leaves it.

The list keeps the panel's order (coverage changes first, then the most programme changes) and
shows as many countries as fit, every text wrapped, never cut; the countries left out are
counted on a last line ("… et 3 autres pays"). A smaller size is tried when the body size
leaves countries out. Texts are measured by the caller's ``wrap`` (the export font's metrics,
:func:`exports.page.wrap_text`), so the PNG, PDF and PowerPoint pages hold what was measured.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from exports.scope import Scope
from geodata.i18n import t
from layers import palette
from viewmodel.asof import dated
from viewmodel.changes import baseline_for, change_texts, others_text, period_changes
from viewmodel.data import AtlasData
from viewmodel.urlstate import ViewState

Wrap = Callable[..., list[str]]


@dataclass(frozen=True)
class ChangeList:
    """A period's changes in words for one page: the heading, one text per country and the
    colour the map gives that country (its category's)."""

    heading: str
    texts: tuple[str, ...]
    colours: tuple[str, ...]
    lang: str


@dataclass(frozen=True)
class FittedChanges:
    """The list as it fits its box: the size (points), each shown country's lines, and the
    lines of the "… and N other countries" entry (empty when every country is shown)."""

    size: float
    entries: tuple[tuple[str, ...], ...]
    more: tuple[str, ...]
    shown: int
    left_out: int

    def line_count(self) -> int:
        return sum(len(entry) for entry in self.entries) + len(self.more)


def change_list(data: AtlasData, view: ViewState, scope: Scope | None = None
                ) -> ChangeList | None:
    """The changes of ``view``'s period in ``view``'s language, for the countries of ``scope``
    (None or the world: all); None outside the changes mode or without a known baseline."""
    if view.mode != "changes":
        return None
    baseline = baseline_for(view.since, data.baselines)
    if baseline is None:
        return None
    data = dated(data, view)
    changes = period_changes(data, view, baseline)
    if scope is not None and not scope.world:
        changes = replace(changes, countries=tuple(
            change for change in changes.countries if change.iso3 in scope.iso3s))
    return ChangeList(heading=t("export.changes.heading", view.lang),
                      texts=tuple(change_texts(data, changes, view.lang)),
                      colours=tuple(palette.CHANGES[change.category]
                                    for change in changes.countries),
                      lang=view.lang)


def fit_changes(changes: ChangeList, width: float, height: float, *, sizes: Sequence[float],
                line_spacing: float, gap: float, wrap: Wrap) -> FittedChanges:
    """As many of ``changes.texts`` (in their order) as fit ``width`` x ``height`` inches,
    at the first of ``sizes`` (points) that shows them all, else at the size showing the
    most; ``gap`` inches separate two entries and a line is ``size * line_spacing`` points.
    A country that is shown is shown whole; those left out are counted on the last line."""
    texts = list(changes.texts) or [t("changes.none", changes.lang)]
    best: FittedChanges | None = None
    for size in sizes:
        line = size * line_spacing / 72

        def lines_of(text: str, size: float = size) -> tuple[str, ...]:
            return tuple(wrap(text, width, size, max_lines=10_000))

        wrapped = [lines_of(text) for text in texts]
        for shown in range(len(wrapped), -1, -1):
            left_out = len(wrapped) - shown
            more = lines_of(others_text(left_out, changes.lang)) if left_out else ()
            entries = [*wrapped[:shown], *([more] if more else [])]
            used = sum(len(entry) for entry in entries) * line + gap * max(0, len(entries) - 1)
            if used <= height or shown == 0:
                break
        fitted = FittedChanges(size=size, entries=tuple(wrapped[:shown]), more=more,
                               shown=shown, left_out=left_out)
        if best is None or fitted.shown > best.shown:
            best = fitted
        if not left_out:
            break
    return best


def fitted_height(fitted: FittedChanges, *, line_spacing: float, gap: float) -> float:
    """The height in inches the fitted list takes."""
    entries = len(fitted.entries) + (1 if fitted.more else 0)
    return (fitted.line_count() * fitted.size * line_spacing / 72
            + gap * max(0, entries - 1))
