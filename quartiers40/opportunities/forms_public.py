"""The forms of the public pages: "près de chez moi", "je suis intéressé·e"."""

from data_inclusion.schema.v1 import Categorie
from django import forms
from django.utils.translation import gettext_lazy as _

from quartiers40.territories.forms import CoordinateField

from .enums import (
    DEFAULT_RADIUS_KM,
    RADIUS_CHOICES_KM,
    Level,
    OpportunityKind,
    Situation,
)
from .selectors import Criteria

# The data·inclusion categories (16), not the 69 sub-themes: what a person can choose from.
THEME_CATEGORY_CHOICES = tuple((category.value, category.label) for category in Categorie)
MAX_SELECTION = 30


def _radius_choices():
    return [(str(km), _("%(km)s km") % {"km": km}) for km in RADIUS_CHOICES_KM]


class NearSearchForm(forms.Form):
    """A GET form; its names are the query string's, in French (they show in the address)."""

    lieu = forms.CharField(
        label=_("Où habitez-vous ?"),
        required=False,
        max_length=200,
        help_text=_("Une adresse, une commune, un code postal ou le nom de votre quartier."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "street-address",
                "enterkeyhint": "search",
                "class": "near-place",
            }
        ),
    )
    # Chosen among suggestions (a link), or filled by "me localiser" (JavaScript).
    qpv = forms.CharField(required=False, max_length=16, widget=forms.HiddenInput)
    commune = forms.CharField(required=False, max_length=5, widget=forms.HiddenInput)
    lat = CoordinateField(
        required=False, limit=90, range_message=_("Position inconnue."), widget=forms.HiddenInput
    )
    lon = CoordinateField(
        required=False, limit=180, range_message=_("Position inconnue."), widget=forms.HiddenInput
    )
    rayon = forms.TypedChoiceField(
        label=_("Jusqu'à quelle distance ?"),
        choices=_radius_choices,
        coerce=int,
        required=False,
        empty_value=DEFAULT_RADIUS_KM,
        initial=str(DEFAULT_RADIUS_KM),
    )
    type = forms.ChoiceField(
        label=_("Quoi ?"),
        choices=[("", _("Tout")), *OpportunityKind.choices],
        required=False,
    )
    theme = forms.ChoiceField(
        label=_("Sur quel sujet ?"),
        choices=[("", _("Tous les sujets")), *THEME_CATEGORY_CHOICES],
        required=False,
    )
    gratuit = forms.BooleanField(label=_("Gratuit seulement"), required=False)
    # The "facile à lire" mark (quartiers40/plainlanguage): ?facile=1 in the address.
    facile = forms.BooleanField(
        label=_("Résumé facile à lire seulement"),
        required=False,
        widget=forms.CheckboxInput(attrs={"value": "1"}),
    )
    # "Pour moi": in a fold; nothing of it is kept.
    age = forms.IntegerField(
        label=_("Votre âge"),
        required=False,
        min_value=14,
        max_value=120,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input-short"}),
    )
    situation = forms.MultipleChoiceField(
        label=_("Votre situation"),
        choices=Situation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    diplome = forms.TypedChoiceField(
        label=_("Votre diplôme le plus haut"),
        choices=[("", _("Je ne sais pas")), *[(str(v), label) for v, label in Level.choices]],
        coerce=int,
        required=False,
        empty_value=None,
    )
    FOR_ME_FIELDS = ("age", "situation", "diplome")
    FILTER_FIELDS = ("rayon", "type", "theme", "gratuit", "facile")

    def has_place(self) -> bool:
        data = self.cleaned_data
        return bool(
            data.get("lieu")
            or data.get("qpv")
            or data.get("commune")
            or (data.get("lat") is not None and data.get("lon") is not None)
        )

    def criteria(self, *, lives_in_qpv: bool | None = None) -> Criteria:
        data = self.cleaned_data
        return Criteria(
            kinds=(data["type"],) if data.get("type") else (),
            theme=data.get("theme") or "",
            free_only=bool(data.get("gratuit")),
            easy_to_read_only=bool(data.get("facile")),
            age=data.get("age"),
            situations=tuple(data.get("situation") or ()),
            level=data.get("diplome"),
            lives_in_qpv=lives_in_qpv,
        )

    def for_me_used(self) -> bool:
        if not self.is_bound:
            return False
        return any(self.data.get(name) for name in self.FOR_ME_FIELDS)


def selection_ids(values) -> list[int]:
    """Opportunity ids from `?ids=3&ids=5` or `?ids=3,5`: unique, in order, bounded."""
    ids: list[int] = []
    for value in values:
        for part in str(value).split(","):
            part = part.strip()
            if part.isdigit() and int(part) not in ids:
                ids.append(int(part))
    return ids[:MAX_SELECTION]


class MapFilterForm(forms.Form):
    type = NearSearchForm.base_fields["type"]
    theme = NearSearchForm.base_fields["theme"]
    gratuit = NearSearchForm.base_fields["gratuit"]
    facile = NearSearchForm.base_fields["facile"]


class InterestForm(forms.Form):
    """ "Je suis intéressé·e": how the provider can reach her back."""

    name = forms.CharField(
        label=_("Votre prénom ou votre nom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Votre courriel"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Votre téléphone"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    message = forms.CharField(
        label=_("Un message (si vous voulez)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, on_behalf: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.on_behalf = on_behalf
        if on_behalf:
            self.fields["name"].label = _("Prénom ou nom de la personne")
            self.fields["email"].label = _("Courriel de la personne")
            self.fields["phone"].label = _("Téléphone de la personne")
            self.fields["message"].label = _("Un message pour l'organisme (si besoin)")
            self.fields["consent"] = forms.BooleanField(
                label=_("La personne est d'accord pour que ses coordonnées soient transmises"),
                required=True,
                error_messages={"required": _("Il faut l'accord de la personne.")},
            )

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("phone") and not self.has_error("email"):
            self.add_error(
                "email", _("Indiquez un courriel ou un téléphone pour être recontacté·e.")
            )
        return data
