"""Forms of the providers' pages: an opportunity (with its places and sessions), its review,
its withdrawal, and what came of an interest."""

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from quartiers40.assist.forms import AIDraftFormMixin
from quartiers40.core.forms import SIMPLE_FORMATTING_HELP, BoundFieldGroup, FieldGroup, field_groups
from quartiers40.core.widgets import FastSelect
from quartiers40.members.models import Organisation

from .enums import (
    THEME_CHOICES,
    Accessibility,
    Cost,
    HowToGo,
    InterestStatus,
    Language,
    OpportunityKind,
    QPVPriority,
    Situation,
    theme_category,
)
from .models import (
    MAX_PLACES_PER_OPPORTUNITY,
    MAX_SESSIONS_PER_OPPORTUNITY,
    OPPORTUNITY_EDITABLE_FIELDS,
    SUMMARY_MAX_LENGTH,
    Opportunity,
)
from .records import PlaceInput, SessionInput

OPENING_HOURS_HELP_URL = "https://wiki.openstreetmap.org/wiki/FR:Key:opening_hours"
ACCESLIBRE_URL = "https://acceslibre.beta.gouv.fr/"
# Empty rows a person gets at first, and how many more each "add" button gives.
PLACE_ROWS = 3
SESSION_ROWS = 2
ROWS_ADDED = 2
PLACES_PREFIX = "lieux"
SESSIONS_PREFIX = "sessions"

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _categories() -> list[tuple[str, str]]:
    from data_inclusion.schema.v1 import Categorie

    return [(category.value, category.label) for category in Categorie]


