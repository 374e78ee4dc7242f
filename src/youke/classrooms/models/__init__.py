from youke.classrooms.models.group import DeliveryGroup, LocalPeriod, ReceivingClassroom
from youke.classrooms.models.masters import (
    DemoLesson,
    DiscussionPost,
    Evaluation,
    LessonRegistration,
    MasterTeacher,
    Studio,
    StudioMember,
)
from youke.classrooms.models.network import CourseReview, NetworkCourse, PilotSchool, PlannedLesson
from youke.classrooms.models.preparation import PrepAnnotation, PrepSession, PrepVersion
from youke.classrooms.models.session import Attendance, CalendarFeed, ClassSession
from youke.classrooms.models.term import Term, TermDay
from youke.classrooms.models.timetable import Period
from youke.classrooms.models.workload import WorkloadWeight

__all__ = [
    "Attendance",
    "CalendarFeed",
    "ClassSession",
    "CourseReview",
    "DeliveryGroup",
    "DemoLesson",
    "DiscussionPost",
    "Evaluation",
    "LessonRegistration",
    "LocalPeriod",
    "MasterTeacher",
    "NetworkCourse",
    "Period",
    "PilotSchool",
    "PlannedLesson",
    "PrepAnnotation",
    "PrepSession",
    "PrepVersion",
    "ReceivingClassroom",
    "Studio",
    "StudioMember",
    "Term",
    "TermDay",
    "WorkloadWeight",
]
