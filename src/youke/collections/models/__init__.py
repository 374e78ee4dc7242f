from youke.collections.models.task import CollectionReturn, CollectionTask, ContactEntry
from youke.collections.models.version import DocumentVersion

__all__ = ["CollectionReturn", "CollectionTask", "ContactEntry", "DocumentVersion"]
