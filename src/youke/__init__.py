"""youke (优课): lesson-selection activities for basic education, end to end."""

from .celery import app as celery_app

__all__ = ["celery_app"]
