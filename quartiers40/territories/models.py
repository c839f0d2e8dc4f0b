import os
import secrets

import shapely
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .conf import conf
from .enums import QPVCheckJobStatus
from .text import search_text


def default_generation() -> int:
    return conf.QPV_GENERATION


class QPVQuerySet(models.QuerySet):
    def of_generation(self, generation: int | None = None) -> "QPVQuerySet":
        return self.filter(generation=generation or conf.QPV_GENERATION)

    def active(self) -> "QPVQuerySet":
        return self.filter(is_active=True)

    def current(self) -> "QPVQuerySet":
        """The QPVs in force: current generation, still in the last imported layer."""
        return self.of_generation().active()

    def with_geometry(self) -> "QPVQuerySet":
        return self.exclude(geometry_wkb=None)

    def without_geometry_fields(self) -> "QPVQuerySet":
        """Lists do not need the heavy columns."""
        return self.defer("geometry_wkb", "display_geojson")


class QPV(models.Model):
    """A priority neighbourhood (quartier prioritaire de la politique de la ville).

    One row per QPV and generation (millésime): the 2024 perimeters now, the next
    generation beside them later. `code` alone is unique within a generation only.
    Geometries are WGS84 longitude/latitude, stored as plain fields (WKB and GeoJSON)
    so SQLite works without GeoDjango; `geometry` and friends give shapely objects.
    """

    code = models.CharField(_("code"), max_length=16, db_index=True)
    name = models.CharField(_("nom"), max_length=200)
    generation = models.PositiveSmallIntegerField(
        _("génération (millésime)"), default=default_generation, db_index=True
    )
    is_active = models.BooleanField(
        _("en vigueur"),
        default=True,
        help_text=_("Faux quand le dernier import de sa génération ne le contient plus."),
    )

    # Main commune (the first one the producer lists) and all communes.
    commune_code = models.CharField(_("code INSEE de la commune"), max_length=5, blank=True)
    commune_name = models.CharField(_("commune"), max_length=200, blank=True)
    commune_codes = models.JSONField(_("codes INSEE des communes"), default=list, blank=True)
    commune_names = models.JSONField(_("communes"), default=list, blank=True)
    department_code = models.CharField(_("département"), max_length=3, db_index=True)
    department_name = models.CharField(_("nom du département"), max_length=100, blank=True)
    region_code = models.CharField(_("région"), max_length=3, blank=True, db_index=True)
    region_name = models.CharField(_("nom de la région"), max_length=100, blank=True)
    epci_siren = models.CharField(_("SIREN de l'EPCI"), max_length=9, blank=True)
    # The name without accents, case or punctuation: what a search compares with.
    search_name = models.CharField(_("nom pour la recherche"), max_length=200, blank=True)
    # Filled from `commune_codes` once the official commune list is loaded (`communes.py`).
    communes = models.ManyToManyField(
        "Commune", through="QPVCommune", related_name="qpvs", verbose_name=_("communes")
    )

    # Full-precision geometry (WKB MultiPolygon) and a light one for maps (GeoJSON).
    geometry_wkb = models.BinaryField(_("géométrie (WKB)"), null=True, blank=True)
    display_geojson = models.TextField(_("géométrie simplifiée (GeoJSON)"), blank=True)
    area_m2 = models.FloatField(_("surface (m²)"), null=True, blank=True)
    centroid_lon = models.FloatField(_("longitude du centroïde"), null=True, blank=True)
    centroid_lat = models.FloatField(_("latitude du centroïde"), null=True, blank=True)
    bbox_min_lon = models.FloatField(null=True, blank=True, editable=False)
    bbox_min_lat = models.FloatField(null=True, blank=True, editable=False)
    bbox_max_lon = models.FloatField(null=True, blank=True, editable=False)
    bbox_max_lat = models.FloatField(null=True, blank=True, editable=False)

    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True, db_index=True)

    objects = QPVQuerySet.as_manager()

    class Meta:
        verbose_name = _("quartier prioritaire (QPV)")
        verbose_name_plural = _("quartiers prioritaires (QPV)")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "generation"], name="territories_qpv_unique_code_generation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):
        self.search_name = search_text(self.name)
        super().save(*args, **kwargs)

    @property
    def commune_list(self) -> list[str]:
        """Its communes by name ("Sevran", "Aulnay-sous-Bois"), main one first."""
        names = [name for name in (self.commune_names or []) if name]
        names = names or ([self.commune_name] if self.commune_name else [])
        return list(dict.fromkeys(names))  # two codes may be one commune since a merger

    @property
    def geometry(self) -> shapely.MultiPolygon | None:
        if not self.geometry_wkb:
            return None
        return shapely.from_wkb(bytes(self.geometry_wkb))

    @property
    def display_geometry(self) -> shapely.Geometry | None:
        if not self.display_geojson:
            return None
        return shapely.from_geojson(self.display_geojson)

    @property
    def centroid(self) -> shapely.Point | None:
        if self.centroid_lon is None or self.centroid_lat is None:
            return None
        return shapely.Point(self.centroid_lon, self.centroid_lat)

    @property
    def bbox(self) -> tuple[float, float, float, float] | None:
        """(min lon, min lat, max lon, max lat)."""
        if self.bbox_min_lon is None:
            return None
        return (self.bbox_min_lon, self.bbox_min_lat, self.bbox_max_lon, self.bbox_max_lat)

    @property
    def area_hectares(self) -> float | None:
        return None if self.area_m2 is None else self.area_m2 / 10_000

    def covers_point(self, lon: float, lat: float) -> bool:
        """Inside or on the boundary (the lookup's rule)."""
        geometry = self.geometry
        return geometry is not None and bool(shapely.intersects_xy(geometry, lon, lat))


