import re
import warnings
from typing import IO, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
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


def image_size_read(file: IO[bytes]) -> tuple[int, int] | None:
    """(width, height) read from the file's header, never decoding the pixels; None when it
    is not an image Pillow knows. The file's position is kept.

    Pillow's `Image.open` warns past 89 million pixels and refuses past twice that
    (`DecompressionBombWarning`, `DecompressionBombError`) before telling the size: for those,
    the format's own header reader gives the size, so the person reads how big it is."""
    from PIL import Image  # here: the models import this module in every process (issue 17)

    position = file.tell()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            try:
                with Image.open(file) as image:
                    return image.size
            except Image.DecompressionBombError:
                return _size_past_pillow_limit(file, position)
    except Exception:  # any broken header: not an image we can size
        return None
    finally:
        file.seek(position)


def _size_past_pillow_limit(file: IO[bytes], position: int) -> tuple[int, int] | None:
    """What `Image.open` does, without its decompression-bomb check (the header only)."""
    from PIL import Image

    file.seek(position)
    prefix = file.read(16)
    Image.init()
    for format_id in Image.ID:
        factory, accept = Image.OPEN[format_id]
        if accept is not None and accept(prefix) is not True:
            continue
        file.seek(position)
        try:
            header = factory(file, "")
        except Exception:  # noqa: S112 - try the next format, as Image.open does
            continue
        return header.size
    return None


def _image_file(file: Any) -> IO[bytes] | None:
    """The readable file behind an upload (form) or a field's file not yet stored (model)."""
    if getattr(file, "_committed", False):
        return None  # already stored: checked when it was uploaded
    inner = getattr(file, "file", file)
    return inner if hasattr(inner, "seek") and hasattr(inner, "read") else None


def validate_image_upload(file: Any) -> None:
    """Bounded in bytes and in pixels, the pixels read from the file's header (so a tiny file
    of 13,000 × 13,000 pixels is refused before anything decodes it); that it is a real image
    is checked by ImageField. Used by the model fields and, first, by `ImageUploadField`."""
    if getattr(file, "_committed", False):
        return
    if file.size > settings.MAX_IMAGE_UPLOAD_BYTES:
        limit_mb = settings.MAX_IMAGE_UPLOAD_BYTES // (1024 * 1024)
        raise ValidationError(
            _("L'image dépasse %(limit)s Mo.") % {"limit": limit_mb}, code="too_large"
        )
    readable = _image_file(file)
    size = image_size_read(readable) if readable is not None else None
    if size is not None and size[0] * size[1] > settings.MAX_IMAGE_PIXELS:
        raise ValidationError(
            _(
                "L'image est trop grande : %(width)s × %(height)s pixels, "
                "%(limit)s millions au plus. Réduisez-la avant de l'envoyer."
            )
            % {
                "width": number_format(size[0], force_grouping=True),
                "height": number_format(size[1], force_grouping=True),
                "limit": _millions(settings.MAX_IMAGE_PIXELS),
            },
            code="too_many_pixels",
        )


def _millions(count: int) -> str:
    if count % 1_000_000 == 0:
        return number_format(count // 1_000_000, force_grouping=True)
    return number_format(count / 1_000_000, decimal_pos=1, force_grouping=True)


class ImageUploadField(forms.ImageField):
    """The form field of every image upload: the bounds above are checked before Pillow
    opens the file to verify it, so a huge image is told it is too big, not corrupted."""

    def to_python(self, data: Any) -> Any:
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        validate_image_upload(upload)
        return super().to_python(data)
