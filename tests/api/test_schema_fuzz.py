"""Fuzzing every operation of the OpenAPI schema with schemathesis (issue 8, item 12).

Each operation is one test; every generated case is sent through the WSGI app as one of five
callers (anonymous, a teacher, a school admin, an expert, the province admin) with a bearer
token, over a small province with campaigns, packages, a scored round, awards, a 公示 window
and an upload, so that many generated ids hit real rows. A case passes when the answer is not
a 5xx, its status code is one the operation documents, and its content type and body match
the documented response. ``FUZZ_EXAMPLES`` sets the number of cases per operation;
``bench/fuzz_api.py`` runs the same test with many more.
"""

from __future__ import annotations

import datetime
import os
import secrets

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.campaigns.conftest import catalog  # noqa: F401  (fixture)
from tests.selection.conftest import lessons, level  # noqa: F401  (fixture)
from tests.selection.test_awards import ranked  # noqa: F401  (fixture)
from tests.selection.test_summary_sheet import build_list
from tests.submissions.conftest import campaign  # noqa: F401  (fixture)
from youke.api.urls import api
from youke.core.actor import Actor
from youke.media.models import Upload
from youke.orgs.models import ApiToken, RoleGrant
from youke.selection.domain.awards import grant_awards
from youke.selection.domain.publicity import file_objection, open_publicity
from youke.submissions.models import Submission
from youke.wsgi import application

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
CALLERS = ("anonymous", "teacher_a", "school_a_admin", "expert", "province_admin")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# "positive" (valid requests, the CI run) or "all" (also requests that break the schema)
MODE = os.environ.get("FUZZ_MODE", "positive")
CONFIG = SchemathesisConfig.from_dict({"generation": {"mode": MODE}})
schema = schemathesis.openapi.from_dict(
    api.get_openapi_schema(path_prefix="/api/v1/"), config=CONFIG
)
schema.app = application
# tus bodies are raw bytes, sent like any octet stream
schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")

# The ids of the current test's rows by parameter name (path, query or top-level body key);
# most generated ids are swapped for these, so cases reach existing objects.
KNOWN: dict[str, list] = {}


def _known_or_generated(values: dict) -> st.SearchStrategy:
    if not isinstance(values, dict):
        return st.just(values)
    fields = {}
    for name, value in values.items():
        known = KNOWN.get(name.removesuffix("_id"))
        if known and (value is None or isinstance(value, int | str)):
            # most draws take a real id; the generated value stays one of the choices
            fields[name] = st.sampled_from([value, *known * 3])
        else:
            fields[name] = st.just(value)
    return st.fixed_dictionaries(fields)


# Every case sent in this process: (operation, caller, status); bench/fuzz_api.py reports it.
SENT: list[tuple[str, str, int]] = []
_caller: list[str] = ["anonymous"]


@schema.hook
def after_call(context, case, response):
    SENT.append((case.operation.label, _caller[0], response.status_code))


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    return _known_or_generated(path_parameters)


@schema.hook
def flatmap_query(context, query):
    return _known_or_generated(query)


@schema.hook
def flatmap_body(context, body):
    return _known_or_generated(body)


@pytest.fixture
def wsgi_keeps_connection():
    """Like Django's test client: the test's transaction outlives each request.

    schemathesis drives the WSGI app directly, so the end of each request would close the
    database connection (``close_old_connections``) and with it the test's transaction.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def window(province, campaign, lessons):  # noqa: F811
    """School A's confirmed list in an open 公示 window with one objection filed.

    Built before ``ranked``, whose packages would otherwise sit pending on school A's list.
    """
    now = timezone.now()
    _row, listed = build_list(province, campaign, lessons[10:])
    publicity = open_publicity(
        Actor(province.school_a_admin),
        campaign,
        level(campaign, "school"),
        province.school_a,
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(days=5),
        title="东湖区实验小学推荐结果公示",
    )
    objection = file_objection(
        publicity, listed[0], name="张三", contact="13900000000", reason="课例与他人雷同"
    )
    return publicity, objection, listed


@pytest.fixture
def world(province, campaign, lessons, window, ranked):  # noqa: F811
    """Demo-like rows in every table the API reads, and a bearer token per caller."""
    publicity, objection, listed = window
    review_round, entries, grades = ranked
    awards = grant_awards(
        Actor(province.city_admin),
        review_round,
        [(entries[0], grades[0], ""), (entries[1], grades[1], "")],
    )
    draft = Submission.objects.create(
        campaign=campaign,
        category=campaign.categories.order_by("order", "id").first(),
        node=lessons[20],
        teacher=province.teacher_a,
        unit=province.school_a,
        title="草稿课例",
    )
    upload = Upload.objects.create(
        owner=province.teacher_a,
        purpose="material",
        filename="教学设计.pdf",
        length=1000,
        metadata={"purpose": "material", "filename": "教学设计.pdf"},
    )
    tokens = {}
    for caller in CALLERS[1:]:
        raw = secrets.token_urlsafe(32)
        ApiToken.objects.create(person=getattr(province, caller), digest=ApiToken.digest_of(raw))
        tokens[caller] = raw
    KNOWN.clear()
    KNOWN.update(
        {
            "unit": [province.school_a.pk, province.county_b.pk, province.city.pk],
            "parent": [province.county_a.pk, lessons[0].get_parent().pk],
            "person": [province.teacher_a.pk, province.teacher_b.pk, province.expert.pk],
            "campaign": [campaign.pk],
            "category": list(campaign.categories.values_list("pk", flat=True)[:2]),
            "level": [level(campaign, "school").pk, level(campaign, "city").pk],
            "node": [lessons[0].pk, lessons[21].pk],
            "submission": [draft.pk, entries[0].submission_id, listed[1].submission_id],
            "entry": [entries[0].pk, listed[1].pk],
            "round": [review_round.pk],
            "assignment": list(review_round.assignments.values_list("pk", flat=True)[:2]),
            "publicity": [publicity.pk],
            "objection": [objection.pk],
            "award": [award.pk for award in awards],
            "grant": list(
                RoleGrant.objects.filter(person=province.teacher_a).values_list("pk", flat=True)
            ),
            "expert": [province.expert.pk],
            "teacher": [province.teacher_a.pk, province.teacher_b.pk],
            "upload": [str(upload.pk)],
            "requirement": list(
                campaign.categories.first().materials.values_list("pk", flat=True)[:2]
            ),
        }
    )
    return tokens


@schema.given(caller=st.sampled_from(CALLERS))
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the world is rebuilt per operation, not per case
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
@pytest.mark.django_db
def test_api_answers_as_documented(case, caller, world, wsgi_keeps_connection):
    headers = {"Authorization": f"Bearer {world[caller]}"} if caller in world else {}
    _caller[0] = caller
    case.call_and_validate(headers=headers, checks=CHECKS)
