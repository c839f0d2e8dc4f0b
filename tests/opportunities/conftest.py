import pytest

from quartiers40.territories.lookup import qpv_index_invalidate


@pytest.fixture(autouse=True)
def _fresh_qpv_index():
    """Places look their QPVs up in a cached index: none may outlive its test's database."""
    qpv_index_invalidate()
    yield
    qpv_index_invalidate()
