"""GET /api/v1/health: database, storage and job queue, for load balancers and monitoring."""

import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from ninja import Router

router = Router(tags=["health"])


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:
        return False


def _storage() -> bool:
    name = f"health/{uuid.uuid4().hex}.txt"
    try:
        saved = default_storage.save(name, ContentFile(b"ok"))
        with default_storage.open(saved) as handle:
            ok = handle.read() == b"ok"
        default_storage.delete(saved)
        return ok
    except Exception:
        return False


def _queue() -> bool:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return True
    if settings.BROKERLESS_QUEUE:
        settings.QUEUE_DIR.mkdir(parents=True, exist_ok=True)
        probe = settings.QUEUE_DIR / f".health-{uuid.uuid4().hex}"
        try:
            probe.write_bytes(b"ok")
            probe.unlink()
            return True
        except OSError:
            return False
    from youke.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


@router.get("/health", auth=None, operation_id="health")
def health(request):
    checks = {"database": _database(), "storage": _storage(), "queue": _queue()}
    body = {name: "ok" if ok else "error" for name, ok in checks.items()}
    body["status"] = "ok" if all(checks.values()) else "error"
    return JsonResponse(body, status=200 if all(checks.values()) else 503)
