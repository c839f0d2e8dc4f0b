import secrets

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from quartiers40.core.db import codes_validate, json_list_contains
from quartiers40.core.markdown import render_markdown
from quartiers40.members.validators import validate_image_upload
from quartiers40.territories.reference import DEPARTMENT_CHOICES

from .enums import PROJECT_LIVE_STATES, AICategory, Beneficiary, ProjectStatus, Stage, Theme

EASY_READ_SUMMARY_MAX_LENGTH = 400
MAX_IMAGES_PER_PROJECT = 6
MAX_DOCUMENTS_PER_PROJECT = 10
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DEPARTMENT_CODES = {code for code, _label in DEPARTMENT_CHOICES}


def validate_themes(values) -> None:
    codes_validate(values, set(Theme.values), _("Thème inconnu."))


def validate_beneficiaries(values) -> None:
    codes_validate(values, set(Beneficiary.values), _("Public bénéficiaire inconnu."))


def validate_departments(values) -> None:
    codes_validate(values, DEPARTMENT_CODES, _("Département inconnu."))


def validate_document_upload(file) -> None:
    if file.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(_("Le fichier dépasse 10 Mo."), code="too_large")


class ProjectQuerySet(models.QuerySet):
    def published(self) -> "ProjectQuerySet":
        return self.filter(status=ProjectStatus.PUBLISHED)

    def with_theme(self, theme: str) -> "ProjectQuerySet":
        return self.filter(json_list_contains("themes", theme))

    def in_department(self, department: str) -> "ProjectQuerySet":
        return self.filter(
            Q(qpvs__department_code=department) | json_list_contains("departments", department)
        ).distinct()

    def concerning_qpv(self, qpv) -> "ProjectQuerySet":
        return self.filter(qpvs=qpv).distinct()

    def of_organisation(self, organisation) -> "ProjectQuerySet":
        return self.filter(Q(carrier=organisation) | Q(partners=organisation)).distinct()


# What the carrying organisation's people may change (pages, API and services share it).
PROJECT_EDITABLE_FIELDS = (
    "title",
    "summary",
    "easy_read_summary",
    "description",
    "problem",
    "beneficiaries",
    "ai_category",
    "ai_description",
    "data_used",
    "processes_personal_data",
    "stage",
    "started_on",
    "ended_on",
    "departments",
    "themes",
    "funding",
    "results",
    "source_code_url",
)
PROJECT_EDITABLE_RELATIONS = ("qpvs", "partners")


