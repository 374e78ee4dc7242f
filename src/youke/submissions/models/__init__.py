from .submission import Citation, CoAuthor, Material, Submission, SubmissionEvent

__all__ = ["Citation", "CoAuthor", "Material", "Submission", "SubmissionEvent"]
