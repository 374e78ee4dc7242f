"""The selection fixtures plus people with e-mail addresses."""

from __future__ import annotations

import pytest

from tests.campaigns.conftest import catalog  # noqa: F401  (fixture)
from tests.selection.conftest import lessons  # noqa: F401  (fixture)
from tests.submissions.conftest import campaign  # noqa: F401  (fixture)
from youke.orgs.models import Person


class FailingBackend:
    """A mail server that is down (outside the machine, so it is faked)."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("smtp.example.cn:25 拒绝连接")


@pytest.fixture
def mailboxes(province):
    """Addresses for the people the tests notify."""
    addresses = {
        province.teacher_a: "wang@school-a.cn",
        province.school_a_admin: "admin@school-a.cn",
        province.county_a_admin: "admin@donghu.cn",
    }
    for person, address in addresses.items():
        Person.objects.filter(pk=person.pk).update(email=address)
        person.email = address
    return addresses
