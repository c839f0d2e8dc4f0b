from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from quartiers40.assist.forms import AIDraftFormMixin
from quartiers40.core.forms import (
    SIMPLE_FORMATTING_HELP,
    BoundFieldGroup,
    FieldGroup,
    WrittenTextMixin,
    field_groups,
)
from quartiers40.core.widgets import FastSelect, FastSelectMultiple
from quartiers40.members.enums import OrganisationKind
from quartiers40.members.models import Organisation
from quartiers40.members.validators import ImageUploadField
from quartiers40.territories.forms import QPVMultipleChoiceField
from quartiers40.territories.reference import DEPARTMENT_CHOICES

from .enums import AICategory, Beneficiary, Stage, Theme
from .models import (
    EASY_READ_SUMMARY_MAX_LENGTH,
    MAX_DOCUMENT_BYTES,
    MAX_DOCUMENTS_PER_PROJECT,
    MAX_IMAGES_PER_PROJECT,
    PROJECT_EDITABLE_FIELDS,
    Project,
)
from .services import REQUIRED_FOR_SUBMISSION

SORT_UPDATED = "updated"
SORT_NEWEST = "newest"


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Mots-clés"), required=False, max_length=100)
    theme = forms.ChoiceField(
        label=_("Thème"), choices=[("", _("Tous les thèmes")), *Theme.choices], required=False
    )
    stage = forms.ChoiceField(
        label=_("Étape"), choices=[("", _("Toutes les étapes")), *Stage.choices], required=False
    )
    ai_category = forms.ChoiceField(
        label=_("Type d'IA"),
        choices=[("", _("Tous les types d'IA")), *AICategory.choices],
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
    carrier_kind = forms.ChoiceField(
        label=_("Organisation porteuse"),
        choices=[("", _("Tous les types d'organisation")), *OrganisationKind.choices],
        required=False,
    )
    sort = forms.ChoiceField(
        label=_("Trier par"),
        choices=[
            (SORT_UPDATED, _("Mis à jour récemment")),
            (SORT_NEWEST, _("Publiés récemment")),
        ],
        required=False,
    )

    def clean_qpv(self):
        return self.cleaned_data["qpv"].strip().upper()


class ProjectForm(AIDraftFormMixin, WrittenTextMixin, forms.ModelForm):
    """The project's fields; `carriers` (on creation only) lists the organisations offered.

    Laid out in STEPS on one page (a step index with anchors): all that was typed stays in
    one form, whichever step a person saves from. `needed_to_submit`: the fields a draft
    may lack but a submission may not (marked apart from those a draft needs). The plain
    French summary may start from an AI draft (`ai_draft_fields`, assist/forms.py)."""

    ai_draft_fields = ("easy_read_summary",)

    STEPS = (
        FieldGroup(
            "essentiel",
            _("L'essentiel"),
            _("Le nom du projet et ce qu'il fait, en quelques mots."),
            ("carrier", "title", "summary", "easy_read_summary", "themes"),
        ),
        FieldGroup(
            "besoin",
            _("Le besoin et les publics"),
            _("Le problème que le projet aide à résoudre, et pour qui."),
            ("problem", "description", "beneficiaries"),
        ),
        FieldGroup(
            "lieux",
            _("Où"),
            _("Pour soumettre : au moins un quartier prioritaire ou un département."),
            ("qpvs", "departments"),
            rest=True,
        ),
        FieldGroup(
            "ia",
            _("L'IA et les données"),
            _("Ce que fait l'IA et avec quelles données, en mots simples."),
            ("ai_category", "ai_description", "data_used", "processes_personal_data"),
        ),
        FieldGroup(
            "avancement",
            _("Avancement et détails"),
            _("Facultatif : ce qui aide à comprendre où en est le projet."),
            (
                "stage",
                "started_on",
                "ended_on",
                "partners",
                "funding",
                "results",
                "source_code_url",
            ),
        ),
    )

    carrier = forms.ModelChoiceField(
        label=_("Organisation porteuse"), queryset=Organisation.objects.none(), widget=FastSelect
    )
    summary = forms.CharField(
        label=_("Résumé en une ligne"),
        max_length=240,
        help_text=_("Ce qui apparaît dans la liste des projets."),
    )
    easy_read_summary = forms.CharField(
        label=_("Résumé en français facile"),
        max_length=EASY_READ_SUMMARY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("400 caractères au plus, des phrases courtes. Obligatoire pour publier."),
    )
    themes = forms.MultipleChoiceField(
        label=_("Thèmes"),
        choices=Theme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    beneficiaries = forms.MultipleChoiceField(
        label=_("Publics bénéficiaires"),
        choices=Beneficiary.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    departments = forms.MultipleChoiceField(
        label=_("Départements (projet plus large qu'un quartier)"),
        choices=DEPARTMENT_CHOICES,
        required=False,
        widget=FastSelectMultiple(attrs={"size": 6}),
        help_text=_("Seulement si le projet couvre un ou plusieurs départements entiers."),
    )
    qpvs = QPVMultipleChoiceField(label=_("Quartiers prioritaires concernés"))
    partners = forms.ModelMultipleChoiceField(
        label=_("Organisations partenaires"),
        queryset=Organisation.objects.members_of_collective().order_by("name"),
        required=False,
        # Boxes to tick: a multiple select needs a keyboard shortcut a newcomer does not know.
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-scroll"}),
        help_text=_("Cochez celles du collectif qui participent au projet (facultatif)."),
    )
    source_code_url = forms.URLField(label=_("Code source"), required=False, assume_scheme="https")

    class Meta:
        model = Project
        fields = ["carrier", *PROJECT_EDITABLE_FIELDS, "qpvs", "partners"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "problem": forms.Textarea(attrs={"rows": 4}),
            "ai_description": forms.Textarea(attrs={"rows": 4}),
            "data_used": forms.Textarea(attrs={"rows": 3}),
            "funding": forms.Textarea(attrs={"rows": 3}),
            "results": forms.Textarea(attrs={"rows": 6}),
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ended_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, carriers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if carriers is None:  # editing: the carrier does not change here
            del self.fields["carrier"]
        else:
            self.fields["carrier"].queryset = carriers
            if len(carriers) == 1:
                self.fields["carrier"].initial = carriers[0].pk
        self.fields["title"].help_text = _("Un nom court et parlant.")
        self.fields["easy_read_summary"].help_text = _(
            "400 caractères au plus, des phrases courtes."
        )
        self.fields["description"].help_text = SIMPLE_FORMATTING_HELP
        self.fields["results"].help_text = SIMPLE_FORMATTING_HELP
        self.fields["ai_category"].choices = [
            ("", _("Choisissez")),
            *[choice for choice in self.fields["ai_category"].choices if choice[0]],
        ]
        self.needed_to_submit = tuple(
            name
            for name in REQUIRED_FOR_SUBMISSION
            if name in self.fields and not self.fields[name].required
        )

    def steps(self) -> list[BoundFieldGroup]:
        return field_groups(self, self.STEPS)

    def clean(self):
        cleaned = super().clean()
        started, ended = cleaned.get("started_on"), cleaned.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", _("La fin ne peut précéder le début."))
        return cleaned

    def service_arguments(self) -> dict:
        """cleaned_data split for the services: carrier, qpvs and partners are not fields."""
        data = self.ai_service_arguments(dict(self.cleaned_data))
        data.pop("carrier", None)
        return data


class ReturnForm(WrittenTextMixin, forms.Form):
    comments = forms.CharField(
        label=_("Ce qu'il faut compléter (envoyé à l'organisation porteuse)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


class ContactForm(WrittenTextMixin, forms.Form):
    name = forms.CharField(label=_("Votre nom"), max_length=120)
    email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        help_text=_("Pour que l'équipe du projet puisse vous répondre. Elle n'est pas publiée."),
    )
    message = forms.CharField(
        label=_("Votre message"),
        max_length=4000,
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ImageForm(WrittenTextMixin, forms.Form):
    image = ImageUploadField(label=_("Image"))
    alt_text = forms.CharField(
        label=_("Ce que montre l'image"),
        max_length=250,
        help_text=_("Lu aux personnes qui ne voient pas l'image. Une phrase suffit."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].help_text = _(
            "PNG, JPEG, WebP ou GIF ; %(size)s Mo au plus ; %(count)s images par projet au plus."
        ) % {
            "size": settings.MAX_IMAGE_UPLOAD_BYTES // (1024 * 1024),
            "count": MAX_IMAGES_PER_PROJECT,
        }


class DocumentForm(WrittenTextMixin, forms.Form):
    title = forms.CharField(label=_("Titre du document"), max_length=200)
    file = forms.FileField(label=_("Fichier"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, ODT, ODS, DOCX, XLSX ou CSV ; %(size)s Mo au plus ; "
            "%(count)s documents par projet au plus."
        ) % {"size": MAX_DOCUMENT_BYTES // (1024 * 1024), "count": MAX_DOCUMENTS_PER_PROJECT}


class ArchiveForm(WrittenTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Pourquoi archiver ce projet ? (facultatif)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
