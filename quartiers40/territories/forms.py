import math

from django import forms
from django.utils.translation import gettext_lazy as _

from quartiers40.core.widgets import FastSelect

from . import jobs
from .batch import MAX_ROWS, number_text
from .clients.geocoding import MAX_QUERY_LENGTH, MIN_QUERY_LENGTH
from .models import QPV
from .reference import DEPARTMENT_CHOICES
from .templatetags.territories import qpv_place
from .widgets import QPVPicker


class QPVDirectoryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Commune, code postal ou quartier"),
        required=False,
        max_length=100,
        help_text=_("Par exemple « Sevran », « 93270 » ou « Goutte d'Or »."),
    )
    department = forms.ChoiceField(
        label=_("Département"),
        choices=[("", _("Tous les départements")), *DEPARTMENT_CHOICES],
        required=False,
        widget=FastSelect,
    )


class CoordinateField(forms.CharField):
    """A latitude or longitude in decimal degrees; accepts a decimal comma ("48,886")."""

    def __init__(self, *, limit: float, range_message: str, **kwargs):
        self.limit = limit
        self.range_message = range_message
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            number = float(text.replace(" ", "").replace("\u202f", "").replace(",", "."))
        except ValueError:
            raise forms.ValidationError(
                _("Saisissez un nombre décimal, par exemple 48,8860."), code="invalid"
            ) from None
        if not math.isfinite(number) or abs(number) > self.limit:
            raise forms.ValidationError(self.range_message, code="range")
        return number


class QPVCheckForm(forms.Form):
    """An address, or a point (latitude and longitude), to check against the QPVs."""

    adresse = forms.CharField(
        label=_("Adresse"),
        required=False,
        min_length=MIN_QUERY_LENGTH,
        max_length=MAX_QUERY_LENGTH,
        help_text=_(
            "Numéro, rue, code postal et commune, par exemple "
            "« 20 rue de la Goutte d'Or 75018 Paris »."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    latitude = CoordinateField(
        label=_("Latitude"),
        required=False,
        limit=90,
        range_message=_("La latitude est comprise entre -90 et 90 (48,8860 à Paris)."),
        help_text=_("En degrés décimaux, par exemple 48,8860."),
    )
    longitude = CoordinateField(
        label=_("Longitude"),
        required=False,
        limit=180,
        range_message=_("La longitude est comprise entre -180 et 180 (2,3540 à Paris)."),
        help_text=_("En degrés décimaux, par exemple 2,3540."),
    )

    def clean(self):
        cleaned = super().clean()
        lat, lon = cleaned.get("latitude"), cleaned.get("longitude")
        if lat is not None and lon is None and not self.has_error("longitude"):
            self.add_error("longitude", _("Indiquez aussi la longitude."))
        elif lon is not None and lat is None and not self.has_error("latitude"):
            self.add_error("latitude", _("Indiquez aussi la latitude."))
        elif lat is None and lon is None and not cleaned.get("adresse") and not self.errors:
            raise forms.ValidationError(
                _("Saisissez une adresse, ou une latitude et une longitude."), code="empty"
            )
        return cleaned

    def has_point(self) -> bool:
        return (
            self.cleaned_data.get("latitude") is not None
            and self.cleaned_data.get("longitude") is not None
        )

    def check_arguments(self) -> dict:
        """The keyword arguments of `selectors.qpv_check`: the point wins over the address."""
        if self.has_point():
            return {"lat": self.cleaned_data["latitude"], "lon": self.cleaned_data["longitude"]}
        return {"address": self.cleaned_data["adresse"]}


class QPVMultipleChoiceField(forms.ModelMultipleChoiceField):
    """The QPVs in force, chosen with the place picker (`widgets.QPVPicker`): by typing a
    commune, a postcode or a quartier. Shared by every form that ties something to QPVs;
    the page holds the chosen ones only, never the whole list."""

    widget = QPVPicker

    def __init__(self, *, label, **kwargs):
        kwargs.setdefault(
            "queryset", QPV.objects.without_geometry_fields().order_by("department_code", "name")
        )
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _("Tapez le nom de la commune, son code postal ou le nom du quartier."),
        )
        super().__init__(label=label, **kwargs)

    def label_from_instance(self, obj: QPV) -> str:
        return f"{obj.name} – {qpv_place(obj)}"


class QPVCheckUploadForm(forms.Form):
    fichier = forms.FileField(
        label=_("Fichier CSV"),
        error_messages={
            "required": _("Choisissez le fichier CSV à vérifier."),
            "empty": _("Le fichier est vide."),
            "invalid": _("Le fichier n'a pas été reçu : envoyez-le à nouveau."),
        },
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fichier"].help_text = _(
            "Un fichier .csv de %(size)s au plus et de %(rows)s lignes au plus."
        ) % {"size": jobs.megabytes(jobs.max_upload_bytes()), "rows": number_text(MAX_ROWS)}
