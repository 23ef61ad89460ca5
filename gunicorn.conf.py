"""gunicorn settings of the atlas (``gunicorn -c gunicorn.conf.py dashboard.wsgi:server``).

Environment: ``ATLAS_BIND`` (default ``127.0.0.1:$PORT``: only the reverse proxy on the same
host reaches the atlas; set e.g. ``10.0.0.7:8050`` for a proxy on another host, and list that
proxy in ``ATLAS_TRUSTED_PROXIES``), ``PORT`` (default 8050), ``WEB_CONCURRENCY`` worker
processes (default 2), ``GUNICORN_THREADS`` threads per worker (default 4),
``ATLAS_MALLOC_ARENAS`` and ``ATLAS_GIL_SWITCH_MS`` (below), ``GUNICORN_TIMEOUT`` seconds
(default 60: a large workbook upload is validated within the request), ``GUNICORN_KEEPALIVE``
seconds (default 75). Access log on standard output (client address as the atlas counts it,
behind a trusted proxy the real one, then the user), errors on standard error. The Procfile,
for platforms with their own router, passes its own ``--bind``.
"""

import ctypes
import logging
import os
import sys

wsgi_app = "dashboard.wsgi:server"
bind = os.environ.get("ATLAS_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8050')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Longer than any load balancer's idle timeout (60 s for most) and a browser's pause between
# clicks: otherwise a request can meet a connection the server is closing (reset, 502).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
access_log_format = ('%({atlas.client}e)s %({remote_user}e)s "%(r)s" %(s)s %(B)s %(M)sms '
                     '"%(a)s" via %(h)s')
limit_request_line = 8190
control_socket_disable = True  # no runtime control interface (gunicorn >= 25.1)

logging.basicConfig(level=loglevel.upper(), format="%(asctime)s [%(process)d] %(levelname)s "
                    "%(name)s: %(message)s")

#: glibc malloc arenas a worker's threads share (``ATLAS_MALLOC_ARENAS``, default 1; 0 leaves
#: glibc's own limit of eight per core). With one arena per thread, memory a request frees in
#: one thread's arena is not reused by the next request in another: a worker on 1,000 times the
#: demo's programmes peaked at 684 MiB with glibc's default and 604 MiB with one arena
#: (docs/performance.md).
MALLOC_ARENAS = int(os.environ.get("ATLAS_MALLOC_ARENAS", "1"))
M_ARENA_MAX = -8  # glibc's mallopt() parameter number

#: How long a worker's thread may hold the interpreter while another waits for it, ms
#: (``ATLAS_GIL_SWITCH_MS``, default 1; Python's own is 5). A worker's threads share one
#: interpreter lock: with Python's 5 ms, a filter answer (under a millisecond) waited for a
#: country panel being drawn (about 15 ms) in 5 ms turns. Under the Locust load the filter p95
#: went from 45-70 ms to 36-60 ms (docs/performance.md, tenth pass).
GIL_SWITCH_MS = float(os.environ.get("ATLAS_GIL_SWITCH_MS", "1"))


def post_fork(server, worker):
    """Limit the worker's malloc arenas before its threads start (glibc only), and set how
    often its threads take turns with the interpreter."""
    if GIL_SWITCH_MS > 0:
        sys.setswitchinterval(GIL_SWITCH_MS / 1000)
    if MALLOC_ARENAS > 0:
        try:
            ctypes.CDLL(None).mallopt(M_ARENA_MAX, MALLOC_ARENAS)
        except (OSError, AttributeError):
            worker.log.info("malloc arenas left as they are (not glibc)")


def post_worker_init(worker):
    """Start the worker's job host (``dashboard.jobhost``) as the worker starts, so that the
    first export, or the first dialog's preview, finds the data loaded."""
    manager = getattr(worker.wsgi, "extensions", {}).get("atlas_jobs")
    host = getattr(manager, "host", None)
    if host is not None:
        host.begin()
