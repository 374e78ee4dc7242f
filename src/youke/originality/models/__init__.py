from youke.originality.models.fingerprint import (
    DocumentFingerprint,
    DocumentKey,
    VideoFingerprint,
    VideoKey,
)
from youke.originality.models.result import OriginalityMatch, OriginalityResult, OriginalitySettings

__all__ = [
    "DocumentFingerprint",
    "DocumentKey",
    "OriginalityMatch",
    "OriginalityResult",
    "OriginalitySettings",
    "VideoFingerprint",
    "VideoKey",
]
