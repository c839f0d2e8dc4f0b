import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SIRET_RE = re.compile(r"^\d{14}$")
RNA_RE = re.compile(r"^W[0-9][0-9AB][0-9]{7}$")
LA_POSTE_SIREN = "356000000"


def _luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def validate_siret(value: str) -> None:
    """14 digits with a valid Luhn key (La Poste's establishments use a digit sum instead)."""
    compact = value.replace(" ", "")
    if not SIRET_RE.match(compact):
        raise ValidationError(_("Un numéro SIRET compte exactement 14 chiffres."), code="format")
    if compact.startswith(LA_POSTE_SIREN):
        valid = sum(int(c) for c in compact) % 5 == 0
    else:
        valid = _luhn_valid(compact)
    if not valid:
        raise ValidationError(
            _("Ce numéro SIRET n'est pas valide : vérifiez les chiffres."), code="checksum"
        )


def validate_rna(value: str) -> None:
    """The associations register number: W followed by 9 characters (W751234567)."""
    if not RNA_RE.match(value.replace(" ", "").upper()):
        raise ValidationError(
            _("Un numéro RNA commence par W suivi de 9 caractères, par exemple W931234567."),
            code="format",
        )


def validate_image_upload(file) -> None:
    """Bounded in bytes and in pixels; that it is a real image is checked by ImageField."""
    if file.size > settings.MAX_IMAGE_UPLOAD_BYTES:
        limit_mb = settings.MAX_IMAGE_UPLOAD_BYTES // (1024 * 1024)
        raise ValidationError(
            _("L'image dépasse %(limit)s Mo.") % {"limit": limit_mb}, code="too_large"
        )
    image = getattr(file, "image", None)
    if image is not None and image.width * image.height > settings.MAX_IMAGE_PIXELS:
        raise ValidationError(_("L'image a trop de pixels."), code="too_many_pixels")
