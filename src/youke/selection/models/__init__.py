from .award import Award
from .entry import LevelEntry
from .level_list import LevelList
from .publicity import Objection, Publicity, SummarySheetConfirmation
from .quota import Quota
from .review import Assignment, Conflict, ReviewRound, RoundExpert, Score
from .screening import ScreeningRecord

__all__ = [
    "Assignment",
    "Award",
    "Conflict",
    "LevelEntry",
    "LevelList",
    "Objection",
    "Publicity",
    "Quota",
    "ReviewRound",
    "RoundExpert",
    "Score",
    "ScreeningRecord",
    "SummarySheetConfirmation",
]
