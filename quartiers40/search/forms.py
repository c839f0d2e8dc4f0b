"""The search form of the results page (GET): what to look for, and where."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import DocumentKind, DocumentState

QPV_CODE = re.compile(r"^(QN\d{5}[A-Z0-9]?|QP\d{6})$")
COMMUNE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
DEPARTMENT_CODE = re.compile(r"^(\d{2,3}|2[AB])$")
RADIUS_CHOICES = [("2", _("2 km")), ("5", _("5 km")), ("10", _("10 km")), ("30", _("30 km"))]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Rechercher"),
        required=False,
        max_length=200,
        help_text=_("Des mots, ou une question : « formation numérique gratuite à Bordeaux »."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    type = forms.MultipleChoiceField(
        label=_("Type"),
        required=False,
        choices=DocumentKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    ou = forms.CharField(
        label=_("Où ?"),
        required=False,
        max_length=200,
        help_text=_("Une commune, un quartier, un code postal ou une adresse."),
    )
    rayon = forms.TypedChoiceField(
        label=_("Autour, à moins de"),
        required=False,
        choices=RADIUS_CHOICES,
        coerce=int,
        empty_value=10,
        initial="10",
        help_text=_("Quand « Où ? » est une commune ou une adresse."),
    )
    etat = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[("", _("Tous")), *list(DocumentState.choices)],
    )
    # Set by links (a QPV's page, a department's page, the API's own filters).
    qpv = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    commune = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    departement = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    page = forms.IntegerField(required=False, min_value=1, max_value=1000, widget=forms.HiddenInput)

    def clean_qpv(self) -> str:
        code = self.cleaned_data["qpv"].strip().upper()
        if code and not QPV_CODE.match(code):
            raise forms.ValidationError(_("Ce code de quartier prioritaire n'existe pas."))
        return code

    def clean_commune(self) -> str:
        code = self.cleaned_data["commune"].strip().upper()
        if code and not COMMUNE_CODE.match(code):
            raise forms.ValidationError(_("Ce code de commune n'existe pas."))
        return code

    def clean_departement(self) -> str:
        code = self.cleaned_data["departement"].strip().upper()
        if code and not DEPARTMENT_CODE.match(code):
            raise forms.ValidationError(_("Ce code de département n'existe pas."))
        return code
