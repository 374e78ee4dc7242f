from .asset import MediaAsset, MediaThumbnail
from .playback import PlaybackPosition
from .upload import Upload, UploadPart

__all__ = ["MediaAsset", "MediaThumbnail", "PlaybackPosition", "Upload", "UploadPart"]
