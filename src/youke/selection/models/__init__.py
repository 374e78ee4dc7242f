from .award import Award
from .entry import LevelEntry
from .filming import FilmingRequest
from .level_list import LevelList
from .publicity import Objection, Publicity, PublicityExport, SummarySheetConfirmation
from .quota import Quota
from .review import (
    Assignment,
    ChecklistConfirmation,
    Conflict,
    ReviewRound,
    RoundExpert,
    Score,
)
from .review_summary import EntryReviewSummary, ExpertRoundStats, RoundReviewTotals
from .screening import ScreeningRecord

__all__ = [
    "Assignment",
    "Award",
    "ChecklistConfirmation",
    "Conflict",
    "EntryReviewSummary",
    "ExpertRoundStats",
    "FilmingRequest",
    "LevelEntry",
    "LevelList",
    "Objection",
    "Publicity",
    "PublicityExport",
    "Quota",
    "ReviewRound",
    "RoundReviewTotals",
    "RoundExpert",
    "Score",
    "ScreeningRecord",
    "SummarySheetConfirmation",
]
