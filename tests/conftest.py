"""Fixtures for every test folder."""

from __future__ import annotations

import threading

import pytest


@pytest.fixture(scope="session", autouse=True)
def _no_timer_left():
    """Timer threads left running (the login limiter's in-memory storage schedules them) are
    cancelled when the session ends: the interpreter waits for them at exit, and under a
    moved clock (the test command's faketime runs) their next tick may be years away."""
    yield
    for thread in threading.enumerate():
        if isinstance(thread, threading.Timer):
            thread.cancel()
