"""The network on a date: each programme's status decided by its dates, the posts open then.

A programme is *planned* on a day before its start date, *active* from its start date to its
end date, both included (a programme ending on the day is active that day; one with no end
date runs from its start onward), and *completed* after its end date. The recorded ``status``
column stays the analyst's record: the validator warns where it disagrees with the dates on
the data's date (:mod:`geodata.validate`), and :func:`network_on` replaces it by the dated
status. A post opened after the day's year (``opened``) is not part of the network on that
day, nor is the coverage it records; coverage is otherwise as recorded in the version.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from geodata.network import STATUSES, Network


def statuses_on(programmes: pd.DataFrame, day: date) -> pd.Series:
    """Each programme's status on ``day`` from its ``start_date`` and ``end_date``."""
    on = pd.Timestamp(day)
    start, end = programmes["start_date"], programmes["end_date"]
    planned = (start > on).to_numpy(dtype=bool)
    completed = (end.notna() & (end < on)).to_numpy(dtype=bool) & ~planned
    codes = np.where(planned, 0, np.where(completed, 2, 1))
    # Three shared strings rather than one per programme (about 30 MB at 1,000x the demo).
    status = np.array(STATUSES, dtype=object)[codes]
    return pd.Series(status, index=programmes.index, dtype="str")


def open_posts(posts: pd.DataFrame, day: date) -> pd.Series:
    """Per post: True when it is open on ``day`` (opened in or before its year, or no year)."""
    opened = posts["opened"]
    return (opened.isna() | (opened <= day.year)).fillna(True).astype(bool)


def network_on(network: Network, day: date) -> Network:
    """``network`` as it stood on ``day``: statuses from the dates, only the posts open then
    (and their coverage). The data's date and everything else are kept."""
    programmes = network.programmes.assign(status=statuses_on(network.programmes, day))
    is_open = open_posts(network.posts, day)
    posts = network.posts[is_open.to_numpy()].reset_index(drop=True)
    kept = set(posts["post_id"])
    coverage = network.coverage[network.coverage["post_id"].isin(kept)].reset_index(drop=True)
    return network.restated(programmes=programmes, posts=posts, coverage=coverage)


def parse_day(text: str | None) -> date | None:
    """``2022-06-30`` as a date; None when absent or not an ISO date."""
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None
