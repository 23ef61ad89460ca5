"""The baselines the changes mode may compare with (``since=``): the published versions of the
data root, and, when the demo is served, its earlier snapshot (``demo-previous``).

A source answers :meth:`Baselines.options` (key, label) for the control and
:meth:`Baselines.baseline` for a key (a version's name, the name given at publish, or
``demo-previous``); each network is loaded once and kept (a few at a time).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date

import pandas as pd

from dataversions.versions import DataVersions
from geodata.i18n import describe, format_day
from geodata.loading import DEMO_PREVIOUS_DIR, load_network
from geodata.network import NetworkInvalid
from viewmodel.changes import Baseline

DEMO_PREVIOUS = "demo-previous"
KEPT = 4


class Baselines:
    """The baselines of one served data set (``versions`` may have no data root)."""

    def __init__(self, versions: DataVersions, countries: pd.DataFrame, *, demo: bool):
        self.versions = versions
        self.countries = countries
        self.demo = demo
        self._lock = threading.Lock()
        self._kept: OrderedDict[str, Baseline] = OrderedDict()

    def _labels(self, name: str, day: date | None, given: str = "") -> tuple[str, str]:
        if name == DEMO_PREVIOUS:
            return tuple(describe("changes.baseline.demo", lang, {"date": format_day(day, lang)})
                         for lang in ("fr", "en"))
        if given:
            return (given, given)
        if day is None:
            return (name, name)
        return tuple(describe("changes.baseline.version", lang, {"date": format_day(day, lang)})
                     for lang in ("fr", "en"))

    def _rows(self) -> list[tuple[str, date | None, str]]:
        rows = []
        if self.versions.enabled:
            current = self.versions.current_name()
            for row in self.versions.listing():
                name = row["version"]
                if name in (current, "seed"):
                    continue
                try:
                    day = date.fromisoformat(row.get("data_date") or "")
                except ValueError:
                    day = None
                rows.append((name, day, str(row.get("name") or "")))
        if self.demo and DEMO_PREVIOUS_DIR.is_dir():
            rows.append((DEMO_PREVIOUS, _meta_day(), ""))
        return rows

    def options(self, lang: str) -> list[tuple[str, str]]:
        """``(key, label)`` of every baseline, newest first; a version named at publish goes
        by its name."""
        options = []
        for name, day, given in self._rows():
            fr, en = self._labels(name, day, given)
            label = en if lang == "en" else fr
            options.append((given or name, label[:1].upper() + label[1:]))
        return options

    def baseline(self, key: str) -> Baseline | None:
        """The baseline ``key`` names, loaded (None: unknown, or it does not load)."""
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        found = self._load(key)
        if found is not None:
            with self._lock:
                self._kept[key] = found
                while len(self._kept) > KEPT:
                    self._kept.popitem(last=False)
        return found

    def _load(self, key: str) -> Baseline | None:
        try:
            if key == DEMO_PREVIOUS and self.demo and DEMO_PREVIOUS_DIR.is_dir():
                network = load_network(DEMO_PREVIOUS_DIR, self.countries)
                fr, en = self._labels(DEMO_PREVIOUS, network.data_date)
                return Baseline(key, fr, en, network.data_date, network)
            name = self.versions.resolve(key) if self.versions.enabled else None
            if name is None or name == "seed":
                return None
            network = self.versions.load(name, self.countries)
        except NetworkInvalid:
            return None
        fr, en = self._labels(name, network.data_date,
                              str(self.versions.meta(name).get("name") or ""))
        return Baseline(key, fr, en, network.data_date, network)


def _meta_day() -> date | None:
    try:
        text = (DEMO_PREVIOUS_DIR / "meta.csv").read_text(encoding="utf-8").splitlines()[1]
        return date.fromisoformat(text.split(",")[1].strip())
    except (OSError, IndexError, ValueError):
        return None
