import secrets

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from quartiers40.core.db import json_list_contains
from quartiers40.projects.models import validate_themes

from .enums import ChallengeStatus, ModerationState, OfferState, ReportTarget, Theme

MAX_ATTACHMENTS_PER_CHALLENGE = 5
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
ATTACHMENT_EXTENSIONS = ["pdf", "png", "jpg", "jpeg", "odt", "docx", "txt"]
COMMENT_EDIT_WINDOW_MINUTES = 15


def challenge_public_id() -> str:
    return secrets.token_hex(5)


def validate_attachment_upload(file) -> None:
    if file.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(_("Le fichier dépasse 5 Mo."), code="too_large")


class ChallengeQuerySet(models.QuerySet):
    def visible(self) -> "ChallengeQuerySet":
        """What anybody may see: moderated, not hidden, not merged into another défi."""
        return self.filter(moderation=ModerationState.VISIBLE, merged_into__isnull=True)

    def with_theme(self, theme: str) -> "ChallengeQuerySet":
        return self.filter(json_list_contains("themes", theme))

    def in_department(self, department: str) -> "ChallengeQuerySet":
        return self.filter(
            Q(department=department) | Q(qpvs__department_code=department)
        ).distinct()

    def concerning_qpv(self, qpv) -> "ChallengeQuerySet":
        return self.filter(qpvs=qpv).distinct()


# What the author (or coordination) may change after posting.
CHALLENGE_EDITABLE_FIELDS = (
    "title",
    "situation",
    "affected",
    "solved_when",
    "themes",
    "commune_insee",
    "commune_name",
)


