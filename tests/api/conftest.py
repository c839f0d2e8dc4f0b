import itertools

import pytest

from quartiers40.members import services
from quartiers40.territories.models import QPV

_qpv_numbers = itertools.count(1)


@pytest.fixture
def make_qpv(db):
    def make(**fields) -> QPV:
        number = next(_qpv_numbers)
        fields.setdefault("code", f"QN093{number:03d}M")
        fields.setdefault("name", f"Quartier {number}")
        fields.setdefault("department_code", "93")
        return QPV.objects.create(**fields)

    return make


@pytest.fixture
def bearer(db):
    """Headers carrying a fresh API token of `user`."""

    def make(user) -> dict[str, str]:
        _token, raw = services.api_token_create(user=user, name="Tests")
        return {"Authorization": f"Bearer {raw}"}

    return make
