"""A suggestion made to someone, why, and what came of it.

One `Match` per (where, subject, what was suggested, to whom): shown again, it is the same
row (`shown_count` grows). "To whom" is a signed-in person, or nobody: every anonymous
visitor shares one row per suggestion, and nothing of them is stored (not their place,
not their answers; the reasons kept are the suggested item's own facts).

What came of it is LINKED, never copied: the offer on the défi (challenges.ChallengeOffer),
the interest in the opportunity (opportunities.OpportunityInterest), the registration to
the meeting (meetings.Registration), the project (projects.Project). The other apps know
nothing of this one: `services.match_outcomes_link` reads them after each write.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import Feedback, MatchContext, MatchOutcome, MatchStep, SuggestionKind


class MatchQuerySet(models.QuerySet):
    def for_viewer(self, user) -> "MatchQuerySet":
        if user is None or not user.is_authenticated:
            return self.filter(user__isnull=True, viewer_key="")
        return self.filter(user=user)

    def to_link(self) -> "MatchQuerySet":
        """Those whose outcome may still change (nothing final linked yet)."""
        return self.exclude(outcome__in=[MatchOutcome.SUCCEEDED, MatchOutcome.FAILED])


def viewer_key(user) -> str:
    """ "u<id>" for a signed-in person, "" for every anonymous visitor (one shared row)."""
    if user is None or not user.is_authenticated:
        return ""
    return f"u{user.pk}"


class Match(models.Model):
    context = models.CharField(_("où"), max_length=16, choices=MatchContext.choices)
    kind = models.CharField(_("suggestion"), max_length=16, choices=SuggestionKind.choices)
    user = models.ForeignKey(
        "members.User",
        verbose_name=_("à qui"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="matches",
    )
    # "u<id>", or "" for the anonymous visitors: the unique key (a NULL user would not do).
    viewer_key = models.CharField(max_length=24, blank=True, editable=False)
    # "challenge:12", "project:3", "edition:7", "near_me": what the page was about.
    subject_key = models.CharField(max_length=40, editable=False)
    # "project:5", "qpv:QN09310M", "aid:1234": what was suggested.
    suggested_key = models.CharField(max_length=60, editable=False)

    # The subject: a défi, a project, an edition (none on "Près de chez moi").
    subject_challenge = models.ForeignKey(
        "challenges.Challenge",
        verbose_name=_("défi"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="matches_about",
    )
    subject_project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("projet"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="matches_about",
    )
    subject_edition = models.ForeignKey(
        "meetings.Edition",
        verbose_name=_("rencontre"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="matches_about",
    )
    subject_organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation (Mon espace)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="matches_about",
    )

    # What was suggested: one of these, or an outside aid (`external_*`).
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("projet suggéré"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="matches_suggested",
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation suggérée"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="matches_suggested",
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        verbose_name=_("opportunité suggérée"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="matches_suggested",
    )
    challenge = models.ForeignKey(
        "challenges.Challenge",
        verbose_name=_("défi suggéré"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="matches_suggested",
    )
    qpv = models.ForeignKey(
        "territories.QPV",
        verbose_name=_("quartier suggéré"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="matches_suggested",
    )
    pitch = models.ForeignKey(
        "meetings.PitchApplication",
        verbose_name=_("proposition suggérée"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="matches_suggested",
    )
    external_title = models.CharField(_("titre (source extérieure)"), max_length=300, blank=True)
    external_url = models.URLField(_("adresse (source extérieure)"), max_length=500, blank=True)

    # Why: the reasons as data ({"code", "text", ...the signal's values}) and in words.
    rank = models.PositiveSmallIntegerField(_("rang"), default=0)
    score = models.FloatField(_("score"), default=0)
    reasons = models.JSONField(_("raisons"), default=list, blank=True)
    explanation = models.CharField(_("pourquoi, en mots simples"), max_length=500, blank=True)

    shown_count = models.PositiveIntegerField(_("montrée"), default=1)
    created_at = models.DateTimeField(_("suggérée le"), auto_now_add=True, db_index=True)
    last_shown_at = models.DateTimeField(_("montrée pour la dernière fois"), auto_now=True)
    opened_count = models.PositiveIntegerField(_("ouverte"), default=0)
    opened_at = models.DateTimeField(_("ouverte la première fois le"), null=True, blank=True)
    feedback = models.CharField(_("avis"), max_length=12, choices=Feedback.choices, blank=True)
    feedback_at = models.DateTimeField(_("avis donné le"), null=True, blank=True)

    # What was done, and what came of it: links to the other apps' own records.
    step = models.CharField(
        _("suite"), max_length=20, choices=MatchStep.choices, blank=True, db_index=True
    )
    outcome = models.CharField(
        _("résultat"), max_length=12, choices=MatchOutcome.choices, blank=True
    )
    offer = models.ForeignKey(
        "challenges.ChallengeOffer",
        verbose_name=_("proposition d'aide"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    interest = models.ForeignKey(
        "opportunities.OpportunityInterest",
        verbose_name=_("intérêt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    registration = models.ForeignKey(
        "meetings.Registration",
        verbose_name=_("inscription"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome_project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("projet issu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    linked_at = models.DateTimeField(_("suite constatée le"), null=True, blank=True)

    objects = MatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-created_at", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["context", "subject_key", "suggested_key", "viewer_key"],
                name="matches_one_row_per_viewer",
            ),
            models.CheckConstraint(
                condition=Q(feedback="") | ~Q(viewer_key=""),
                name="matches_feedback_needs_a_person",
            ),
        ]
        indexes = [
            models.Index(fields=["context", "subject_key"], name="matches_subject"),
            models.Index(fields=["kind", "suggested_key"], name="matches_suggested"),
        ]

    def __str__(self) -> str:
        return f"{self.get_context_display()} : {self.suggested_key} ({self.subject_key})"

    @property
    def suggested(self):
        """The suggested object (None for an outside aid)."""
        for name in ("project", "organisation", "opportunity", "challenge", "qpv", "pitch"):
            if getattr(self, f"{name}_id"):
                return getattr(self, name)
        return None

    @property
    def is_external(self) -> bool:
        return self.suggested_key.startswith("aid:")
