"""Settings for several processes on shared services, as a production process computes them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from youke import config

ROOT = Path(__file__).resolve().parents[2]
PRINT = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps({'broker': settings.CELERY_BROKER_TRANSPORT_OPTIONS, "
    "'storage': settings.STORAGES['default'].get('OPTIONS', {})}))"
)


def production_settings(tmp_path, **env) -> dict:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("YOUKE_")}
    environ.update(DJANGO_SETTINGS_MODULE="youke.settings", YOUKE_DATA_DIR=str(tmp_path), **env)
    done = subprocess.run(
        [sys.executable, "-c", PRINT], env=environ, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_visibility_timeout_default_outlasts_the_longest_job():
    # A rendition may run 4 h; a shorter timeout would hand a running job to a second worker.
    assert config.load({})["BROKER_VISIBILITY_TIMEOUT"] == 5 * 3600
    assert config.load({"YOUKE_BROKER_VISIBILITY_TIMEOUT": "30"})["BROKER_VISIBILITY_TIMEOUT"] == 30


def test_redis_broker_gets_the_visibility_timeout_and_s3_signs_v4(tmp_path):
    got = production_settings(
        tmp_path,
        CELERY_BROKER_URL="redis://127.0.0.1:6379/7",
        YOUKE_BROKER_VISIBILITY_TIMEOUT="42",
        YOUKE_S3_BUCKET="media",
        YOUKE_S3_ENDPOINT_URL="http://127.0.0.1:9000",
    )
    # A dead worker's unacknowledged jobs are swept back to the queue every 10 s.
    assert got["broker"] == {
        "visibility_timeout": 42,
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
    }
    assert (got["storage"]["signature_version"], got["storage"]["region_name"]) == (
        "s3v4",
        "us-east-1",
    )
