"""Build scripts, run from the repository root (``python -m tools.make_demo``,
``python -m tools.build_countries``); not installed with the atlas."""
