from django import forms
from django.utils.translation import gettext_lazy as _

from quartiers40.core.forms import FieldGroup, WrittenTextMixin, field_groups
from quartiers40.core.widgets import FastSelect
from quartiers40.members.models import Organisation
from quartiers40.plainlanguage.check import KIND_SUMMARY, KIND_TEXT
from quartiers40.plainlanguage.forms import plain_check_fields
from quartiers40.projects.enums import ProjectStatus
from quartiers40.projects.models import Project
from quartiers40.territories.forms import QPVMultipleChoiceField
from quartiers40.territories.reference import DEPARTMENT_CHOICES
from quartiers40.territories.selectors import commune_code_named

from .enums import ChallengeStatus, Theme
from .models import (
    ATTACHMENT_EXTENSIONS,
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS_PER_CHALLENGE,
    Challenge,
)

SORT_SUPPORTS = "supports"
SORT_NEWEST = "newest"


class ChallengeFilterForm(forms.Form):
    q = forms.CharField(label=_("Mots-clés"), required=False, max_length=100)
    theme = forms.ChoiceField(
        label=_("Thème"), choices=[("", _("Tous les thèmes")), *Theme.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Statut"),
        choices=[("", _("Tous les statuts")), *ChallengeStatus.choices],
        required=False,
    )
    department = forms.ChoiceField(
        label=_("Département"),
        choices=[("", _("Tous les départements")), *DEPARTMENT_CHOICES],
        required=False,
        widget=FastSelect,
    )
    qpv = forms.CharField(
        label=_("Quartier prioritaire (code)"),
        required=False,
        max_length=16,
        help_text=_("Le code du QPV, par exemple QN09301M."),
    )
    # The "facile à lire" mark (quartiers40/plainlanguage): ?facile=1 in the address.
    facile = forms.BooleanField(
        label=_("Facile à lire seulement"),
        required=False,
        widget=forms.CheckboxInput(attrs={"value": "1"}),
    )
    sort = forms.ChoiceField(
        label=_("Trier par"),
        choices=[
            (SORT_SUPPORTS, _("Les plus soutenus")),
            (SORT_NEWEST, _("Les plus récents")),
        ],
        required=False,
    )

    def clean_qpv(self):
        return self.cleaned_data["qpv"].strip().upper()


def _attachment_help() -> str:
    return _(
        "PDF, image, ODT, DOCX ou texte ; %(size)s Mo au plus ; %(count)s fichiers au plus."
    ) % {
        "size": MAX_ATTACHMENT_BYTES // (1024 * 1024),
        "count": MAX_ATTACHMENTS_PER_CHALLENGE,
    }


class ChallengeForm(WrittenTextMixin, forms.Form):
    """Post or edit a défi. `organisations` (on posting) lists those the person may post for;
    `mediator` shows the "for a resident" choice with its consent box. Laid out in GROUPS."""

    GROUPS = (
        FieldGroup(
            "defi",
            _("Le défi"),
            _("Ce qui se passe, pour qui, et ce qui changerait."),
            ("title", "situation", "affected", "solved_when", "themes"),
        ),
        FieldGroup(
            "lieu",
            _("Où"),
            _("Un quartier prioritaire, ou bien une commune."),
            ("qpvs", "commune_name", "commune_insee"),
            rest=True,
        ),
        FieldGroup(
            "qui",
            _("Qui le poste"),
            "",
            ("organisation", "on_behalf_of_resident", "resident_consent"),
        ),
        FieldGroup(
            "piece-jointe",
            _("Une pièce jointe (facultatif)"),
            _("Une photo, un courrier, un document qui aide à comprendre."),
            ("attachment", "attachment_title"),
        ),
    )

    title = forms.CharField(
        label=_("Le défi en une phrase"),
        max_length=160,
        help_text=_("Par exemple : « Les parents n'arrivent pas à suivre l'école en ligne »."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    situation = forms.CharField(
        label=_("La situation, en mots simples"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Ce qui se passe, depuis quand, ce qui a déjà été essayé. "
            "N'écrivez ni nom ni adresse de personne."
        ),
    )
    affected = forms.CharField(
        label=_("Qui est concerné"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Par exemple : les parents d'élèves du quartier, les personnes âgées."),
    )
    solved_when = forms.CharField(
        label=_("Ce qui voudrait dire que c'est résolu"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    themes = forms.MultipleChoiceField(
        label=_("Thèmes"),
        choices=Theme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    qpvs = QPVMultipleChoiceField(label=_("Quartiers prioritaires concernés"))
    commune_name = forms.CharField(
        label=_("Ou bien la commune"),
        max_length=120,
        required=False,
        help_text=_("Si le défi ne concerne pas un quartier précis."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Poster au nom de"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Moi-même"),
        blank=True,  # a radio button for "Moi-même" too
        # A few choices, all visible; "Moi-même" is ticked to begin with (see __init__).
        widget=forms.RadioSelect,
    )
    on_behalf_of_resident = forms.BooleanField(
        label=_("Je poste ce défi pour un·e habitant·e"),
        required=False,
        help_text=_(
            "Pour les médiateur·rice·s numériques. L'habitant·e reste anonyme : "
            "ni son nom ni ses coordonnées ne sont enregistrés."
        ),
    )
    resident_consent = forms.BooleanField(
        label=_("L'habitant·e est d'accord pour que je publie ce défi pour lui ou elle"),
        required=False,
    )
    attachment = forms.FileField(label=_("Ajouter une pièce jointe (facultatif)"), required=False)
    attachment_title = forms.CharField(
        label=_("Titre de la pièce jointe"), max_length=200, required=False
    )

    def __init__(self, *args, organisations=None, mediator=False, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing or not organisations:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
            self.fields["organisation"].initial = ""  # "Moi-même" ticked, not no answer
        if editing or not mediator:
            del self.fields["on_behalf_of_resident"]
            del self.fields["resident_consent"]
        self.fields["attachment"].help_text = _attachment_help()
        plain_check_fields(
            self, {"situation": KIND_TEXT, "affected": KIND_SUMMARY, "solved_when": KIND_SUMMARY}
        )

    def groups(self):
        return field_groups(self, self.GROUPS)

    def clean_attachment(self):
        file = self.cleaned_data.get("attachment")
        if file:
            extension = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""
            if extension not in ATTACHMENT_EXTENSIONS:
                raise forms.ValidationError(_("Ce type de fichier n'est pas accepté."))
            if file.size > MAX_ATTACHMENT_BYTES:
                raise forms.ValidationError(_("Le fichier dépasse 5 Mo."))
        return file

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("on_behalf_of_resident") and not cleaned.get("resident_consent"):
            self.add_error(
                "resident_consent",
                _("Cochez la case : l'habitant·e doit avoir donné son accord."),
            )
        if (
            "qpvs" in cleaned
            and not cleaned.get("qpvs")
            and not (cleaned.get("commune_name") or "").strip()
            and "commune_name" not in self.errors
        ):
            self.add_error("qpvs", _("Indiquez au moins un quartier prioritaire ou une commune."))
        if cleaned.get("attachment") and not (cleaned.get("attachment_title") or "").strip():
            cleaned["attachment_title"] = cleaned["attachment"].name[:200]
        return cleaned

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"].strip(),
            "situation": data["situation"].strip(),
            "affected": data["affected"].strip(),
            "solved_when": data["solved_when"].strip(),
            "themes": list(data["themes"]),
            "commune_name": data["commune_name"].strip(),
            # Its official code, when the name is a commune's (no code to type).
            "commune_insee": commune_code_named(data["commune_name"]),
        }

    @classmethod
    def initial_from(cls, challenge: Challenge) -> dict:
        return {
            "title": challenge.title,
            "situation": challenge.situation,
            "affected": challenge.affected,
            "solved_when": challenge.solved_when,
            "themes": challenge.themes,
            "qpvs": list(challenge.qpvs.all()),
            "commune_name": challenge.commune_name,
        }


COMMENT_TOO_LONG = _("Votre commentaire fait %(count)s caractères, %(limit)s au plus.")


class CommentForm(WrittenTextMixin, forms.Form):
    text_length_messages = {"body": COMMENT_TOO_LONG}
    body = forms.CharField(
        label=_("Votre commentaire"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CommentEditForm(WrittenTextMixin, forms.Form):
    text_length_messages = {"body": COMMENT_TOO_LONG}
    body = forms.CharField(
        label=_("Votre commentaire"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReasonForm(WrittenTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Motif"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label


class ReportForm(WrittenTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Ce qui pose problème"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Propos blessants, données personnelles, publicité… L'équipe lira votre message."
        ),
    )


class OfferForm(WrittenTextMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Votre organisation"), queryset=Organisation.objects.none(), widget=FastSelect
    )
    proposal = forms.CharField(
        label=_("Ce que vous proposez"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Quelques phrases : ce que vous pouvez faire, avec qui, en combien de temps."),
    )
    project = forms.ModelChoiceField(
        label=_("Un de vos projets répond déjà ? (facultatif)"),
        queryset=Project.objects.none(),
        required=False,
        empty_label=_("Non : un nouveau projet en brouillon sera créé si l'offre est acceptée"),
        widget=FastSelect,
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk
        self.fields["project"].queryset = (
            Project.objects.filter(carrier__in=organisations)
            .exclude(status=ProjectStatus.ARCHIVED)
            .order_by("title")
        )

    def clean(self):
        cleaned = super().clean()
        organisation, project = cleaned.get("organisation"), cleaned.get("project")
        if organisation and project and project.carrier_id != organisation.pk:
            self.add_error("project", _("Ce projet n'est pas porté par cette organisation."))
        return cleaned


class DeclineForm(WrittenTextMixin, forms.Form):
    note = forms.CharField(
        label=_("Un mot pour l'organisation (facultatif)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OutcomeForm(WrittenTextMixin, forms.Form):
    outcome_text = forms.CharField(
        label=_("Ce qui a été fait"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    outcome_project = forms.ModelChoiceField(
        label=_("Avec quel projet"),
        queryset=Project.objects.none(),
        required=False,
        empty_label=_("Aucun projet en particulier"),
    )
    outcome_result = forms.CharField(
        label=_("Le résultat en une ligne"),
        max_length=200,
        help_text=_("Par exemple : « 40 familles accompagnées chaque mois »."),
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome_project"].queryset = projects
        if len(projects) == 1:
            self.fields["outcome_project"].initial = projects[0].pk


class MergeForm(forms.Form):
    keep = forms.CharField(
        label=_("Le défi à garder"),
        max_length=300,
        help_text=_("Son adresse ou son identifiant d'adresse (la fin de son adresse)."),
    )

    def clean_keep(self):
        value = self.cleaned_data["keep"].strip().rstrip("/")
        return value.rsplit("/", 1)[-1]
