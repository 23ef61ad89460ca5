"""Callback groups, each with ``register(app, store)``."""