# --- Communes (the official list, `communes.py` imports it) ----------------------------


class CommuneKind(models.TextChoices):
    COMMUNE = "commune-actuelle", _("commune")
    ARRONDISSEMENT = "arrondissement-municipal", _("arrondissement municipal")


class Commune(models.Model):
    """A commune of the official geographic code, or an arrondissement of Paris, Lyon or
    Marseille (their QPVs name the whole city: an arrondissement leads to its `parent`).

    Reference data, replaced whole by `manage.py import_communes`.
    """

    code = models.CharField(_("code officiel (INSEE)"), max_length=5, primary_key=True)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(
        _("type"), max_length=32, choices=CommuneKind.choices, default=CommuneKind.COMMUNE
    )
    parent_code = models.CharField(
        _("commune (d'un arrondissement)"), max_length=5, blank=True, db_index=True
    )
    postcodes = models.JSONField(_("codes postaux"), default=list, blank=True)
    # The codes of communes merged into it (Pierrefitte-sur-Seine, 93059, is Saint-Denis
    # since 2025): the QPV layer may still name them.
    former_codes = models.JSONField(_("anciens codes"), default=list, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    department_code = models.CharField(_("département"), max_length=3, db_index=True)
    region_code = models.CharField(_("région"), max_length=3, blank=True)
    epci_siren = models.CharField(_("SIREN de l'EPCI"), max_length=9, blank=True)
    epci_name = models.CharField(_("intercommunalité (EPCI)"), max_length=200, blank=True)
    # "saint denis", " 93200 93210 ": what a search compares with (any database).
    search_name = models.CharField(_("nom pour la recherche"), max_length=200, db_index=True)
    search_postcodes = models.CharField(_("codes postaux (recherche)"), max_length=400)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.department_code})"

    @property
    def target_code(self) -> str:
        """The commune whose QPVs are this one's: itself, or an arrondissement's city."""
        return self.parent_code or self.code


class QPVCommune(models.Model):
    """A commune a QPV lies in (`position` 0 is its main commune, as the layer lists them)."""

    qpv = models.ForeignKey(QPV, on_delete=models.CASCADE, related_name="commune_links")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="qpv_links")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("commune d'un quartier")
        verbose_name_plural = _("communes des quartiers")
        ordering = ["qpv", "position"]
        constraints = [
            models.UniqueConstraint(fields=["qpv", "commune"], name="territories_qpv_commune")
        ]

    def __str__(self) -> str:
        return f"{self.qpv_id} – {self.commune_id}"


