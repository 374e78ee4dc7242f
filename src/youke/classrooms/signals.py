"""Events other apps follow, sent after the commit that caused them.

- ``network_course_shared(course_id, actor)``: both departments passed the course (R17); the
  library publishes it as a course of ordered lessons.
- ``network_course_withdrawn(course_id, actor, reason)``: a shared course was taken back; the
  library unpublishes it and its lessons.
"""

from django.dispatch import Signal

network_course_shared = Signal()
network_course_withdrawn = Signal()
