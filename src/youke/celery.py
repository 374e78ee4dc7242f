"""Celery application; tasks live in each data app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "youke.settings")

app = Celery("youke")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
