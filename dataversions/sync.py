"""One worker following the current data version: it checks the ``current`` marker at most once
a second and swaps the new data in whole (:meth:`viewmodel.store.DataStore.replace`)."""

from __future__ import annotations

import logging
import os
import threading
import time

import pandas as pd

from dataversions.versions import SEED, DataVersions, Notice, counts, iso_day
from geodata.network import Network, NetworkInvalid
from viewmodel.data import AtlasData, build_atlas_data
from viewmodel.store import DataStore

CHECK_INTERVAL_S = 1.0

log = logging.getLogger("atlas.reload")


class DataSync:
    """Keeps one worker's :class:`DataStore` on the current version."""

    def __init__(self, versions: DataVersions, store: DataStore, countries: pd.DataFrame,
                 served: str | None, notice: Notice | None = None):
        self.versions, self.store, self.countries = versions, store, countries
        self.served = served
        #: Why the version served is not the one wanted (None when it is): shown by
        #: ``/healthz`` and the dashboard's banner.
        self.notice = notice
        # the version that did not load at start is not tried again until the pointer moves
        self._failed = notice.wanted if notice and notice.reason != "pointer" else None
        self._checked = 0.0
        self._loading = threading.Lock()

    def check(self) -> None:
        """Follow ``current`` (read at most once a second); one thread loads, the others go on
        with the version they have."""
        now = time.monotonic()
        if not self.versions.enabled or now - self._checked < CHECK_INTERVAL_S:
            return
        self._checked = now
        name, pointer = self.versions.wanted()
        if name == self.served:
            if pointer and (self.notice is None or self.notice.reason != "pointer"):
                self._set_notice(self.versions.notice("pointer", name, name))
            elif not pointer:
                self._set_notice(None)
            return
        if name is None or name == self._failed:
            return
        if not self._loading.acquire(blocking=False):
            return
        try:
            network = self.versions.load(name, self.countries)
            self.adopt(name, network)
            self._set_notice(self.versions.notice("pointer", name, name) if pointer else None)
        except NetworkInvalid as invalid:
            self._failed = name
            damaged = any(p.key.startswith("problem.version.") for p in invalid.problems)
            self._set_notice(self.versions.notice("changed" if damaged else "invalid", name,
                                                  self.served or SEED))
            log.error("version %s does not load; still serving %s: %s", name, self.served,
                      invalid)
        finally:
            self._loading.release()

    def _set_notice(self, notice: Notice | None) -> None:
        if notice != self.notice:
            self.notice = notice
            self._health = None

    def adopt(self, name: str, network: Network) -> None:
        """Build everything for ``network``, then serve it in one step."""
        data = build_atlas_data(network, self.countries)
        self.store.replace(data)
        self.served = name
        self._health = None
        log.info("worker %d now serves data version %s", os.getpid(), name)

    def health(self) -> dict:
        """What ``/healthz`` tells: loaded, date, counts, version (nothing else)."""
        data: AtlasData = self.store.served()
        cached = getattr(self, "_health", None)
        if cached is None or cached[0] is not data:
            network = data.network
            health = {
                "status": "degraded" if self.notice else "ok",
                "data_loaded": True,
                "data_version": self.served or SEED,
                "data_date": iso_day(network.data_date),
                "counts": counts(network),
            }
            if self.notice:
                health["fallback"] = self.notice.as_dict()
            cached = (data, health)
            self._health = cached
        return cached[1]
