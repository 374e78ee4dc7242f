from .submission import Citation, CoAuthor, Material, MaterialLink, Submission, SubmissionEvent

__all__ = ["Citation", "CoAuthor", "Material", "MaterialLink", "Submission", "SubmissionEvent"]
