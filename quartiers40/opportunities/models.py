"""Opportunities for residents: trainings, jobs, internships, workshops, mentoring, help.

An opportunity is offered either by a member organisation of the collective (published
from the pages or the API) or by a structure imported from the inclusion ecosystem
(data·inclusion, LaMednum, LHEO, our CSV template), identified by `(source, source_id)`.
It takes place in one or more places (each with its point, the QPVs it lies in or near and
its distance to them), or remotely, or both.
"""

import secrets

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from quartiers40.core.db import codes_validate, json_list_contains
from quartiers40.core.markdown import render_markdown

from .enums import (
    OPPORTUNITY_CHANGEABLE_STATES,
    THEME_CODES,
    Accessibility,
    Cost,
    GeocodingState,
    HowToGo,
    InterestStatus,
    Language,
    Level,
    OpportunityKind,
    OpportunityStatus,
    QPVPriority,
    Situation,
)

SUMMARY_MAX_LENGTH = 400
MAX_PLACES_PER_OPPORTUNITY = 50
MAX_SESSIONS_PER_OPPORTUNITY = 100
# Our own items carry this source (the data·inclusion export's `source` too).
OWN_SOURCE = "quartiers-4-0"


def validate_themes(values) -> None:
    codes_validate(values, THEME_CODES, _("Thématique inconnue."))


def validate_situations(values) -> None:
    codes_validate(values, set(Situation.values), _("Situation inconnue."))


def validate_how_to_go(values) -> None:
    codes_validate(values, set(HowToGo.values), _("Façon de s'inscrire inconnue."))


def validate_accessibility(values) -> None:
    codes_validate(values, set(Accessibility.values), _("Accessibilité inconnue."))


def validate_languages(values) -> None:
    codes_validate(values, set(Language.values), _("Langue inconnue."))


def validate_insee_codes(values) -> None:
    if not isinstance(values, list) or any(
        not isinstance(value, str) or not (value == "france" or 2 <= len(value) <= 9)
        for value in values
    ):
        raise ValidationError(_("Code de zone inconnu (code INSEE, département ou « france »)."))


class ImportedStructure(models.Model):
    """A structure of the ecosystem that offers imported opportunities (not a member)."""

    source = models.CharField(_("source"), max_length=100)
    source_id = models.CharField(_("identifiant dans la source"), max_length=300)
    name = models.CharField(_("nom"), max_length=300)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    website = models.URLField(_("site web"), blank=True, max_length=500)
    source_url = models.URLField(_("lien vers la source"), blank=True, max_length=500)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    commune_code = models.CharField(_("code INSEE de la commune"), max_length=5, blank=True)
    commune_name = models.CharField(_("commune"), max_length=200, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    description = models.TextField(_("présentation"), blank=True, max_length=20000)
    opening_hours = models.CharField(
        _("horaires (format OpenStreetMap)"), max_length=500, blank=True
    )
    accessibility_url = models.URLField(_("fiche Acceslibre"), blank=True, max_length=500)
    updated_on = models.DateField(_("mise à jour dans la source le"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("vue dans la source le"), null=True, blank=True)
    is_fictional = models.BooleanField(_("fictive (démonstration)"), default=False)

    class Meta:
        verbose_name = _("structure importée")
        verbose_name_plural = _("structures importées")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"], name="opportunities_structure_unique_source_id"
            )
        ]

    def __str__(self) -> str:
        return self.name


class OpportunityQuerySet(models.QuerySet):
    def published(self) -> "OpportunityQuerySet":
        return self.filter(status=OpportunityStatus.PUBLISHED)

    def with_theme(self, theme: str) -> "OpportunityQuerySet":
        """A thématique (`categorie--sous-thematique`) or a whole category (`categorie`)."""
        if "--" in theme:
            return self.filter(json_list_contains("themes", theme))
        return self.filter(themes__icontains=f'"{theme}--')

    def of_organisation(self, organisation) -> "OpportunityQuerySet":
        return self.filter(organisation=organisation)


