from .credit import TrainingCredit
from .totals import UnitYearTotal

__all__ = ["TrainingCredit", "UnitYearTotal"]
