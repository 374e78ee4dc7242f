from .entry import LevelEntry
from .level_list import LevelList
from .quota import Quota
from .screening import ScreeningRecord

__all__ = ["LevelEntry", "LevelList", "Quota", "ScreeningRecord"]
