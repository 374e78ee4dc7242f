from youke.originality.models.fingerprint import (
    AudioFingerprint,
    AudioKey,
    DocumentFingerprint,
    DocumentKey,
    VideoFingerprint,
    VideoKey,
)
from youke.originality.models.result import OriginalityMatch, OriginalityResult, OriginalitySettings

__all__ = [
    "AudioFingerprint",
    "AudioKey",
    "DocumentFingerprint",
    "DocumentKey",
    "OriginalityMatch",
    "OriginalityResult",
    "OriginalitySettings",
    "VideoFingerprint",
    "VideoKey",
]