# What a provider may change (pages, API and services share the list).
OPPORTUNITY_EDITABLE_FIELDS = (
    "kind",
    "title",
    "summary",
    "description",
    "themes",
    "is_remote",
    "starts_on",
    "ends_on",
    "opening_hours",
    "schedule_details",
    "cost",
    "cost_details",
    "how_to_go",
    "application_url",
    "contact_phone",
    "contact_email",
    "seats",
    "deadline",
    "qpv_priority",
    "age_min",
    "age_max",
    "situations",
    "level_required",
    "languages",
    "eligibility_details",
    "access_conditions",
    "accessibility",
    "accessibility_url",
)


class Opportunity(models.Model):
    """A training, job, internship, workshop, mentoring or help service for residents.

    draft ─publish (member organisation)─▶ published ─expire (platform)─▶ expired
      └─submit (new organisation)─▶ submitted ─approve / return (coordination)─▶ …
    any live state ─withdraw─▶ withdrawn (kept). See `enums.OPPORTUNITY_WORKFLOW`.
    """

    kind = models.CharField(
        _("type"), max_length=16, choices=OpportunityKind.choices, db_index=True
    )
    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=220, unique=True)
    summary = models.TextField(
        _("résumé en français facile"),
        max_length=SUMMARY_MAX_LENGTH,
        validators=[MaxLengthValidator(SUMMARY_MAX_LENGTH)],
        help_text=_("400 caractères au plus, des phrases courtes, des mots de tous les jours."),
    )
    description = models.TextField(_("description"), blank=True, max_length=20000)
    # Texts an AI drafted and a person accepted (assist/): the summary's label. No column.
    ai_drafts = GenericRelation("assist.AIDraft")
    themes = models.JSONField(
        _("thématiques"), default=list, blank=True, validators=[validate_themes]
    )
    status = models.CharField(
        _("statut"),
        max_length=16,
        choices=OpportunityStatus.choices,
        default=OpportunityStatus.DRAFT,
        db_index=True,
    )
    review_comments = models.TextField(_("commentaires de la coordination"), blank=True)

    # Who offers it: a member organisation, or an imported structure.
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    structure = models.ForeignKey(
        ImportedStructure,
        verbose_name=_("structure"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    source = models.CharField(_("source"), max_length=100, default=OWN_SOURCE, db_index=True)
    source_id = models.CharField(_("identifiant dans la source"), max_length=300, blank=True)
    source_url = models.URLField(_("lien vers la source"), blank=True, max_length=500)
    source_updated_on = models.DateField(_("mise à jour dans la source le"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("vue dans la source le"), null=True, blank=True)

    # Where: places (OpportunityPlace), remotely, or both.
    is_remote = models.BooleanField(_("à distance"), default=False, db_index=True)
    eligibility_zone = models.JSONField(
        _("zone d'éligibilité (codes INSEE)"),
        default=list,
        blank=True,
        validators=[validate_insee_codes],
    )

    # When: dates and sessions (OpportunitySession), or opening hours.
    starts_on = models.DateField(_("début"), null=True, blank=True)
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    opening_hours = models.CharField(
        _("horaires d'ouverture"),
        max_length=500,
        blank=True,
        help_text=_("Au format OpenStreetMap, par exemple « Mo-Fr 09:00-12:00; We 14:00-17:00 »."),
    )
    schedule_details = models.CharField(
        _("précisions sur les horaires"), max_length=500, blank=True
    )
    hours_per_week = models.FloatField(_("heures par semaine"), null=True, blank=True)
    weeks = models.PositiveSmallIntegerField(_("nombre de semaines"), null=True, blank=True)

    # Cost and how to go.
    cost = models.CharField(
        _("coût"), max_length=8, choices=Cost.choices, default=Cost.FREE, db_index=True
    )
    cost_details = models.CharField(_("précisions sur le coût"), max_length=500, blank=True)
    how_to_go = models.JSONField(
        _("comment y aller"), default=list, blank=True, validators=[validate_how_to_go]
    )
    application_url = models.URLField(_("lien pour s'inscrire"), blank=True, max_length=500)
    contact_phone = models.CharField(_("téléphone à appeler"), max_length=40, blank=True)
    contact_email = models.EmailField(
        _("courriel de contact"),
        blank=True,
        help_text=_("Jamais affiché : les messages des personnes intéressées y sont envoyés."),
    )
    seats = models.PositiveIntegerField(_("places"), null=True, blank=True)
    deadline = models.DateField(
        _("date limite d'inscription"), null=True, blank=True, db_index=True
    )

    # Eligibility, in fields a person can filter on.
    qpv_priority = models.CharField(
        _("habitants des quartiers prioritaires"),
        max_length=8,
        choices=QPVPriority.choices,
        default=QPVPriority.EVERYONE,
        blank=True,
    )
    age_min = models.PositiveSmallIntegerField(
        _("âge minimum"),
        null=True,
        blank=True,
        validators=[MinValueValidator(14), MaxValueValidator(99)],
    )
    age_max = models.PositiveSmallIntegerField(
        _("âge maximum"),
        null=True,
        blank=True,
        validators=[MinValueValidator(14), MaxValueValidator(120)],
    )
    situations = models.JSONField(
        _("pour qui"),
        default=list,
        blank=True,
        validators=[validate_situations],
        help_text=_("Vide : pour tout le monde."),
    )
    level_required = models.PositiveSmallIntegerField(
        _("diplôme demandé"), choices=Level.choices, default=Level.NONE
    )
    languages = models.JSONField(
        _("langues parlées"), default=list, blank=True, validators=[validate_languages]
    )
    eligibility_details = models.TextField(
        _("précisions sur le public"), blank=True, max_length=2000
    )
    access_conditions = models.TextField(_("conditions d'accès"), blank=True, max_length=2000)
    accessibility = models.JSONField(
        _("accessibilité"), default=list, blank=True, validators=[validate_accessibility]
    )
    accessibility_url = models.URLField(_("fiche Acceslibre"), blank=True, max_length=500)

    is_fictional = models.BooleanField(_("fictive (démonstration)"), default=False)
    created_by = models.ForeignKey(
        "members.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    last_updated_at = models.DateTimeField(_("dernière mise à jour"), db_index=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    expired_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("retirée le"), null=True, blank=True)
    # Withdrawn because it disappeared from its source: it comes back if the source does.
    withdrawn_from_source = models.BooleanField(default=False, editable=False)
    freshness_reminded_at = models.DateTimeField(
        _("relance de mise à jour envoyée le"), null=True, blank=True
    )

    # Its translations (quartiers40.translations): deleted with it.
    content_translations = GenericRelation("translations.ContentTranslation")

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("opportunité")
        verbose_name_plural = _("opportunités")
        ordering = ["-last_updated_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~Q(source_id=""),
                name="opportunities_unique_source_id",
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) | Q(structure__isnull=True),
                name="opportunities_one_provider",
            ),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True)
                | Q(age_max__isnull=True)
                | Q(age_min__lte=models.F("age_max")),
                name="opportunities_age_range",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(starts_on__lte=models.F("ends_on")),
                name="opportunities_dates_in_order",
            ),
        ]
        # "Near me": remote items are counted and read latest first from this index.
        indexes = [
            models.Index(
                fields=["status", "is_remote", "-last_updated_at", "id"],
                name="opportunities_status_remote",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("opportunities:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors = {}
        if self.age_min and self.age_max and self.age_min > self.age_max:
            errors["age_max"] = _("L'âge maximum est plus petit que l'âge minimum.")
        if self.starts_on and self.ends_on and self.starts_on > self.ends_on:
            errors["ends_on"] = _("La fin est avant le début.")
        if errors:
            raise ValidationError(errors)

    @property
    def provider_name(self) -> str:
        if self.organisation_id:
            return self.organisation.name
        if self.structure_id:
            return self.structure.name
        return ""

    @property
    def is_imported(self) -> bool:
        return self.source != OWN_SOURCE

    @property
    def is_changeable(self) -> bool:
        return self.status in OPPORTUNITY_CHANGEABLE_STATES

    @property
    def is_public(self) -> bool:
        return self.status == OpportunityStatus.PUBLISHED

    @property
    def description_html(self) -> str:
        return render_markdown(self.description)

    @property
    def theme_labels(self) -> list[str]:
        from .enums import THEME_LABELS

        return [THEME_LABELS.get(code, code) for code in self.themes]


class OpportunityPlace(models.Model):
    """Where it happens: an address with its point (unplaced when no point was found)."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="places")
    name = models.CharField(_("nom du lieu"), max_length=200, blank=True)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    address_details = models.CharField(_("complément d'adresse"), max_length=300, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    commune_code = models.CharField(
        _("code INSEE de la commune"), max_length=5, blank=True, db_index=True
    )
    commune_name = models.CharField(_("commune"), max_length=200, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    geocoding = models.CharField(
        _("localisation"),
        max_length=10,
        choices=GeocodingState.choices,
        default=GeocodingState.UNPLACED,
    )
    # What the place was written from (a hash of its input): an import that brings the
    # same place again does not geocode it again.
    input_key = models.CharField(max_length=40, blank=True, editable=False)
    qpvs = models.ManyToManyField(
        "territories.QPV",
        through="OpportunityPlaceQPV",
        related_name="opportunity_places",
        blank=True,
    )

    class Meta:
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")
        ordering = ["pk"]
        # "Near me" filters on a box of latitude, then longitude, read from the index alone
        # (it holds the item's id), then each item's nearest place by its id.
        indexes = [
            models.Index(
                fields=["latitude", "longitude", "opportunity"], name="opportunities_place_point"
            ),
            models.Index(
                fields=["opportunity", "latitude", "longitude"],
                name="opportunities_place_of_item",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(longitude__isnull=True) & Q(latitude__isnull=True))
                | (
                    Q(longitude__gte=-180)
                    & Q(longitude__lte=180)
                    & Q(latitude__gte=-90)
                    & Q(latitude__lte=90)
                ),
                name="opportunities_place_point_valid",
            )
        ]

    def __str__(self) -> str:
        return ", ".join(part for part in (self.name, self.address, self.commune_name) if part)

    @property
    def located(self) -> bool:
        return self.longitude is not None and self.latitude is not None

    @property
    def one_line(self) -> str:
        street = " ".join(part for part in (self.address, self.postcode, self.commune_name) if part)
        return ", ".join(part for part in (self.name, street) if part)


class OpportunityPlaceQPV(models.Model):
    """A place lies in a QPV (distance 0) or serves one nearby (distance in metres)."""

    place = models.ForeignKey(OpportunityPlace, on_delete=models.CASCADE, related_name="qpv_links")
    qpv = models.ForeignKey(
        "territories.QPV", on_delete=models.CASCADE, related_name="opportunity_place_links"
    )
    distance_m = models.PositiveIntegerField(_("distance (m)"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["place", "qpv"], name="opportunities_place_qpv_unique")
        ]
        indexes = [models.Index(fields=["qpv", "distance_m"], name="opportunities_qpv_distance")]

    def __str__(self) -> str:
        return f"{self.qpv_id} ({self.distance_m} m)"

    @property
    def inside(self) -> bool:
        return self.distance_m == 0


class OpportunitySession(models.Model):
    """A dated session (a training's intake, a workshop's date)."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="sessions")
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    details = models.CharField(_("précisions"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__lte=models.F("ends_on")),
                name="opportunities_session_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return str(self.starts_on)


def interest_reference() -> str:
    return secrets.token_urlsafe(9)


class OpportunityInterest(models.Model):
    """A person says she is interested; the provider is told and records what came of it.

    Her contact is personal data: the provider's people and the coordination team read it,
    nobody else (`permissions.can_view_interest_contact`). A mediator may register it for
    her, with her consent (the date is kept, as for meeting registrations).
    """

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="interests")
    reference = models.CharField(
        max_length=16, unique=True, default=interest_reference, editable=False
    )
    person = models.ForeignKey(
        "members.User",
        verbose_name=_("personne"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunity_interests",
    )
    name = models.CharField(_("prénom ou nom"), max_length=150)
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    message = models.TextField(_("message"), blank=True, max_length=2000)
    registered_by = models.ForeignKey(
        "members.User",
        verbose_name=_("inscrit·e par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunity_interests_registered",
    )
    consent_at = models.DateTimeField(_("accord de la personne le"), null=True, blank=True)
    status = models.CharField(
        _("suite donnée"),
        max_length=16,
        choices=InterestStatus.choices,
        default=InterestStatus.NEW,
        db_index=True,
    )
    outcome_note = models.CharField(_("note du fournisseur"), max_length=500, blank=True)
    outcome_at = models.DateTimeField(_("suite enregistrée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("reçu le"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("intérêt")
        verbose_name_plural = _("intérêts")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""), name="opportunities_interest_has_contact"
            ),
            models.UniqueConstraint(
                fields=["opportunity", "person"],
                condition=Q(person__isnull=False),
                name="opportunities_interest_once_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity} — {self.name}"
