import secrets

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quartiers40.core.markdown import render_markdown
from quartiers40.members.permissions import person_name_if_public

from .enums import (
    ACTIVE_REGISTRATION_STATUSES,
    OPEN_ACTION_STATUSES,
    SEAT_HOLDING_STATUSES,
    ActionItemStatus,
    AgendaItemKind,
    Attendance,
    EditionFormat,
    EditionStatus,
    PitchStatus,
    RegistrationStatus,
    ResourceKind,
    SeriesKind,
    SeriesStatus,
)
from .querysets import (
    ActionItemQuerySet,
    EditionQuerySet,
    RegistrationQuerySet,
    SeriesQuerySet,
)

MAX_RESOURCE_BYTES = 20 * 1024 * 1024
RESOURCE_EXTENSIONS = ["pdf", "odp", "pptx", "odt", "docx"]


def validate_resource_upload(file) -> None:
    if file.size > MAX_RESOURCE_BYTES:
        raise ValidationError(_("Le fichier dépasse 20 Mo."), code="too_large")


def new_registration_token() -> str:
    return secrets.token_urlsafe(32)


class Series(models.Model):
    """A series of meetings: the national "petit déj de l'IA", or a member's local meetings.

    Local series: pending ─approve (coordination)─▶ approved, or ─refuse─▶ refused.
    The national series is approved from the start. Transitions live in `services.series_*`.
    """

    slug = models.SlugField(_("identifiant d'adresse"), max_length=120, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(
        _("description"), blank=True, max_length=5000, help_text=_("Markdown accepté.")
    )
    kind = models.CharField(
        _("type"), max_length=16, choices=SeriesKind.choices, default=SeriesKind.LOCAL
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_series",
    )
    status = models.CharField(
        _("statut"),
        max_length=16,
        choices=SeriesStatus.choices,
        default=SeriesStatus.PENDING,
        db_index=True,
    )
    decision_reason = models.TextField(_("motif de la décision"), blank=True, max_length=2000)
    decided_by = models.ForeignKey(
        "members.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "members.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    objects = SeriesQuerySet.as_manager()

    class Meta:
        verbose_name = _("série de rencontres")
        verbose_name_plural = _("séries de rencontres")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=SeriesKind.NATIONAL) | Q(organisation__isnull=False),
                name="local_series_has_organisation",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def description_html(self):
        return render_markdown(self.description)

    @property
    def is_approved(self) -> bool:
        return self.status == SeriesStatus.APPROVED


class Edition(models.Model):
    """One meeting of a series. draft ─publish─▶ published ─cancel─▶ cancelled."""

    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="editions")
    slug = models.SlugField(_("identifiant d'adresse"), max_length=160, unique=True)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(
        _("présentation"), blank=True, max_length=10000, help_text=_("Markdown accepté.")
    )
    starts_at = models.DateTimeField(_("début"), db_index=True)
    ends_at = models.DateTimeField(_("fin"))
    format = models.CharField(
        _("format"), max_length=16, choices=EditionFormat.choices, default=EditionFormat.ON_SITE
    )
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    accessibility_info = models.TextField(
        _("accessibilité du lieu"),
        blank=True,
        max_length=2000,
        help_text=_("Accès en fauteuil, boucle magnétique, transports…"),
    )
    online_url = models.URLField(
        _("lien de connexion"),
        blank=True,
        help_text=_("Montré seulement aux personnes inscrites et aux organisateurs."),
    )
    onsite_capacity = models.PositiveIntegerField(
        _("places sur place"), null=True, blank=True, help_text=_("Vide : sans limite.")
    )
    online_capacity = models.PositiveIntegerField(
        _("places en ligne"), null=True, blank=True, help_text=_("Vide : sans limite.")
    )
    organisers = models.ManyToManyField(
        "members.User",
        verbose_name=_("organisateurs"),
        blank=True,
        related_name="organised_editions",
    )
    registration_open = models.BooleanField(_("inscriptions ouvertes"), default=True)
    call_for_pitches_open = models.BooleanField(_("appel à présentations ouvert"), default=False)
    minutes = models.TextField(
        _("compte rendu"), blank=True, max_length=50000, help_text=_("Markdown accepté.")
    )
    minutes_published_at = models.DateTimeField(_("compte rendu publié le"), null=True, blank=True)
    minutes_summary = models.TextField(
        _("synthèse du compte rendu"),
        blank=True,
        max_length=3000,
        help_text=_("Quelques phrases en français simple, en tête du compte rendu."),
    )
    # Texts an AI drafted and a person accepted (assist/): the summary's label. No column.
    ai_drafts = GenericRelation("assist.AIDraft")
    replay_url = models.URLField(_("lien de la rediffusion"), blank=True)
    slides_url = models.URLField(_("lien des supports"), blank=True)
    status = models.CharField(
        _("statut"),
        max_length=16,
        choices=EditionStatus.choices,
        default=EditionStatus.DRAFT,
        db_index=True,
    )
    cancellation_reason = models.TextField(_("motif de l'annulation"), blank=True, max_length=2000)
    # Arrival counter, incremented under the edition's row lock: gives the waiting-list order.
    registration_sequence = models.PositiveIntegerField(default=0, editable=False)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    created_by = models.ForeignKey(
        "members.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("édition")
        verbose_name_plural = _("éditions")
        ordering = ["-starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="edition_ends_after_it_starts"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("La fin doit suivre le début.")})
        if self.format in (EditionFormat.ON_SITE, EditionFormat.HYBRID) and not self.address:
            raise ValidationError({"address": _("Indiquez l'adresse du lieu.")})

    @property
    def description_html(self):
        return render_markdown(self.description)

    @property
    def minutes_html(self):
        return render_markdown(self.minutes)

    @property
    def is_published(self) -> bool:
        return self.status == EditionStatus.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.status == EditionStatus.CANCELLED

    @property
    def minutes_are_published(self) -> bool:
        return self.minutes_published_at is not None and bool(self.minutes.strip())

    def attendance_modes(self) -> list[str]:
        if self.format == EditionFormat.ON_SITE:
            return [Attendance.ON_SITE]
        if self.format == EditionFormat.ONLINE:
            return [Attendance.ONLINE]
        return [Attendance.ON_SITE, Attendance.ONLINE]

    def capacity_for(self, attendance: str) -> int | None:
        """Seats for a mode; None means no limit."""
        if attendance == Attendance.ON_SITE:
            return self.onsite_capacity
        return self.online_capacity


class Registration(models.Model):
    """A person's seat (or place on the waiting list) at an edition.

    signed-in or by a mediator ──▶ confirmed | waiting (no seat left)
    without an account ──▶ pending_confirmation ─e-mail link─▶ confirmed | waiting
    waiting ─a seat frees─▶ offered (deadline) ─confirm─▶ confirmed
                                               └─deadline passes─▶ expired (next one offered)
    any active state ─cancel─▶ cancelled. Transitions live in `services.registration_*`.
    A seat is counted once the e-mail is confirmed (`SEAT_HOLDING_STATUSES`).
    """

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="registrations")
    token = models.CharField(max_length=64, unique=True, default=new_registration_token)
    user = models.ForeignKey(
        "members.User",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meeting_registrations",
    )
    name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email_confirmed_at = models.DateTimeField(_("e-mail confirmé le"), null=True, blank=True)
    registered_by = models.ForeignKey(
        "members.User",
        verbose_name=_("inscrit·e par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_registrations_made",
    )
    attendance = models.CharField(
        _("participation"), max_length=16, choices=Attendance.choices, default=Attendance.ON_SITE
    )
    status = models.CharField(
        _("statut"),
        max_length=24,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING_CONFIRMATION,
        db_index=True,
    )
    # Order of arrival, set under the edition's lock when the registration takes its place.
    sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("à confirmer avant"), null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    accessibility_needs = models.TextField(
        _("besoins d'accessibilité"),
        blank=True,
        max_length=1000,
        help_text=_("Visible seulement par les organisateurs."),
    )
    dietary_notes = models.TextField(
        _("régime alimentaire"),
        blank=True,
        max_length=500,
        help_text=_("Visible seulement par les organisateurs."),
    )
    checked_in_at = models.DateTimeField(_("présence notée le"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("inscrit·e le"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["edition", "sequence", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "user"],
                condition=Q(user__isnull=False, status__in=ACTIVE_REGISTRATION_STATUSES),
                name="unique_active_registration_per_user",
            ),
            models.UniqueConstraint(
                F("edition"),
                Lower("email"),
                condition=Q(user__isnull=True, status__in=ACTIVE_REGISTRATION_STATUSES)
                & ~Q(email=""),
                name="unique_active_registration_per_email",
            ),
            models.UniqueConstraint(
                fields=["edition", "sequence"],
                condition=Q(sequence__isnull=False),
                name="unique_registration_sequence",
            ),
        ]
        indexes = [models.Index(fields=["edition", "status"], name="registration_edition_status")]

    def __str__(self) -> str:
        return f"{self.name} – {self.edition}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_REGISTRATION_STATUSES

    @property
    def holds_seat(self) -> bool:
        return self.status in SEAT_HOLDING_STATUSES

    @property
    def contact_email(self) -> str:
        return self.user.email if self.user_id else self.email


class PitchApplication(models.Model):
    """A project or a défi applying to present at an edition (call for pitches)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="pitches")
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("projet"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pitch_applications",
    )
    challenge = models.ForeignKey(
        "challenges.Challenge",
        verbose_name=_("défi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pitch_applications",
    )
    pitch = models.TextField(_("présentation en quelques lignes"), max_length=1500)
    speaker_name = models.CharField(_("personne qui présente"), max_length=150)
    submitted_by = models.ForeignKey(
        "members.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("statut"), max_length=16, choices=PitchStatus.choices, default=PitchStatus.SUBMITTED
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("proposition de présentation")
        verbose_name_plural = _("propositions de présentation")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.subject_title} – {self.edition}"

    @property
    def subject_title(self) -> str:
        if self.project_id:
            return self.project.title
        return self.challenge.title if self.challenge_id else ""


class AgendaItem(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    starts_at = models.TimeField(_("heure"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("durée (minutes)"), default=10, validators=[MinValueValidator(1)]
    )
    title = models.CharField(_("titre"), max_length=200)
    speakers = models.CharField(_("intervenant·es"), max_length=300, blank=True)
    kind = models.CharField(
        _("type"), max_length=16, choices=AgendaItemKind.choices, default=AgendaItemKind.TALK
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("projet présenté"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    challenge = models.ForeignKey(
        "challenges.Challenge",
        verbose_name=_("défi présenté"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    pitch = models.ForeignKey(
        PitchApplication,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )

    class Meta:
        verbose_name = _("point de l'ordre du jour")
        verbose_name_plural = _("ordre du jour")
        ordering = ["edition", "order", "starts_at", "pk"]

    def __str__(self) -> str:
        return self.title


class ActionItem(models.Model):
    """A decision of an edition: what, who, by when; reviewed at the next edition.

    open ─▶ in_progress ─▶ done; open or in_progress ─▶ dropped (or back to open).
    """

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="action_items")
    title = models.CharField(_("action"), max_length=300)
    description = models.TextField(_("précisions"), blank=True, max_length=4000)
    owner_organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation responsable"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_action_items",
    )
    owner_user = models.ForeignKey(
        "members.User",
        verbose_name=_("personne responsable"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_action_items",
    )
    due_date = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(
        _("statut"),
        max_length=16,
        choices=ActionItemStatus.choices,
        default=ActionItemStatus.OPEN,
        db_index=True,
    )
    status_note = models.CharField(_("où en est-on ?"), max_length=500, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("projet lié"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_action_items",
    )
    challenge = models.ForeignKey(
        "challenges.Challenge",
        verbose_name=_("défi lié"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_action_items",
    )
    created_by = models.ForeignKey(
        "members.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_reminded_at = models.DateTimeField(_("dernière relance"), null=True, blank=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("action de suivi")
        verbose_name_plural = _("actions de suivi")
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today=None) -> bool:
        return (
            self.status in OPEN_ACTION_STATUSES
            and self.due_date is not None
            and self.due_date < (today or timezone.localdate())
        )

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def owner_label(self) -> str:
        """Organisation and person, for the organisers."""
        parts = []
        if self.owner_organisation_id:
            parts.append(self.owner_organisation.name)
        if self.owner_user_id:
            parts.append(self.owner_user.display_name)
        return " – ".join(parts)

    @property
    def owner_public_label(self) -> str:
        """For public pages: a person's name only when their profile is public."""
        parts = []
        if self.owner_organisation_id:
            parts.append(self.owner_organisation.name)
        if self.owner_user_id:
            name = person_name_if_public(self.owner_user)
            if name:
                parts.append(name)
            elif not parts:
                parts.append(str(_("Une personne du collectif")))
        return " – ".join(parts)


def edition_resource_upload_to(instance: "EditionResource", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"meetings/resources/{secrets.token_hex(8)}.{extension}"


class EditionResource(models.Model):
    """Slides, replay or a document of an edition: a link or a bounded file."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(
        _("type"), max_length=16, choices=ResourceKind.choices, default=ResourceKind.SLIDES
    )
    title = models.CharField(_("titre"), max_length=200)
    url = models.URLField(_("lien"), blank=True)
    file = models.FileField(
        _("fichier"),
        upload_to=edition_resource_upload_to,
        blank=True,
        validators=[FileExtensionValidator(RESOURCE_EXTENSIONS), validate_resource_upload],
        help_text=_("PDF, ODP, PPTX, ODT ou DOCX, 20 Mo au plus."),
    )
    created_by = models.ForeignKey(
        "members.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ressource")
        verbose_name_plural = _("ressources")
        ordering = ["kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(file=""), name="resource_has_link_or_file"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def href(self) -> str:
        return self.file.url if self.file else self.url
