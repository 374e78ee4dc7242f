from youke.programmes.models.programme import Programme, RosterMember, Stage
from youke.programmes.models.task import EvidenceFile, ProgressNote, Task, TaskArea, TaskUnit
from youke.programmes.models.yearend import CaseRecommendation, YearEndEntry, YearEndReport

__all__ = [
    "CaseRecommendation",
    "EvidenceFile",
    "Programme",
    "ProgressNote",
    "RosterMember",
    "Stage",
    "Task",
    "TaskArea",
    "TaskUnit",
    "YearEndEntry",
    "YearEndReport",
]
