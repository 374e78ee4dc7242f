from .bulletin import Bulletin, BulletinCounter, BulletinSchedule
from .figure import FigureHistory, SubjectFigure, UnitFigure
from .indicator import Indicator, IndicatorTarget

__all__ = [
    "Bulletin",
    "BulletinCounter",
    "BulletinSchedule",
    "FigureHistory",
    "Indicator",
    "IndicatorTarget",
    "SubjectFigure",
    "UnitFigure",
]
