"""The search index: one row per public item of the site, shared by every web process.

The text columns hold the engine's analysed terms (space-separated, `engine.document_index`);
the database's own full-text machinery indexes them for the first stage of a query: an FTS5
table on SQLite, a generated `tsvector` column with a GIN index on PostgreSQL (migration
0002). `SearchTerm` counts in how many documents each term appears: the engine reads it to
weigh the query's words and to correct their typos.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import DocumentKind, DocumentState


class SearchDocument(models.Model):
    kind = models.CharField(_("type"), max_length=20, choices=DocumentKind.choices)
    object_id = models.PositiveBigIntegerField(_("identifiant de l'élément"))
    url = models.CharField(_("adresse"), max_length=300)
    title = models.CharField(_("titre"), max_length=300)
    summary = models.TextField(_("résumé"), blank=True)
    place_label = models.CharField(_("lieu"), max_length=300, blank=True)
    status_label = models.CharField(_("statut"), max_length=100, blank=True)
    state = models.CharField(
        _("état"), max_length=10, choices=DocumentState.choices, default=DocumentState.ACTIVE
    )
    qpv_codes = models.JSONField(_("QPV"), default=list, blank=True)
    commune_codes = models.JSONField(_("communes"), default=list, blank=True)
    department_codes = models.JSONField(_("départements"), default=list, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    # The engine's analysed terms (and what its second stage reads).
    title_terms = models.TextField(blank=True)
    tag_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    place_terms = models.TextField(blank=True)
    rerank_data = models.TextField(blank=True)
    # The optional embedding of the item (search/clients/embeddings.py), packed floats.
    embedding = models.BinaryField(null=True, blank=True)
    source_updated_at = models.DateTimeField(null=True, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    indexed_at = models.DateTimeField(_("indexé le"), auto_now=True)

    class Meta:
        verbose_name = _("document de recherche")
        verbose_name_plural = _("documents de recherche")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")
        ]
        indexes = [
            models.Index(fields=["kind", "state"], name="search_doc_kind_state"),
            models.Index(fields=["latitude", "longitude"], name="search_doc_point"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.title}"


class SearchTerm(models.Model):
    """A term of the index and in how many documents it appears (`df`), and as a place."""

    term = models.CharField(max_length=64, primary_key=True)
    # Plain integers: a batch adds its deltas with one upsert whose inserted row may be negative.
    df = models.IntegerField(default=0)
    place_df = models.IntegerField(default=0)
    length = models.PositiveSmallIntegerField(default=0)
    # The term backwards, so that terms ending alike are found by an index range too.
    reversed_term = models.CharField(max_length=64, db_index=True)

    class Meta:
        verbose_name = _("terme de recherche")
        verbose_name_plural = _("termes de recherche")

    def __str__(self) -> str:
        return self.term
