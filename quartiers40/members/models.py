import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quartiers40.territories.reference import DEPARTMENT_CHOICES

from .enums import MembershipRequestStatus, OrganisationKind, OrganisationStatus, Role
from .validators import validate_image_upload, validate_rna, validate_siret


class UserQuerySet(models.QuerySet):
    def coordination(self) -> "UserQuerySet":
        """The coordination team: active people who are coordinators or superusers, the
        same people `members.permissions.is_coordination` lets into the team's pages."""
        return self.filter(Q(is_coordinator=True) | Q(is_superuser=True), is_active=True).filter(
            deleted_at__isnull=True
        )


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True, is_coordinator=True)
        extra.setdefault("email_verified_at", timezone.now())
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person. Signs in with an e-mail address; chooses what of them is public."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("adresse e-mail"), unique=True)
    display_name = models.CharField(_("nom affiché"), max_length=120)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    bio = models.TextField(_("présentation"), blank=True, max_length=2000)
    is_resident = models.BooleanField(
        _("habitant·e d'un quartier prioritaire"),
        default=False,
        help_text=_("Un profil d'habitant·e n'est jamais public par défaut."),
    )
    is_coordinator = models.BooleanField(
        _("équipe de coordination"),
        default=False,
        help_text=_("Modère les adhésions et anime le collectif."),
    )
    profile_public = models.BooleanField(
        _("profil visible publiquement"),
        default=False,
        help_text=_("Votre nom, votre présentation et vos organisations sont visibles de tous."),
    )
    show_email_to_members = models.BooleanField(
        _("montrer mon e-mail aux membres connectés"), default=False
    )
    show_phone_to_members = models.BooleanField(
        _("montrer mon téléphone aux membres connectés"), default=False
    )
    email_verified_at = models.DateTimeField(_("e-mail vérifié le"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("compte supprimé le"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None


def logo_upload_to(instance: "Organisation", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"organisations/logos/{secrets.token_hex(8)}.{extension}"


class OrganisationQuerySet(models.QuerySet):
    def members_of_collective(self) -> "OrganisationQuerySet":
        return self.filter(status=OrganisationStatus.MEMBER)

    def administered_by(self, user) -> "OrganisationQuerySet":
        return self.filter(memberships__user=user, memberships__role=Role.ADMIN)


# What an organisation's admins may change (pages, API and services share this list).
ORGANISATION_EDITABLE_FIELDS = (
    "name",
    "kind",
    "description",
    "website",
    "siret",
    "rna",
    "commune_name",
    "commune_code",
    "department_code",
    "logo",
)


class Organisation(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=220, unique=True)
    kind = models.CharField(_("type"), max_length=32, choices=OrganisationKind.choices)
    status = models.CharField(
        _("adhésion au collectif"),
        max_length=16,
        choices=OrganisationStatus.choices,
        default=OrganisationStatus.CANDIDATE,
        db_index=True,
    )
    description = models.TextField(
        _("description"), blank=True, max_length=10000, help_text=_("Markdown accepté.")
    )
    website = models.URLField(_("site web"), blank=True)
    siret = models.CharField(_("SIRET"), max_length=17, blank=True, validators=[validate_siret])
    rna = models.CharField(_("numéro RNA"), max_length=12, blank=True, validators=[validate_rna])
    commune_name = models.CharField(_("commune"), max_length=120, blank=True)
    commune_code = models.CharField(_("code INSEE de la commune"), max_length=5, blank=True)
    department_code = models.CharField(
        _("département"), max_length=3, choices=DEPARTMENT_CHOICES, blank=True, db_index=True
    )
    logo = models.ImageField(
        _("logo"),
        upload_to=logo_upload_to,
        blank=True,
        validators=[
            FileExtensionValidator(["png", "jpg", "jpeg", "webp", "gif"]),
            validate_image_upload,
        ],
    )
    qpvs = models.ManyToManyField(
        "territories.QPV",
        verbose_name=_("quartiers prioritaires où elle agit"),
        blank=True,
        related_name="organisations",
    )
    members = models.ManyToManyField(
        "members.User", through="OrganisationMembership", related_name="organisations"
    )
    joined_at = models.DateTimeField(_("membre du collectif depuis"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("members:organisation_detail", kwargs={"slug": self.slug})

    @property
    def is_member_of_collective(self) -> bool:
        return self.status == OrganisationStatus.MEMBER


class OrganisationMembership(models.Model):
    """A person's place in an organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rôle"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("appartenance")
        verbose_name_plural = _("appartenances")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="unique_membership")
        ]
        ordering = ["organisation", "-role", "user__display_name"]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class MembershipRequestQuerySet(models.QuerySet):
    def pending(self) -> "MembershipRequestQuerySet":
        return self.filter(status=MembershipRequestStatus.PENDING)


class MembershipRequest(models.Model):
    """A person asks to join the collective for an organisation; the team decides.

    pending -> accepted | refused (by the coordination team) | withdrawn (by the person).
    Transitions live in `services.membership_request_*` and are logged in the action log.
    """

    requester = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="membership_requests"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="membership_requests"
    )
    status = models.CharField(
        _("statut"),
        max_length=16,
        choices=MembershipRequestStatus.choices,
        default=MembershipRequestStatus.PENDING,
        db_index=True,
    )
    message = models.TextField(_("message à l'équipe"), blank=True, max_length=2000)
    decision_reason = models.TextField(_("motif de la décision"), blank=True, max_length=2000)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)

    objects = MembershipRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande d'adhésion")
        verbose_name_plural = _("demandes d'adhésion")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["requester", "organisation"],
                condition=Q(status="pending"),
                name="one_pending_request_per_person_and_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.requester} → {self.organisation} ({self.get_status_display()})"


class Invitation(models.Model):
    """An organisation admin invites someone by e-mail to join the organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("adresse e-mail"))
    role = models.CharField(_("rôle"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token. Only its hash is stored; the person sees it once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nom"), max_length=80)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
