from .asset import MediaAsset, MediaThumbnail
from .upload import Upload

__all__ = ["MediaAsset", "MediaThumbnail", "Upload"]
