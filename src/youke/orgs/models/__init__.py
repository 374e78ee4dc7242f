from .person import ExpertProfile, Person
from .role import RoleGrant
from .session import PersonSession
from .token import ApiToken
from .unit import Contact, Unit

__all__ = ["ApiToken", "Contact", "ExpertProfile", "Person", "PersonSession", "RoleGrant", "Unit"]
