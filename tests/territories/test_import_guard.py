"""An import that would retire most QPVs is refused; --dry-run says what would change."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from quartiers40.territories.models import QPV
from quartiers40.territories.services import QPVRetireRefused, qpv_layer_import

from .conftest import NATIONAL_FILE, qpv_feature, square

pytestmark = pytest.mark.django_db


def _layer(write_layer, codes, name="layer.geojson"):
    return write_layer(
        [
            qpv_feature(code, code, square(2.30 + 0.02 * i, 48.80, 0.01))
            for i, code in enumerate(codes)
        ],
        name=name,
    )


def _command(*args) -> str:
    out = StringIO()
    call_command("import_qpv", *args, "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue()


def _states():
    return dict(QPV.objects.values_list("code", "is_active"))


CODES = [f"QN0750{i:02d}M" for i in range(40)]


def test_a_small_valid_file_does_not_retire_the_national_layer(tmp_path):
    """The reported attack: one feature of the national file retires 1,583 of 1,584."""
    if not NATIONAL_FILE.exists():
        pytest.skip("national layer not available")
    call_command("import_qpv", str(NATIONAL_FILE), "--no-progress", stdout=StringIO())
    collection = json.loads(NATIONAL_FILE.read_text())
    collection["features"] = collection["features"][:1]
    small = tmp_path / "one.geojson"
    small.write_text(json.dumps(collection))
    with pytest.raises(CommandError) as error:
        _command(str(small))
    message = str(error.value)
    assert "retirerait 1583 quartiers sur les 1584 en vigueur" in message
    assert "--allow-retire" in message
    assert QPV.objects.filter(is_active=True).count() == 1584


def test_retiring_more_than_the_share_is_refused_and_changes_nothing(write_layer):
    qpv_layer_import(source=_layer(write_layer, CODES))
    before = _states()
    with pytest.raises(QPVRetireRefused) as error:
        qpv_layer_import(source=_layer(write_layer, CODES[:37], name="short.geojson"))
    assert error.value.report.deactivated == CODES[37:]
    assert error.value.report.retire_limit == 2  # 5 % of 40
    assert _states() == before


def test_retiring_within_the_share_goes_through(write_layer, settings):
    qpv_layer_import(source=_layer(write_layer, CODES))
    report = qpv_layer_import(source=_layer(write_layer, CODES[:38], name="short.geojson"))
    assert report.deactivated == CODES[38:]
    settings.QPV_IMPORT_MAX_RETIRED_SHARE = 0.0
    with pytest.raises(QPVRetireRefused):
        qpv_layer_import(source=_layer(write_layer, CODES[:37], name="shorter.geojson"))


def test_allow_retire_retires_them(write_layer):
    qpv_layer_import(source=_layer(write_layer, CODES))
    out = _command(str(_layer(write_layer, CODES[:1], name="one.geojson")), "--allow-retire")
    assert "retirés (conservés, marqués hors vigueur) : 39" in out
    assert QPV.objects.filter(is_active=True).count() == 1


def test_dry_run_counts_and_writes_nothing(write_layer):
    qpv_layer_import(source=_layer(write_layer, CODES[:3]))
    qpv_layer_import(source=_layer(write_layer, CODES[:2], name="two.geojson"), allow_retire=True)
    before = list(QPV.objects.order_by("code").values_list("code", "is_active", "updated_at"))
    # Back: CODES[2], a new one, the first one renamed, CODES[1] gone.
    features = [
        qpv_feature(CODES[0], "Renommé", square(2.30, 48.80, 0.01)),
        qpv_feature(CODES[2], CODES[2], square(2.34, 48.80, 0.01)),
        qpv_feature(CODES[5], CODES[5], square(2.40, 48.80, 0.01)),
    ]
    out = _command(str(write_layer(features, name="next.geojson")), "--dry-run")
    assert "Essai à blanc" in out
    assert "Créés : 1 ; mis à jour : 2 ; inchangés : 0 ; retirés : 1 ; réactivés : 1" in out
    assert f"Réactivés (de nouveau dans la couche) : {CODES[2]}" in out
    assert "L'import serait refusé : 1 quartiers retirés sur 2" in out
    assert list(QPV.objects.order_by("code").values_list("code", "is_active", "updated_at")) == (
        before
    )


def test_the_import_reports_what_was_reactivated(write_layer):
    qpv_layer_import(source=_layer(write_layer, CODES[:3]))
    qpv_layer_import(source=_layer(write_layer, CODES[:2], name="two.geojson"), allow_retire=True)
    out = _command(str(_layer(write_layer, CODES[:3], name="three.geojson")))
    assert "réactivés : 1" in out and f"Réactivés (de nouveau dans la couche) : {CODES[2]}" in out
    assert QPV.objects.get(code=CODES[2]).is_active
