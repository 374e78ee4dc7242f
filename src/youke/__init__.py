"""youke (优课): lesson-selection activities for basic education, end to end.

The Celery app is loaded when Django starts (``core.apps.CoreConfig.ready``) and on first
access of ``youke.celery_app``, not on ``import youke``: a process that never starts Django
(``youke certs verify``) does not pay for importing Celery.
"""

__all__ = ["celery_app"]


def __getattr__(name: str):
    if name == "celery_app":
        from .celery import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