class Project(models.Model):
    """An AI project in the priority neighbourhoods.

    draft ─submit─▶ submitted ─publish (coordination)─▶ published
                        └────return (coordination, comments)─▶ returned ─submit─▶ …
    any state ─archive─▶ archived. Transitions live in `services.project_*`.
    """

    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=220, unique=True)
    summary = models.CharField(_("résumé en une ligne"), max_length=240)
    easy_read_summary = models.TextField(
        _("résumé en français facile"),
        max_length=EASY_READ_SUMMARY_MAX_LENGTH,
        blank=True,
        # A TextField's max_length only reaches forms: the services validate it too.
        validators=[MaxLengthValidator(EASY_READ_SUMMARY_MAX_LENGTH)],
        help_text=_("400 caractères au plus, des phrases courtes. Obligatoire pour publier."),
    )
    description = models.TextField(
        _("description"), blank=True, max_length=20000, help_text=_("Markdown accepté.")
    )
    problem = models.TextField(_("problème traité"), blank=True, max_length=4000)
    beneficiaries = models.JSONField(
        _("publics bénéficiaires"), default=list, blank=True, validators=[validate_beneficiaries]
    )
    ai_category = models.CharField(
        _("type d'IA"), max_length=20, choices=AICategory.choices, blank=True, db_index=True
    )
    ai_description = models.TextField(
        _("l'IA utilisée, en mots simples"), blank=True, max_length=4000
    )
    data_used = models.TextField(_("données utilisées"), blank=True, max_length=4000)
    processes_personal_data = models.BooleanField(
        _("traite des données personnelles"), default=False
    )
    stage = models.CharField(
        _("étape"), max_length=16, choices=Stage.choices, default=Stage.IDEA, db_index=True
    )
    started_on = models.DateField(_("début"), null=True, blank=True)
    ended_on = models.DateField(_("fin"), null=True, blank=True)
    qpvs = models.ManyToManyField(
        "territories.QPV",
        verbose_name=_("quartiers prioritaires concernés"),
        blank=True,
        related_name="projects",
    )
    departments = models.JSONField(
        _("départements (projet plus large)"),
        default=list,
        blank=True,
        validators=[validate_departments],
    )
    themes = models.JSONField(_("thèmes"), default=list, blank=True, validators=[validate_themes])
    carrier = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation porteuse"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    partners = models.ManyToManyField(
        "members.Organisation",
        verbose_name=_("partenaires"),
        blank=True,
        related_name="partner_projects",
    )
    # Texts an AI drafted and a person accepted (assist/): their label on the page, in the
    # exports and the API. No column; deleted with the project.
    ai_drafts = GenericRelation("assist.AIDraft")
    funding = models.TextField(_("financement"), blank=True, max_length=2000)
    results = models.TextField(
        _("résultats et évaluations"),
        blank=True,
        max_length=10000,
        help_text=_("Markdown accepté."),
    )
    source_code_url = models.URLField(_("code source"), blank=True)
    status = models.CharField(
        _("statut"),
        max_length=16,
        choices=ProjectStatus.choices,
        default=ProjectStatus.DRAFT,
        db_index=True,
    )
    review_comments = models.TextField(_("commentaires de la coordination"), blank=True)
    created_by = models.ForeignKey(
        "members.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_updated_at = models.DateTimeField(_("dernière mise à jour"), db_index=True)
    submitted_at = models.DateTimeField(_("soumis le"), null=True, blank=True)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archivé le"), null=True, blank=True)
    freshness_reminded_at = models.DateTimeField(
        _("relance de mise à jour envoyée le"), null=True, blank=True
    )

    # Its translations (quartiers40.translations): deleted with it.
    content_translations = GenericRelation("translations.ContentTranslation")

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("projet")
        verbose_name_plural = _("projets")
        ordering = ["-last_updated_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="project_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", kwargs={"key": self.slug})

    def clean(self) -> None:
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("La fin ne peut précéder le début.")})

    @property
    def description_html(self):
        return render_markdown(self.description)

    @property
    def results_html(self):
        return render_markdown(self.results)

    @property
    def is_published(self) -> bool:
        return self.status == ProjectStatus.PUBLISHED

    @property
    def is_changeable(self) -> bool:
        """Not archived: its people may still edit it, add files, archive it."""
        return self.status in PROJECT_LIVE_STATES

    def theme_labels(self) -> list[str]:
        return [Theme(code).label for code in self.themes if code in Theme.values]

    def beneficiary_labels(self) -> list[str]:
        return [
            Beneficiary(code).label for code in self.beneficiaries if code in Beneficiary.values
        ]


class ProjectUpdate(models.Model):
    """One entry of a published project's public timeline: what changed, when, by whom."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    changed_fields = models.JSONField(_("champs modifiés"), default=list)
    actor = models.ForeignKey(
        "members.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("le"), db_index=True)

    class Meta:
        verbose_name = _("mise à jour publique")
        verbose_name_plural = _("mises à jour publiques")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.project} – {', '.join(self.changed_labels())}"

    def changed_labels(self) -> list[str]:
        labels = []
        for name in self.changed_fields:
            try:
                labels.append(str(Project._meta.get_field(name).verbose_name))
            except Exception:  # a field renamed since: show its old name
                labels.append(name)
        return labels


class ProjectFollow(models.Model):
    user = models.ForeignKey(
        "members.User", on_delete=models.CASCADE, related_name="followed_projects"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("abonnement à un projet")
        verbose_name_plural = _("abonnements à des projets")
        constraints = [
            models.UniqueConstraint(fields=["user", "project"], name="unique_project_follow")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.project}"


def project_image_upload_to(instance: "ProjectImage", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"projects/images/{secrets.token_hex(8)}.{extension}"


def project_document_upload_to(instance: "ProjectDocument", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"projects/documents/{secrets.token_hex(8)}.{extension}"


class ProjectImage(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(
        _("image"),
        upload_to=project_image_upload_to,
        validators=[
            FileExtensionValidator(["png", "jpg", "jpeg", "webp", "gif"]),
            validate_image_upload,
        ],
    )
    alt_text = models.CharField(
        _("texte alternatif"), max_length=250, help_text=_("Ce que montre l'image.")
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.alt_text


class ProjectDocument(models.Model):
    """A file of results or evaluation (report, study)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("titre"), max_length=200)
    file = models.FileField(
        _("fichier"),
        upload_to=project_document_upload_to,
        validators=[
            FileExtensionValidator(["pdf", "odt", "ods", "docx", "xlsx", "csv"]),
            validate_document_upload,
        ],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document de résultats")
        verbose_name_plural = _("documents de résultats")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.title
