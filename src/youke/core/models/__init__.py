from .audit import AuditEvent
from .job import Job

__all__ = ["AuditEvent", "Job"]
