import pytest

from quartiers40.core.ratelimit import rate_limit_hit, rate_limit_reset

pytestmark = pytest.mark.django_db


def test_counts_per_key_and_scope(settings):
    settings.RATE_LIMITS = {"demo": (2, 60), "other": (1, 60)}
    assert not rate_limit_hit("demo", "a").limited
    assert not rate_limit_hit("demo", "A ").limited  # keys are normalised
    result = rate_limit_hit("demo", "a")
    assert result.limited and 0 < result.retry_after <= 60
    assert not rate_limit_hit("demo", "b").limited
    assert not rate_limit_hit("other", "a").limited


def test_reset_and_switch_off(settings):
    settings.RATE_LIMITS = {"demo": (1, 60)}
    rate_limit_hit("demo", "a")
    assert rate_limit_hit("demo", "a").limited
    rate_limit_reset("demo", "a")
    assert not rate_limit_hit("demo", "a").limited
    settings.RATE_LIMITS_ENABLED = False
    for _ in range(5):
        assert not rate_limit_hit("demo", "a").limited


@pytest.mark.parametrize("trust", [True, False])
def test_client_ip_behind_a_proxy(rf, settings, trust):
    from quartiers40.core.ratelimit import client_ip

    settings.TRUST_X_FORWARDED_FOR = trust
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == ("5.6.7.8" if trust else "10.0.0.1")
