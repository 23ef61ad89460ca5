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


#: The test command (scripts/test.sh) starts one Redis server for the whole run and names it
#: here; without it, the fixture below starts one of its own.
REDIS_URL_VARIABLE = "ATLAS_TEST_REDIS_URL"


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A Redis server for the tests that need one: ``ATLAS_TEST_REDIS_URL`` when the test
    command started it, else a ``redis-server`` started here (loopback, a free port, its own
    folder, stopped at the end of the session). Fails, never skips, when neither is there."""
    import os
    import shutil
    import socket
    import subprocess
    import time

    given = os.environ.get(REDIS_URL_VARIABLE)
    if given:
        yield given
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail(f"these tests need Redis: install redis-server (Debian: apt-get install "
                    f"redis-server) or set {REDIS_URL_VARIABLE}; scripts/test.sh does both")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port),
                               "--dir", str(folder), "--save", "", "--appendonly", "no"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"redis-server did not start on port {port}")
            time.sleep(0.1)
    try:
        yield f"redis://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)
