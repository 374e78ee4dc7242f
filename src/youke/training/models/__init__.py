from .credit import TrainingCredit
from .totals import UnitYearTotal
from .workload import WorkloadHourRule

__all__ = ["TrainingCredit", "UnitYearTotal", "WorkloadHourRule"]
