from youke.programmes.models.programme import Programme, RosterMember, Stage
from youke.programmes.models.task import EvidenceFile, ProgressNote, Task, TaskArea, TaskUnit

__all__ = [
    "EvidenceFile",
    "Programme",
    "ProgressNote",
    "RosterMember",
    "Stage",
    "Task",
    "TaskArea",
    "TaskUnit",
]
