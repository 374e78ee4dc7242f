from .awards import AwardGrade, TrainingHourRule
from .campaign import Campaign
from .category import (
    Category,
    ChecklistItem,
    Criterion,
    MaterialRequirement,
    VideoRule,
    rules_for_stage,
)
from .level import Level, UnitDeadline
from .nodes import NodeClosure, PastAward
from .window import UploadWindow

__all__ = [
    "AwardGrade",
    "Campaign",
    "Category",
    "ChecklistItem",
    "Criterion",
    "Level",
    "MaterialRequirement",
    "NodeClosure",
    "PastAward",
    "TrainingHourRule",
    "UnitDeadline",
    "UploadWindow",
    "VideoRule",
    "rules_for_stage",
]
