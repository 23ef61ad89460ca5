"""The Locust load scenario runs against a real gunicorn and plays every kind of action (a few
users, a few seconds; nothing about time is asserted)."""

from __future__ import annotations

import socket

from benchmarks import underload


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_load_scenario_plays_every_action_without_an_error(tmp_path):
    """Page loads, filter changes, panels and exports (dialog, its preview job started and
    polled until its picture, the download's job started and polled until its file) all reach
    the server, and none fails; the workers' memory was sampled."""
    # One user plays each action once, then the run ends (the seconds are only a bound).
    run = underload.measure(free_port(), users=1, seconds=240, think="0.2,0.5", once=True,
                            workdir=tmp_path)
    assert run.error == ""
    assert run.errors == 0, run.failures
    played = {name for name, figures in run.by_name.items() if figures.count}
    assert played >= {"page", "page callback", "filter", "panel", "export dialog",
                      "preview start", "preview poll", "export start", "export poll"}
    assert run.metric("filter change").count == 1
    assert run.metric("preview done").count == 1
    assert run.metric("export done").count == 1
    assert run.rss and all(sizes for _, sizes in run.rss)
    # One job host per worker, started with it (one export reached only one of the workers).
    assert len(run.host_rss) == 2 and all(run.host_rss)