class OpportunityForm(AIDraftFormMixin, forms.ModelForm):
    """The opportunity's own fields, in GROUPS under headings on one page.

    `providers` (on creation only) lists the organisations she may offer it for. The places
    and sessions are two small formsets beside it (`place_formset`, `session_formset`)."""

    ai_draft_fields = ("summary",)  # « Proposer un résumé avec l'IA » (assist/)

    GROUPS = (
        FieldGroup(
            "essentiel",
            _("L'essentiel"),
            _("Ce que vous proposez, en quelques mots simples."),
            ("organisation", "kind", "title", "summary", "description"),
        ),
        FieldGroup(
            "thematiques",
            _("Les thématiques"),
            _("Les mots des sites de l'inclusion : ils aident les personnes à vous trouver."),
            ("themes",),
        ),
        FieldGroup(
            "ou",
            _("Où"),
            _("Un ou plusieurs lieux, ou bien à distance, ou les deux."),
            ("is_remote",),
        ),
        FieldGroup(
            "quand",
            _("Quand"),
            _("Des dates et des sessions, ou bien des horaires d'ouverture."),
            ("starts_on", "ends_on", "opening_hours", "schedule_details"),
        ),
        FieldGroup("cout", _("Le coût"), "", ("cost", "cost_details")),
        FieldGroup(
            "inscription",
            _("Comment s'inscrire"),
            _("Ce que la personne doit faire pour venir."),
            (
                "how_to_go",
                "application_url",
                "contact_phone",
                "contact_email",
                "seats",
                "deadline",
            ),
        ),
        FieldGroup(
            "public",
            _("Pour qui"),
            _("Laissez vide ce qui ne compte pas : l'opportunité est alors ouverte à tous."),
            (
                "qpv_priority",
                "age_min",
                "age_max",
                "situations",
                "level_required",
                "languages",
                "eligibility_details",
                "access_conditions",
            ),
        ),
        FieldGroup(
            "accessibilite",
            _("L'accessibilité du lieu"),
            "",
            ("accessibility", "accessibility_url"),
            rest=True,
        ),
    )

    organisation = forms.ModelChoiceField(
        label=_("Organisation qui propose"), queryset=Organisation.objects.none(), widget=FastSelect
    )
    kind = forms.ChoiceField(
        label=_("Type d'opportunité"), choices=OpportunityKind.choices, widget=forms.RadioSelect
    )
    summary = forms.CharField(
        label=_("Résumé en français facile"),
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "data-count-max": SUMMARY_MAX_LENGTH}),
    )
    themes = forms.MultipleChoiceField(
        label=_("Thématiques"),
        choices=THEME_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_remote = forms.BooleanField(
        label=_("À distance (en ligne ou par téléphone)"),
        required=False,
        help_text=_("Cochez aussi si l'opportunité se fait en partie à distance."),
    )
    cost = forms.ChoiceField(
        label=_("Coût pour la personne"), choices=Cost.choices, widget=forms.RadioSelect
    )
    how_to_go = forms.MultipleChoiceField(
        label=_("Comment venir ou s'inscrire"),
        choices=HowToGo.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    qpv_priority = forms.ChoiceField(
        label=_("Habitants des quartiers prioritaires"),
        choices=QPVPriority.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    situations = forms.MultipleChoiceField(
        label=_("Pour des personnes dans ces situations"),
        choices=Situation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Rien de coché : pour tout le monde."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Langues parlées par l'équipe"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    accessibility = forms.MultipleChoiceField(
        label=_("Accessibilité"),
        choices=Accessibility.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    application_url = forms.URLField(
        label=_("Lien pour s'inscrire"), required=False, assume_scheme="https", max_length=500
    )
    accessibility_url = forms.URLField(
        label=_("Fiche Acceslibre du lieu"), required=False, assume_scheme="https", max_length=500
    )

    class Meta:
        model = Opportunity
        fields = ["organisation", *OPPORTUNITY_EDITABLE_FIELDS]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "eligibility_details": forms.Textarea(attrs={"rows": 3}),
            "access_conditions": forms.Textarea(attrs={"rows": 3}),
            "starts_on": _DATE,
            "ends_on": _DATE,
            "deadline": _DATE,
            "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args, providers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if providers is None:  # editing: the provider does not change here
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = providers
            if len(providers) == 1:
                self.fields["organisation"].initial = providers[0].pk
        fields = self.fields
        if self.instance.pk is None:
            fields["cost"].initial = Cost.FREE
        fields["title"].help_text = _("Un nom court et parlant, par exemple « Atelier CV ».")
        fields["summary"].help_text = _(
            "%(max)d caractères au plus. Des phrases courtes, des mots de tous les jours : "
            "c'est ce que lisent les habitants dans la liste."
        ) % {"max": SUMMARY_MAX_LENGTH}
        # The live count's words (count.js); without JavaScript the help says the limit.
        fields["summary"].widget.attrs["data-count-text"] = _("{count} caractères sur {max}")
        fields["description"].help_text = SIMPLE_FORMATTING_HELP
        fields["themes"].help_text = _(
            "Cochez une ou plusieurs thématiques (au moins une pour publier)."
        )
        fields["starts_on"].help_text = _("Pour une formation ou un contrat.")
        fields["opening_hours"].help_text = format_html(
            '{} <a href="{}" rel="noopener">{}</a>',
            _(
                "Pour un lieu ouvert toute l'année. Au format OpenStreetMap, par exemple "
                "« Mo-Fr 09:00-12:00; We 14:00-17:00 » (lundi au vendredi le matin, "
                "mercredi après-midi)."
            ),
            OPENING_HOURS_HELP_URL,
            _("Aide sur ce format"),
        )
        fields["schedule_details"].help_text = _("Par exemple : « sauf pendant les vacances ».")
        fields["cost_details"].help_text = _(
            "Par exemple : « pris en charge par le CPF » ou « 2 € l'adhésion »."
        )
        fields["contact_email"].help_text = _(
            "Jamais affiché : les messages des personnes intéressées y arrivent. "
            "Vide : ils vont aux personnes de votre organisation."
        )
        fields["contact_phone"].help_text = _("Affiché sur la page, pour appeler.")
        fields["seats"].help_text = _("Facultatif.")
        fields["deadline"].help_text = _(
            "Après cette date, l'opportunité n'est plus proposée et passe en « terminée »."
        )
        fields["age_max"].help_text = _("Laissez vide s'il n'y a pas de limite.")
        fields["eligibility_details"].help_text = _("Ce que le public doit savoir d'autre.")
        fields["access_conditions"].help_text = _(
            "Par exemple : « être inscrit à France Travail », « venir avec une pièce d'identité »."
        )
        fields["accessibility_url"].help_text = format_html(
            '{} <a href="{}" rel="noopener">{}</a>.',
            _("Cherchez le lieu sur"),
            ACCESLIBRE_URL,
            "acceslibre.beta.gouv.fr",
        )
        self.needed_to_submit = tuple(
            name for name in ("description", "themes", "how_to_go") if name in fields
        )

    def groups(self) -> list[BoundFieldGroup]:
        return field_groups(self, self.GROUPS)

    def theme_categories(self) -> list[dict]:
        """The theme boxes grouped under their data·inclusion category, in its order."""
        by_category: dict[str, list] = {}
        for option in self["themes"]:
            by_category.setdefault(theme_category(option.data["value"]), []).append(option)
        return [
            {
                "code": code,
                "label": label,
                "options": by_category[code],
                "checked": sum(1 for option in by_category[code] if option.data["selected"]),
            }
            for code, label in _categories()
            if code in by_category
        ]

    def clean(self):
        cleaned = super().clean()
        age_min, age_max = cleaned.get("age_min"), cleaned.get("age_max")
        if age_min and age_max and age_max < age_min:
            self.add_error("age_max", _("L'âge maximum est plus petit que l'âge minimum."))
        return cleaned

    def service_fields(self) -> dict:
        """cleaned_data for the services (the organisation is an argument of its own)."""
        data = {name: value for name, value in self.cleaned_data.items() if name != "organisation"}
        data = self.ai_service_arguments(data)
        data["qpv_priority"] = data.get("qpv_priority") or ""
        return data

    def typed(self) -> dict:
        """What was typed, as initial values (to show the form again with more rows)."""
        return {name: self[name].data for name in self.fields}


class PlaceForm(forms.Form):
    """One place; a row left empty is no place."""

    name = forms.CharField(label=_("Nom du lieu"), max_length=200, required=False)
    address = forms.CharField(label=_("Adresse (numéro et rue)"), max_length=300, required=False)
    address_details = forms.CharField(
        label=_("Complément (bâtiment, étage)"), max_length=300, required=False
    )
    postcode = forms.RegexField(
        label=_("Code postal"),
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": _("Un code postal a 5 chiffres.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
    )
    commune_name = forms.CharField(label=_("Commune"), max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        if any(cleaned.get(name) for name in self.fields) and not (
            cleaned.get("address") or cleaned.get("commune_name") or cleaned.get("postcode")
        ):
            self.add_error("commune_name", _("Indiquez au moins la commune ou le code postal."))
        return cleaned

    @property
    def is_blank(self) -> bool:
        return not any(self.cleaned_data.get(name) for name in self.fields)

    def place_input(self) -> PlaceInput:
        data = self.cleaned_data
        return PlaceInput(
            name=data["name"].strip(),
            address=data["address"].strip(),
            address_details=data["address_details"].strip(),
            postcode=data["postcode"].strip(),
            commune_name=data["commune_name"].strip(),
        )


class SessionForm(forms.Form):
    starts_on = forms.DateField(label=_("Début"), required=False, widget=_DATE)
    ends_on = forms.DateField(label=_("Fin (facultatif)"), required=False, widget=_DATE)
    details = forms.CharField(
        label=_("Précisions"),
        max_length=300,
        required=False,
        help_text=_("Par exemple : « le matin, 9 h – 12 h »."),
    )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if not starts and (ends or cleaned.get("details")):
            self.add_error("starts_on", _("Indiquez la date de début de la session."))
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("La fin est avant le début."))
        return cleaned

    @property
    def is_blank(self) -> bool:
        return not self.cleaned_data.get("starts_on")

    def session_input(self) -> SessionInput:
        data = self.cleaned_data
        return SessionInput(
            starts_on=data["starts_on"], ends_on=data.get("ends_on"), details=data["details"]
        )


class _RowsFormSet(forms.BaseFormSet):
    """Rows of a small list; `inputs()` (once valid) gives the filled ones as records."""

    def typed(self) -> list[dict]:
        return [{name: form[name].data for name in form.fields} for form in self.forms]


class PlaceFormSet(_RowsFormSet):
    def inputs(self) -> list[PlaceInput]:
        return [form.place_input() for form in self.forms if not form.is_blank]


class SessionFormSet(_RowsFormSet):
    def inputs(self) -> list[SessionInput]:
        return [form.session_input() for form in self.forms if not form.is_blank]


def place_formset(data=None, *, initial=None, extra: int = PLACE_ROWS) -> PlaceFormSet:
    cls = forms.formset_factory(
        PlaceForm,
        formset=PlaceFormSet,
        extra=extra,
        max_num=MAX_PLACES_PER_OPPORTUNITY,
        absolute_max=MAX_PLACES_PER_OPPORTUNITY + ROWS_ADDED,
        validate_max=True,
    )
    return cls(data, initial=initial, prefix=PLACES_PREFIX)


def session_formset(data=None, *, initial=None, extra: int = SESSION_ROWS) -> SessionFormSet:
    cls = forms.formset_factory(
        SessionForm,
        formset=SessionFormSet,
        extra=extra,
        max_num=MAX_SESSIONS_PER_OPPORTUNITY,
        absolute_max=MAX_SESSIONS_PER_OPPORTUNITY + ROWS_ADDED,
        validate_max=True,
    )
    return cls(data, initial=initial, prefix=SESSIONS_PREFIX)


def places_initial(opportunity: Opportunity) -> list[dict]:
    return [
        {
            "name": place.name,
            "address": place.address,
            "address_details": place.address_details,
            "postcode": place.postcode,
            "commune_name": place.commune_name,
        }
        for place in opportunity.places.all()
    ]


def sessions_initial(opportunity: Opportunity) -> list[dict]:
    return [
        {"starts_on": session.starts_on, "ends_on": session.ends_on, "details": session.details}
        for session in opportunity.sessions.all()
    ]


class ReturnForm(forms.Form):
    comments = forms.CharField(
        label=_("Ce qu'il faut compléter (envoyé à l'organisation)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Pourquoi la retirer ? (facultatif)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seule l'équipe de coordination le lit."),
    )


OUTCOME_CHOICES = [
    (InterestStatus.CONTACTED, _("Je l'ai contacté·e")),
    (InterestStatus.STARTED, _("La personne a commencé")),
    (InterestStatus.NOT_RETAINED, _("Non retenu·e")),
]


class OutcomeForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Suite donnée"), choices=OUTCOME_CHOICES, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note (pour votre organisation)"),
        required=False,
        max_length=500,
        widget=forms.TextInput(),
    )
