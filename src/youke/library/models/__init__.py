from youke.library.models.comment import LessonComment, SensitiveWord
from youke.library.models.consent import LibrarySettings, PublicationConsent
from youke.library.models.course import LibraryCourse
from youke.library.models.engagement import LessonFavourite, WatchHistory
from youke.library.models.lesson import LibraryFile, LibraryLesson
from youke.library.models.report import ProblemReport
from youke.library.models.usage import LessonLike, LessonRating

__all__ = [
    "LessonComment",
    "LessonFavourite",
    "LessonLike",
    "LessonRating",
    "LibraryCourse",
    "LibraryFile",
    "LibraryLesson",
    "LibrarySettings",
    "ProblemReport",
    "PublicationConsent",
    "SensitiveWord",
    "WatchHistory",
]
