"""Celery entry of the background jobs: ``celery -A dashboard.worker worker``.

With ``ATLAS_REDIS_URL`` set, the web workers hand the export dialog's files and briefing packs
to Celery; this module builds the same app (the same settings, data and callbacks, so the same
task names) and exposes its Celery application as ``celery``. The worker runs
``ATLAS_EXPORT_WORKERS + ATLAS_EXPORT_QUEUE`` processes: as many exports as the host allows,
and one idle process per place in the queue, so that every queued export says its place.
"""

from dashboard.app import create_app
from dashboard.settings import Settings

settings = Settings.load()
if not settings.redis_url:
    raise SystemExit("dashboard.worker needs ATLAS_REDIS_URL (the Celery broker)")
dash_app = create_app(settings)  # not "app": Celery would take it for its own
celery = dash_app.server.extensions["atlas_jobs"].handle
celery.conf.worker_concurrency = settings.export_workers + settings.export_queue
