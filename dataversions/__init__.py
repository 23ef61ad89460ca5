"""Data versions without Dash or Flask: publish, list and restore dated versions of the data
(:mod:`~dataversions.versions`), check uploaded files (:mod:`~dataversions.uploads`) and keep
one worker on the current version (:mod:`~dataversions.sync`)."""
