"""gunicorn settings of the atlas (``gunicorn -c gunicorn.conf.py dashboard.wsgi:server``).

Environment: ``PORT`` (default 8050; bound on every interface, for a platform or a reverse
proxy), ``WEB_CONCURRENCY`` worker processes (default 2), ``GUNICORN_THREADS`` threads per
worker (default 4), ``GUNICORN_TIMEOUT`` seconds (default 60: a large workbook upload is
validated within the request), ``GUNICORN_KEEPALIVE`` seconds (default 75). Access log on
standard output, errors on standard error.
"""

import logging
import os

wsgi_app = "dashboard.wsgi:server"
bind = f"0.0.0.0:{os.environ.get('PORT', '8050')}"
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
access_log_format = '%(h)s %(u)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
limit_request_line = 8190
control_socket_disable = True  # no runtime control interface (gunicorn >= 25.1)

logging.basicConfig(level=loglevel.upper(), format="%(asctime)s [%(process)d] %(levelname)s "
                    "%(name)s: %(message)s")
