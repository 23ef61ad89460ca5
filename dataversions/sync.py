"""One worker following the current data version: it checks the ``current`` marker at most once
a second and swaps the new data in whole (:meth:`viewmodel.store.DataStore.replace`)."""

from __future__ import annotations

import logging
import os
import threading
import time

import pandas as pd

from dataversions.versions import SEED, DataVersions, counts, iso_day
from geodata.network import Network, NetworkInvalid
from viewmodel.data import AtlasData, build_atlas_data
from viewmodel.store import DataStore

CHECK_INTERVAL_S = 1.0

log = logging.getLogger("atlas.reload")


class DataSync:
    """Keeps one worker's :class:`DataStore` on the current version."""

    def __init__(self, versions: DataVersions, store: DataStore, countries: pd.DataFrame,
                 served: str | None):
        self.versions, self.store, self.countries = versions, store, countries
        self.served = served
        self._failed: str | None = None
        self._checked = 0.0
        self._loading = threading.Lock()

    def check(self) -> None:
        """Follow ``current`` (read at most once a second); one thread loads, the others go on
        with the version they have."""
        now = time.monotonic()
        if not self.versions.enabled or now - self._checked < CHECK_INTERVAL_S:
            return
        self._checked = now
        name = self.versions.current_name()
        if name is None or name in (self.served, self._failed):
            return
        if not self._loading.acquire(blocking=False):
            return
        try:
            network = self.versions.load(name, self.countries)
            self.adopt(name, network)
        except NetworkInvalid as invalid:
            self._failed = name
            log.error("version %s does not load; still serving %s: %s", name, self.served,
                      invalid)
        finally:
            self._loading.release()

    def adopt(self, name: str, network: Network) -> None:
        """Build everything for ``network``, then serve it in one step."""
        data = build_atlas_data(network, self.countries)
        self.store.replace(data)
        self.served = name
        log.info("worker %d now serves data version %s", os.getpid(), name)

    def health(self) -> dict:
        """What ``/healthz`` tells: loaded, date, counts, version (nothing else)."""
        data: AtlasData = self.store.current()
        cached = getattr(self, "_health", None)
        if cached is None or cached[0] is not data:
            network = data.network
            cached = (data, {
                "status": "ok",
                "data_loaded": True,
                "data_version": self.served or SEED,
                "data_date": iso_day(network.data_date),
                "counts": counts(network),
            })
            self._health = cached
        return cached[1]
