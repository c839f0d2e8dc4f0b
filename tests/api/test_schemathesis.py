"""Every operation of the OpenAPI document, attacked with generated requests (schemathesis).

The document is the one the app serves, so a router added later is covered without a line
here. Each operation gets a bounded number of generated requests, anonymous and with a
valid token of a coordinator who runs an organisation; the checks: no server error, a
documented status code, the documented content type, a body that matches its schema.
Generated path parameters are sometimes swapped for the identifiers of real objects
(`_world` below), so the answers are not all 404s.
"""

from datetime import time, timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from quartiers40.challenges.enums import ChallengeStatus
from quartiers40.members import services as member_services
from quartiers40.members.enums import Role
from tests.challenges.factories import ChallengeFactory, CommentFactory, OfferFactory
from tests.meetings.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    EditionFactory,
    LocalSeriesFactory,
)
from tests.members.factories import CoordinatorFactory, MembershipFactory, OrganisationFactory
from tests.projects.factories import PublishedProjectFactory
from tests.territories.factories import GoutteDOrFactory

pytestmark = pytest.mark.django_db

# Requests per operation and per caller: 43 operations x 2 callers x 12 stay under a
# minute on 2 cores.
MAX_EXAMPLES = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

# The WSGI test client does not undo a gzip content coding (/qpv.geojson sends one).
IDENTITY = {"Accept-Encoding": "identity"}
# Identifiers of the objects `_world` made, by path parameter name.
KNOWN: dict[str, list] = {}

hypothesis_settings = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,  # the same requests at every run: a failure is reproducible
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the world is made once per operation
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)


@pytest.fixture
def _world(settings):
    """Real objects of every domain, and who calls; no API budget runs out mid-test."""
    settings.RATE_LIMITS = {
        scope: budget
        for scope, budget in settings.RATE_LIMITS.items()
        if scope not in ("api_anonymous", "api_token")
    }
    qpv = GoutteDOrFactory()
    caller = CoordinatorFactory()
    organisation = OrganisationFactory()
    MembershipFactory(user=caller, organisation=organisation, role=Role.ADMIN)
    project = PublishedProjectFactory(carrier=organisation)
    project.qpvs.add(qpv)
    challenge = ChallengeFactory(author=caller, organisation=organisation)
    challenge.qpvs.add(qpv)
    solved = ChallengeFactory(
        status=ChallengeStatus.SOLVED,
        outcome_text="Des ateliers chaque mercredi.",
        outcome_result="Trente familles connectées.",
        outcome_project=project,
    )
    CommentFactory(challenge=challenge)
    OfferFactory(challenge=challenge, organisation=organisation, author=caller)
    series = LocalSeriesFactory(organisation=organisation)
    edition = EditionFactory(series=series)
    past = EditionFactory(
        series=series, starts_at=timezone.now() - timedelta(days=30), minutes="Compte rendu."
    )
    AgendaItemFactory(edition=edition, starts_at=time(9, 30), project=project)
    AgendaItemFactory(edition=edition, challenge=challenge)
    action = ActionItemFactory(edition=past, owner_user=caller, project=project)
    _token, raw = member_services.api_token_create(user=caller, name="schemathesis")
    KNOWN.update(
        {
            "slug": [organisation.slug, challenge.slug, solved.slug, series.slug, edition.slug],
            "project_id": [project.pk],
            "item_id": [action.pk],
            "code": [qpv.code],
        }
    )
    # As Django's test client does: the WSGI handler would close the test's connection
    # (and its transaction) at the end of each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"headers": {"Authorization": f"Bearer {raw}"}}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Half the time, a path parameter names an object of the world, made by then."""
    if not path_parameters:
        return st.just(path_parameters)
    choices = {
        name: st.one_of(st.just(value), st.deferred(lambda name=name: st.sampled_from(KNOWN[name])))
        for name, value in path_parameters.items()
        if name in KNOWN
    }
    return st.fixed_dictionaries(choices).map(lambda real: {**path_parameters, **real})


@schema.parametrize()
@hypothesis_settings
def test_anonymous(case, _world):
    case.call_and_validate(headers=IDENTITY, checks=CHECKS)


@schema.parametrize()
@hypothesis_settings
def test_with_token(case, _world):
    case.call_and_validate(headers={**IDENTITY, **_world["headers"]}, checks=CHECKS)
