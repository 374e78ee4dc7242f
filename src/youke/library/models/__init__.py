from youke.library.models.consent import LibrarySettings, PublicationConsent
from youke.library.models.lesson import LibraryFile, LibraryLesson
from youke.library.models.usage import LessonLike, LessonRating

__all__ = [
    "LessonLike",
    "LessonRating",
    "LibraryFile",
    "LibraryLesson",
    "LibrarySettings",
    "PublicationConsent",
]