class Challenge(models.Model):
    """A need of a priority neighbourhood, posted by the people who live it.

    open ─accept an offer─▶ being_addressed ─record the outcome─▶ solved
      └──────────────┴──────close (reason)──▶ closed
    The transition tables are in `enums.py` (`CHALLENGE_WORKFLOW`, `MODERATION_WORKFLOW`).

    When a mediator posts for a resident (`on_behalf_of_resident`), the resident's identity is
    never stored: only the date the consent was recorded.
    """

    public_id = models.CharField(
        _("identifiant public"),
        max_length=16,
        unique=True,
        default=challenge_public_id,
        editable=False,
    )
    slug = models.SlugField(_("identifiant d'adresse"), max_length=220, unique=True)
    title = models.CharField(_("titre"), max_length=160)
    situation = models.TextField(
        _("la situation, en mots simples"),
        max_length=4000,
        help_text=_("Ce qui se passe, pour qui, depuis quand. Pas de nom ni d'adresse."),
    )
    affected = models.TextField(
        _("qui est concerné"),
        max_length=1000,
        help_text=_("Par exemple : les parents d'élèves du quartier, les personnes âgées."),
    )
    solved_when = models.TextField(_("ce qui voudrait dire que c'est résolu"), max_length=1000)
    themes = models.JSONField(_("thèmes"), default=list, blank=True, validators=[validate_themes])
    qpvs = models.ManyToManyField(
        "territories.QPV",
        verbose_name=_("quartiers prioritaires concernés"),
        blank=True,
        related_name="challenges",
    )
    commune_insee = models.CharField(_("code INSEE de la commune"), max_length=5, blank=True)
    commune_name = models.CharField(_("commune"), max_length=120, blank=True)
    department = models.CharField(_("département"), max_length=3, blank=True, db_index=True)
    author = models.ForeignKey(
        "members.User",
        verbose_name=_("posté par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="challenges",
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("au nom de l'organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="challenges",
    )
    on_behalf_of_resident = models.BooleanField(
        _("posté pour un·e habitant·e"),
        default=False,
        help_text=_("Un·e médiateur·rice poste pour un·e habitant·e qui a donné son accord."),
    )
    resident_consent_at = models.DateTimeField(
        _("accord de l'habitant·e enregistré le"), null=True, blank=True
    )
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=ChallengeStatus.choices,
        default=ChallengeStatus.OPEN,
        db_index=True,
    )
    moderation = models.CharField(
        _("modération"),
        max_length=10,
        choices=ModerationState.choices,
        default=ModerationState.VISIBLE,
        db_index=True,
    )
    hidden_reason = models.TextField(_("motif du masquage"), blank=True, max_length=1000)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("fusionné dans"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_challenges",
    )
    outcome_text = models.TextField(_("ce qui a été fait"), blank=True, max_length=4000)
    outcome_result = models.CharField(_("le résultat en une ligne"), blank=True, max_length=200)
    outcome_project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("projet qui a répondu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="solved_challenges",
    )
    closed_reason = models.TextField(_("motif de la fermeture"), blank=True, max_length=2000)
    supports_count = models.PositiveIntegerField(_("soutiens"), default=0, db_index=True)
    created_at = models.DateTimeField(_("posté le"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)
    status_changed_at = models.DateTimeField(_("statut changé le"), null=True, blank=True)

    # Its translations (quartiers40.translations): deleted with it.
    content_translations = GenericRelation("translations.ContentTranslation")

    objects = ChallengeQuerySet.as_manager()

    class Meta:
        verbose_name = _("défi")
        verbose_name_plural = _("défis")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(on_behalf_of_resident=False) | Q(resident_consent_at__isnull=False),
                name="challenge_on_behalf_needs_consent",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")),
                name="challenge_not_merged_into_itself",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("challenges:detail", kwargs={"slug": self.slug})

    @property
    def is_visible(self) -> bool:
        return self.moderation == ModerationState.VISIBLE and self.merged_into_id is None

    @property
    def is_active(self) -> bool:
        return self.status in (ChallengeStatus.OPEN, ChallengeStatus.BEING_ADDRESSED)

    def theme_labels(self) -> list[str]:
        return [Theme(code).label for code in self.themes if code in Theme.values]


class ChallengeStatusChange(models.Model):
    """One step of a défi's public timeline (the full journal is `core.ActionLog`)."""

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("statut avant"), max_length=20, choices=ChallengeStatus.choices, blank=True
    )
    to_status = models.CharField(_("statut après"), max_length=20, choices=ChallengeStatus.choices)
    note = models.TextField(_("précision"), blank=True, max_length=2000)
    actor = models.ForeignKey(
        "members.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("étape d'un défi")
        verbose_name_plural = _("étapes des défis")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.challenge} : {self.from_status} → {self.to_status}"


class ChallengeSupport(models.Model):
    """« Je soutiens »: one per person and défi, enforced by the database."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        "members.User", on_delete=models.CASCADE, related_name="challenge_supports"
    )
    created_at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("soutien")
        verbose_name_plural = _("soutiens")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "user"], name="unique_challenge_support")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.challenge}"


class ChallengeComment(models.Model):
    """A comment, or a reply to a comment (one level only: a reply has no replies)."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        "members.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="challenge_comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("en réponse à"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    body = models.TextField(_("commentaire"), max_length=4000)
    created_at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(_("modifié le"), null=True, blank=True)
    hidden = models.BooleanField(_("masqué"), default=False)
    hidden_reason = models.TextField(_("motif du masquage"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("commentaire")
        verbose_name_plural = _("commentaires")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]

    def clean(self) -> None:
        if self.parent_id is not None:
            if self.parent.parent_id is not None:
                raise ValidationError(
                    {"parent": _("On ne peut répondre qu'à un commentaire, pas à une réponse.")}
                )
            if self.parent.challenge_id != self.challenge_id:
                raise ValidationError({"parent": _("Ce commentaire est sur un autre défi.")})


class ChallengeOffer(models.Model):
    """« Nous pouvons aider »: an organisation's short proposal, accepted or declined."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="offers")
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="challenge_offers",
    )
    author = models.ForeignKey(
        "members.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposal = models.TextField(
        _("ce que nous proposons"),
        max_length=2000,
        help_text=_("Quelques phrases : ce que vous pouvez faire, avec qui, en combien de temps."),
    )
    state = models.CharField(
        _("état"),
        max_length=10,
        choices=OfferState.choices,
        default=OfferState.PENDING,
        db_index=True,
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("projet lié"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="challenge_offers",
    )
    decision_note = models.TextField(_("précision"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposition d'aide")
        verbose_name_plural = _("propositions d'aide")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.challenge}"


def challenge_attachment_upload_to(instance: "ChallengeAttachment", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"challenges/attachments/{secrets.token_hex(8)}.{extension}"


class ChallengeAttachment(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("titre"), max_length=200)
    file = models.FileField(
        _("fichier"),
        upload_to=challenge_attachment_upload_to,
        validators=[
            FileExtensionValidator(ATTACHMENT_EXTENSIONS),
            validate_attachment_upload,
        ],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class ChallengeReport(models.Model):
    """An abuse report on a défi or one of its comments, for the coordination team."""

    target = models.CharField(_("objet"), max_length=10, choices=ReportTarget.choices)
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="reports")
    comment = models.ForeignKey(
        ChallengeComment,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    reporter = models.ForeignKey(
        "members.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("ce qui pose problème"), max_length=1000)
    created_at = models.DateTimeField(_("signalé le"), auto_now_add=True, db_index=True)
    resolved = models.BooleanField(_("traité"), default=False, db_index=True)
    resolved_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        "members.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target="challenge", comment__isnull=True)
                | Q(target="comment", comment__isnull=False),
                name="challenge_report_target_matches",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_target_display()} : {self.reason[:60]}"
