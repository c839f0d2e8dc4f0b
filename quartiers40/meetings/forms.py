from django import forms
from django.utils.translation import gettext_lazy as _

from quartiers40.assist.forms import AIDraftFormMixin
from quartiers40.challenges.models import Challenge
from quartiers40.core.forms import WrittenTextMixin
from quartiers40.core.widgets import FastSelect
from quartiers40.members.models import Organisation, User
from quartiers40.projects.models import Project

from .enums import ACTION_ITEM_WORKFLOW, ActionItemStatus, Attendance, ResourceKind
from .models import ActionItem, AgendaItem, Edition, EditionResource, Series
from .selectors import SeatSummary, seat_summaries
from .services import EDITION_EDITABLE_FIELDS

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class RadioSelect(forms.RadioSelect):
    """Radios that say which mode is full (`data-full`), so the button's words can follow.

    Named like Django's: templates tell widgets apart by `widget_type`, from the class name."""

    def __init__(self, *args, full: frozenset[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.full = full

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"]["data-full"] = "true" if value in self.full else "false"
        return option


def _attendance_field(edition: Edition, seats: list[SeatSummary]) -> forms.ChoiceField:
    """One radio per mode; a full one says "complet : liste d'attente" in its label.

    A mode is ticked in advance only when it is the one possible answer and has seats left:
    nobody lands on a waiting list, or in the wrong room, without choosing it.
    """
    full = frozenset(seat.attendance for seat in seats if seat.is_full)
    modes = edition.attendance_modes()
    choices = [
        (
            mode,
            _("%(mode)s (complet : liste d'attente)") % {"mode": Attendance(mode).label}
            if mode in full
            else Attendance(mode).label,
        )
        for mode in modes
    ]
    initial = modes[0] if len(modes) == 1 and modes[0] not in full else None
    return forms.ChoiceField(
        label=_("Je participe"),
        choices=choices,
        initial=initial,
        widget=RadioSelect(full=full),
        error_messages={"required": _("Choisissez comment vous participez.")},
    )


class AttendanceChoiceMixin:
    """What the submit button says, from the seats left: it tells what will happen.

    `submit_label` is right without JavaScript (every mode full, none full, or some);
    `submit_label_open` / `submit_label_full` let the page's script follow the ticked mode.
    """

    open_label = _("S'inscrire")
    full_label = _("Rejoindre la liste d'attente")
    mixed_label = _("S'inscrire ou rejoindre la liste d'attente")

    def _seats_set(self, edition: Edition, seats: list[SeatSummary] | None) -> list[SeatSummary]:
        self.seats = seats if seats is not None else seat_summaries(edition)
        self.full_modes = {seat.attendance for seat in self.seats if seat.is_full}
        self.modes = edition.attendance_modes()
        return self.seats

    @property
    def submit_label(self) -> str:
        if not self.full_modes:
            return str(self.open_label)
        if self.full_modes.issuperset(self.modes):
            return str(self.full_label)
        chosen = self["attendance"].value()  # type: ignore[index]
        if chosen in self.modes:
            return str(self.full_label if chosen in self.full_modes else self.open_label)
        return str(self.mixed_label)

    @property
    def submit_label_open(self) -> str:
        return str(self.open_label)

    @property
    def submit_label_full(self) -> str:
        return str(self.full_label)


class RegistrationForm(WrittenTextMixin, AttendanceChoiceMixin, forms.Form):
    """Registering oneself; without an account, name and e-mail are asked."""

    name = forms.CharField(
        label=_("Votre nom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        help_text=_("Nous vous envoyons un lien pour confirmer l'inscription."),
    )
    accessibility_needs = forms.CharField(
        label=_("Besoins d'accessibilité (facultatif)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seuls les organisateurs le liront."),
    )
    dietary_notes = forms.CharField(
        label=_("Régime alimentaire (facultatif)"),
        required=False,
        max_length=500,
        help_text=_("Seuls les organisateurs le liront."),
    )

    def __init__(
        self,
        *args,
        edition: Edition,
        signed_in: bool,
        seats: list[SeatSummary] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        seats = self._seats_set(edition, seats)
        if signed_in:
            del self.fields["name"]
            del self.fields["email"]
        else:
            self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields = {"attendance": _attendance_field(edition, seats), **self.fields}


class OnBehalfForm(WrittenTextMixin, AttendanceChoiceMixin, forms.Form):
    """A mediator registers a resident: the resident's details stay with the organisers."""

    name = forms.CharField(label=_("Nom de la personne"), max_length=150)
    email = forms.EmailField(
        label=_("Son adresse e-mail (facultatif)"),
        required=False,
        help_text=_("Si elle en a une : elle recevra la confirmation et le lien d'annulation."),
    )
    phone = forms.CharField(label=_("Son téléphone (facultatif)"), required=False, max_length=30)
    accessibility_needs = forms.CharField(
        label=_("Besoins d'accessibilité (facultatif)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seuls les organisateurs le liront."),
    )
    dietary_notes = forms.CharField(
        label=_("Régime alimentaire (facultatif)"), required=False, max_length=500
    )
    consent = forms.BooleanField(
        label=_("La personne est d'accord pour que je l'inscrive et que je donne ces informations.")
    )

    open_label = _("Inscrire cette personne")
    full_label = _("L'inscrire sur la liste d'attente")
    mixed_label = _("L'inscrire, ou sur la liste d'attente si c'est complet")

    def __init__(self, *args, edition: Edition, seats: list[SeatSummary] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        seats = self._seats_set(edition, seats)
        self.fields = {"attendance": _attendance_field(edition, seats), **self.fields}
        self.fields["attendance"].label = _("La personne participe")


class SeriesForm(WrittenTextMixin, forms.Form):
    name = forms.CharField(label=_("Nom de la série"), max_length=200)
    organisation = forms.ModelChoiceField(
        label=_("Organisation organisatrice"), queryset=Organisation.objects.none()
    )
    description = forms.CharField(
        label=_("Présentation"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown accepté."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk


class ReasonForm(WrittenTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Motif"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class EditionForm(WrittenTextMixin, forms.ModelForm):
    """Dates are typed in Paris time (the site's time zone)."""

    online_url = forms.URLField(
        label=_("Lien de connexion"),
        required=False,
        assume_scheme="https",
        help_text=_("Montré seulement aux personnes inscrites et aux organisateurs."),
    )

    class Meta:
        model = Edition
        fields = list(EDITION_EDITABLE_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "accessibility_info": forms.Textarea(attrs={"rows": 3}),
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_FORMAT
            ),
            "ends_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_FORMAT
            ),
        }
        help_texts = {
            "starts_at": _("Heure de Paris."),
            "ends_at": _("Heure de Paris."),
        }

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("La fin doit suivre le début."))
        return cleaned


class PitchForm(WrittenTextMixin, forms.Form):
    project = forms.ModelChoiceField(
        label=_("Le projet présenté"), queryset=Project.objects.none(), required=False
    )
    challenge = forms.ModelChoiceField(
        label=_("Ou le défi présenté"), queryset=Challenge.objects.none(), required=False
    )
    pitch = forms.CharField(
        label=_("Ce que vous présenterez, en quelques lignes"),
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    speaker_name = forms.CharField(
        label=_("Personne qui présente"),
        max_length=150,
        # The agenda is public: say so where the name is typed (issue 11, privacy).
        help_text=_(
            "Ce nom sera affiché sur l'ordre du jour public. Vous pouvez écrire un prénom "
            "seul, ou le nom de votre organisation."
        ),
    )

    def __init__(self, *args, projects, challenges, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["challenge"].queryset = challenges

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("project")) == bool(cleaned.get("challenge")):
            raise forms.ValidationError(_("Choisissez un projet ou un défi (un seul)."))
        return cleaned


class AgendaItemForm(WrittenTextMixin, forms.ModelForm):
    """A point of the agenda. No position field: a new point goes last, "Monter" and
    "Descendre" move it (a number typed by hand started at 0 and collided with others)."""

    class Meta:
        model = AgendaItem
        fields = [
            "starts_at",
            "duration_minutes",
            "title",
            "speakers",
            "kind",
            "project",
            "challenge",
        ]
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "project": FastSelect,
            "challenge": FastSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.published().order_by("title")
        self.fields["challenge"].queryset = Challenge.objects.visible().order_by("title")

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)


class MinutesForm(WrittenTextMixin, forms.Form):
    minutes = forms.CharField(
        label=_("Compte rendu"),
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Markdown accepté : titres (##), listes (-), liens."),
    )
    replay_url = forms.URLField(
        label=_("Lien de la rediffusion"), required=False, assume_scheme="https"
    )
    slides_url = forms.URLField(label=_("Lien des supports"), required=False, assume_scheme="https")


MAX_PROPOSED_ACTIONS = 20


class MinutesAssistForm(AIDraftFormMixin, WrittenTextMixin, forms.Form):
    """The AI's proposal for an edition's minutes: the summary to edit, the action items to
    tick (only the ticked ones are created). `proposed`: the AI's action items."""

    ai_draft_fields = ("minutes_summary",)

    minutes_summary = forms.CharField(
        label=_("Synthèse du compte rendu"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Montrée en tête du compte rendu. Relisez-la et corrigez-la."),
    )
    actions = forms.MultipleChoiceField(
        label=_("Actions proposées : cochez celles à créer"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Chacune est créée à votre nom ; changez ensuite qui s'en charge et pour quand "
            "dans le suivi des actions."
        ),
    )

    def __init__(self, *args, proposed: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.proposed = [text[:300] for text in proposed if text.strip()][:MAX_PROPOSED_ACTIONS]
        self.fields["actions"].choices = [(text, text) for text in self.proposed]


class ResourceForm(WrittenTextMixin, forms.ModelForm):
    url = forms.URLField(label=_("Lien"), required=False, assume_scheme="https")

    class Meta:
        model = EditionResource
        fields = ["kind", "title", "url", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ResourceKind.choices

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("url")) == bool(cleaned.get("file")):
            raise forms.ValidationError(_("Donnez un lien ou un fichier (un seul)."))
        return cleaned


class ActionItemForm(WrittenTextMixin, forms.ModelForm):
    owner_email = forms.EmailField(
        label=_("Personne responsable (son adresse e-mail)"),
        required=False,
        help_text=_("Une personne inscrite sur la plateforme. Ou choisissez une organisation."),
    )

    class Meta:
        model = ActionItem
        fields = [
            "title",
            "description",
            "owner_organisation",
            "owner_email",
            "due_date",
            "project",
            "challenge",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "owner_organisation": FastSelect,
            "project": FastSelect,
            "challenge": FastSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "owner_organisation"
        ].queryset = Organisation.objects.members_of_collective().order_by("name")
        self.fields["project"].queryset = Project.objects.published().order_by("title")
        self.fields["challenge"].queryset = Challenge.objects.visible().order_by("title")
        if self.instance.pk and self.instance.owner_user_id:
            self.fields["owner_email"].initial = self.instance.owner_user.email

    def clean_owner_email(self):
        email = self.cleaned_data["owner_email"].strip()
        if not email:
            return None
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Aucun compte n'a cette adresse e-mail."))
        return user

    def clean(self):
        cleaned = super().clean()
        no_owner = not cleaned.get("owner_organisation") and not cleaned.get("owner_email")
        if no_owner and "owner_email" not in self.errors:
            self.add_error(
                "owner_organisation",
                _("Indiquez qui s'en charge : une organisation ou une personne."),
            )
        return cleaned

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["owner_user"] = data.pop("owner_email", None)
        return data


class ActionStatusForm(WrittenTextMixin, forms.Form):
    status = forms.ChoiceField(label=_("Statut"), choices=ActionItemStatus.choices)
    status_note = forms.CharField(
        label=_("Où en est-on ? (facultatif)"), required=False, max_length=500
    )

    def __init__(self, *args, item: ActionItem, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The current status, and those the table lets this person move the action to.
        allowed = {
            ACTION_ITEM_WORKFLOW[name].target for name in ACTION_ITEM_WORKFLOW.allowed(item, user)
        }
        self.fields["status"].choices = [
            (value, label)
            for value, label in ActionItemStatus.choices
            if value == item.status or value in allowed
        ]


class EditionFilterForm(forms.Form):
    """The filters of the meetings list (GET): how one takes part, the series."""

    attendance = forms.ChoiceField(
        label=_("Participer"),
        required=False,
        choices=[("", _("Sur place ou en ligne")), *Attendance.choices],
    )
    serie = forms.ModelChoiceField(
        label=_("Série"),
        required=False,
        queryset=Series.objects.none(),
        to_field_name="slug",
        empty_label=_("Toutes les séries"),
    )

    def __init__(self, *args, series, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["serie"].queryset = series

    @property
    def active(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {
            "attendance": self.cleaned_data["attendance"],
            "series": self.cleaned_data["serie"],
        }


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher un nom"), required=False, max_length=100)
