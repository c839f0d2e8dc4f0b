"""The refresh around the QPVs: the API's services through the importers' mapping."""

import json

import pytest
from django.core.management import call_command

from quartiers40.opportunities.enums import OpportunityStatus
from quartiers40.opportunities.importers import api_refresh
from quartiers40.opportunities.models import Opportunity
from quartiers40.opportunities.tasks import opportunities_refresh_task
from tests.opportunities.importers.conftest import DI_SERVICES, DI_STRUCTURES
from tests.opportunities.test_client_data_inclusion import api, paged  # noqa: F401
from tests.territories.conftest import Response, http_server  # noqa: F401
from tests.territories.factories import QPVFactory

pytestmark = pytest.mark.django_db

STRUCTURES = {s["id"]: s for s in json.loads(DI_STRUCTURES.read_text())["items"]}
SERVICES = [
    {**s, "structure": STRUCTURES.get(s["structure_id"])}
    for s in json.loads(DI_SERVICES.read_text())["items"]
]


@pytest.fixture(autouse=True)
def _geocoder_off(settings):
    settings.GEOCODER_ENABLED = False


def test_refresh_reads_the_qpv_communes_and_imports(api):  # noqa: F811
    QPVFactory(code="QN09301M", commune_codes=["93066"])
    QPVFactory(code="QN09302M", commune_codes=["93066", "93005"])
    api.route("GET", "/di/api/v1/search/services", paged(SERVICES))
    assert api_refresh.qpv_communes() == ["93005", "93066"]
    counts = opportunities_refresh_task.using(backend="immediate").enqueue().return_value
    # The empty service is an error; the one whose structure is invalid comes without it.
    assert counts["created"] == 6 and counts["errors"] == 1
    assert not Opportunity.objects.get(source_id="dora--blacklisted-service").structure
    assert {r.query["code_commune"][0] for r in api.requests} == {"93005", "93066"}
    dora = Opportunity.objects.get(source_id="dora--46f7ea19-c97b-4f45-90a9-027b44cad927")
    assert dora.source == "data-inclusion" and dora.structure.name == "PLATEFORME DE L'INCLUSION"
    # Again: all unchanged; then a service gone from the API is withdrawn.
    report = api_refresh.opportunities_refresh()
    assert report.counts["unchanged"] == 6 and report.withdrawn == 0
    api.route("GET", "/di/api/v1/search/services", paged(SERVICES[:3]))
    report = api_refresh.opportunities_refresh()
    assert report.withdrawn == 4
    assert Opportunity.objects.filter(status=OpportunityStatus.WITHDRAWN).count() == 4


def test_a_failing_api_withdraws_nothing_and_does_not_crash(api, settings):  # noqa: F811
    QPVFactory(code="QN09301M", commune_codes=["93066"])
    api.route("GET", "/di/api/v1/search/services", paged(SERVICES))
    api_refresh.opportunities_refresh()
    api.route("GET", "/di/api/v1/search/services", lambda request: Response(500, b""))
    report = api_refresh.opportunities_refresh()
    assert report.withdrawn == 0 and "l'API n'a pas tout donné : 93066" in report.withdrawal_skipped
    assert not Opportunity.objects.filter(status=OpportunityStatus.WITHDRAWN).exists()
    api.route("GET", "/di/api/v1/search/services", paged(SERVICES))
    settings.DATA_INCLUSION_API_TOKEN = "wrong"
    report = api_refresh.opportunities_refresh()
    assert report.withdrawn == 0 and "93066 (HTTP 401)" in report.withdrawal_skipped


def test_disabled_by_default_and_the_command(settings, capsys):
    settings.DATA_INCLUSION_API_ENABLED = False
    call_command("opportunities_refresh")
    assert "désactivée" in capsys.readouterr().out
    assert not Opportunity.objects.exists()
