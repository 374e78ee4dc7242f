from .node import CourseNode

__all__ = ["CourseNode"]
