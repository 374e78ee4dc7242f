from .asset import MediaAsset
from .upload import Upload

__all__ = ["MediaAsset", "Upload"]