# --- CSV checks in the background ----------------------------------------------------------


class PrivateFileStorage(FileSystemStorage):
    """Files under MEDIA_ROOT/private/qpv-checks/ that have no public URL.

    They are sent only through views that check who asks (the job's secret id). The web
    server must not serve MEDIA_ROOT/private/ (see docs/territories.md).
    """

    @cached_property
    def base_location(self):
        # Follows MEDIA_ROOT, also when tests change it (FileSystemStorage clears this).
        return os.path.join(settings.MEDIA_ROOT, "private", "qpv-checks")

    def url(self, name):
        raise ValueError("QPV check files are private: they have no URL.")


_private_storage = PrivateFileStorage()


def qpv_check_storage() -> PrivateFileStorage:
    return _private_storage


def qpv_check_public_id() -> str:
    """192 random bits: the job's address, which only its uploader knows."""
    return secrets.token_urlsafe(24)


def qpv_check_source_path(job: "QPVCheckJob", filename: str) -> str:
    # Never the uploader's file name in a path: it is kept in `filename` only.
    return f"{job.public_id}/source.csv"


def qpv_check_result_path(job: "QPVCheckJob", filename: str) -> str:
    return f"{job.public_id}/resultat.csv"


class QPVCheckJobQuerySet(models.QuerySet):
    def finished(self) -> "QPVCheckJobQuerySet":
        return self.filter(status__in=[QPVCheckJobStatus.DONE, QPVCheckJobStatus.FAILED])

    def created_before(self, moment) -> "QPVCheckJobQuerySet":
        return self.filter(created_at__lt=moment)


class QPVCheckJob(models.Model):
    """A CSV file checked against the QPVs by a background worker (`jobs.py`).

    queued → running → done | failed. Anyone holding `public_id` (the address of the
    job's page) may follow it and download its result: an anonymous uploader has nothing
    else. Files live in a private storage and are purged after
    `QPV_CHECK_RETENTION_DAYS` (`manage.py qpv_check_purge`).
    """

    public_id = models.CharField(
        _("identifiant public"),
        max_length=43,
        unique=True,
        default=qpv_check_public_id,
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créé par"),
        null=True,
        blank=True,
        # The uploads of a deleted account go with it (they may hold addresses).
        on_delete=models.CASCADE,
        related_name="qpv_check_jobs",
    )
    filename = models.CharField(_("nom du fichier envoyé"), max_length=255)
    source = models.FileField(
        _("fichier envoyé"),
        upload_to=qpv_check_source_path,
        storage=qpv_check_storage,
        max_length=255,
    )
    source_size = models.PositiveBigIntegerField(_("taille du fichier (octets)"), default=0)
    result = models.FileField(
        _("résultat"),
        upload_to=qpv_check_result_path,
        storage=qpv_check_storage,
        max_length=255,
        blank=True,
    )
    status = models.CharField(
        _("état"),
        max_length=16,
        choices=QPVCheckJobStatus.choices,
        default=QPVCheckJobStatus.QUEUED,
        db_index=True,
    )
    rows_done = models.PositiveIntegerField(_("lignes traitées"), default=0)
    rows_total = models.PositiveIntegerField(_("lignes à traiter"), null=True, blank=True)
    inside_count = models.PositiveIntegerField(_("lignes dans un QPV"), default=0)
    outside_count = models.PositiveIntegerField(_("lignes hors QPV"), default=0)
    error_count = models.PositiveIntegerField(_("lignes en erreur"), default=0)
    error_message = models.TextField(_("message d'erreur"), blank=True)
    task_id = models.CharField(_("tâche"), max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    objects = QPVCheckJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("vérification de fichier")
        verbose_name_plural = _("vérifications de fichiers")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {QPVCheckJobStatus.DONE, QPVCheckJobStatus.FAILED}

    @property
    def percent(self) -> int | None:
        """Rows done in %, None while the number of rows is unknown."""
        if self.status == QPVCheckJobStatus.DONE:
            return 100
        if not self.rows_total:
            return None
        return min(100, self.rows_done * 100 // self.rows_total)
