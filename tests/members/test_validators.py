import pytest
from django.core.exceptions import ValidationError

from quartiers40.members.validators import validate_rna, validate_siret


@pytest.mark.parametrize("value", ["73282932000074", "732 829 320 00074", "35600000049837"])
def test_valid_siret(value):
    validate_siret(value)


@pytest.mark.parametrize("value", ["73282932000075", "1234", "7328293200007A", ""])
def test_invalid_siret(value):
    with pytest.raises(ValidationError):
        validate_siret(value)


@pytest.mark.parametrize("value", ["W931234567", "W2A1234567", "w751234567"])
def test_valid_rna(value):
    validate_rna(value)


@pytest.mark.parametrize("value", ["931234567", "W93123456", "X931234567", "W93123456Z"])
def test_invalid_rna(value):
    with pytest.raises(ValidationError):
        validate_rna(value)
