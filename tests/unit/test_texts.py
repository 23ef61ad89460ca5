"""The compact text column (geodata/texts.py): it reads back the texts it was given, in either
stored layout, through what the atlas does with a title column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geodata.texts import CompactText, CompactTextDtype

TEXTS = ["GAR-SI Sahel — Groupes d'action", "", "Côte d'Ivoire « ports »",
         "GAR-SI Sahel — Groupes d'action"]


def _layouts():
    distinct = ["GAR-SI Sahel — Groupes d'action", "", "Côte d'Ivoire « ports »"]
    codes = np.array([0, 1, 2, 0], dtype=np.int32)
    separated = np.frombuffer("\x00".join(distinct).encode(), dtype=np.uint8)
    encoded = [text.encode() for text in distinct]
    offsets = np.concatenate([[0], np.cumsum([len(e) for e in encoded])])
    return {
        "separated": CompactText.from_buffer(codes, separated, separator=0),
        "offsets": CompactText.from_buffer(codes, np.frombuffer(b"".join(encoded), np.uint8),
                                           offsets=offsets),
        "sequence": CompactText._from_sequence(TEXTS),
    }


@pytest.mark.parametrize("layout", ["separated", "offsets", "sequence"])
def test_a_compact_column_reads_as_its_texts(layout):
    series = pd.Series(_layouts()[layout])
    assert series.dtype == CompactTextDtype()
    assert series.tolist() == TEXTS and series[2] == TEXTS[2]
    assert series.iloc[[3, 1]].tolist() == [TEXTS[3], TEXTS[1]]
    assert series[series != ""].tolist() == [TEXTS[0], TEXTS[2], TEXTS[3]]
    assert (series == TEXTS[0]).tolist() == [True, False, False, True]
    assert series.where(series != "", "none").tolist() == [TEXTS[0], "none", *TEXTS[2:]]
    assert series.astype("str").tolist() == TEXTS
    assert pd.concat([series, series.iloc[:1]]).tolist() == TEXTS + TEXTS[:1]


def test_missing_texts_read_as_missing():
    series = pd.Series(CompactText._from_sequence(["a", None, np.nan]))
    assert series.isna().tolist() == [False, True, True]
    assert series.reindex([0, 5]).isna().tolist() == [False, True]
