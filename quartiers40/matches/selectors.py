# mypy: disable-error-code="union-attr,arg-type,misc"
# A match points at one item through one of several nullable foreign keys, read after
# checking its id (`if match.project_id: match.project…`), which mypy cannot narrow.
"""Reads of the matchmaking: where a suggestion leads, and the figures the observatory counts."""

from datetime import datetime
from urllib.parse import urlsplit

from django.db.models import Count, Q, Sum

from .enums import LED_TO_SOMETHING, Feedback, MatchContext
from .models import Match

SUGGESTED_RELATIONS = (
    "project",
    "organisation",
    "opportunity",
    "challenge",
    "qpv",
    "pitch__project",
    "pitch__challenge",
    "pitch__edition",
)


def external_hosts() -> set[str]:
    """The outside sites a suggestion may lead to (their pages, from their own API)."""
    from .clients.aides_territoires import conf

    host = urlsplit(conf.SITE_URL).netloc
    return {host} if host else set()


def match_target_url(match: Match, viewer) -> str:
    """The suggested item's page, if the viewer may see it now; "" otherwise."""
    from quartiers40.challenges.permissions import can_view_challenge
    from quartiers40.members.permissions import can_view_organisation
    from quartiers40.opportunities.permissions import can_view_opportunity
    from quartiers40.projects.permissions import can_view_project
    from quartiers40.territories.templatetags.territories import qpv_url

    if match.is_external:
        return match.external_url
    if match.project_id:
        return match.project.get_absolute_url() if can_view_project(viewer, match.project) else ""
    if match.organisation_id:
        organisation = match.organisation
        return (
            organisation.get_absolute_url() if can_view_organisation(viewer, organisation) else ""
        )
    if match.opportunity_id:
        opportunity = match.opportunity
        return opportunity.get_absolute_url() if can_view_opportunity(viewer, opportunity) else ""
    if match.challenge_id:
        challenge = match.challenge
        return challenge.get_absolute_url() if can_view_challenge(viewer, challenge) else ""
    if match.qpv_id:
        return qpv_url(match.qpv)
    if match.pitch_id:
        from quartiers40.meetings.permissions import can_edit_agenda

        pitch = match.pitch
        if not can_edit_agenda(viewer, pitch.edition):
            return ""
        if pitch.project_id and can_view_project(viewer, pitch.project):
            return pitch.project.get_absolute_url()
        if pitch.challenge_id and can_view_challenge(viewer, pitch.challenge):
            return pitch.challenge.get_absolute_url()
    return ""


def match_subject_url(match: Match) -> str:
    """The page the suggestion was shown on (where "utile" takes the person back)."""
    from django.urls import reverse

    if match.subject_challenge_id:
        return match.subject_challenge.get_absolute_url()
    if match.subject_project_id:
        return match.subject_project.get_absolute_url()
    if match.subject_edition_id:
        return reverse("meetings:agenda_builder", kwargs={"slug": match.subject_edition.slug})
    if match.context == MatchContext.ACCOUNT:
        return reverse("members:account")
    if match.context == MatchContext.NEAR_ME:
        return reverse("opportunities:search")
    return ""


def match_figures(
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    context: str | None = None,
) -> dict[str, dict[str, int]]:
    """How many suggestions were made, opened, found useful (or not) and led to something,
    by context, and "all" for the sum. A suggestion is one match (one row per person, one
    shared by anonymous visitors); `shown` counts its displays, `opened` the rows opened at
    least once through their link, `led_to_something` those with a contact, an offer, an
    interest, a registration or a project linked (`services.match_outcomes_link`: made
    after the suggestion by the suggested party, whether or not it was opened here),
    `succeeded` those whose linked record ended well (offer accepted, opportunity started,
    registration confirmed, partner or site added)."""
    matches = Match.objects.all()
    if since is not None:
        matches = matches.filter(created_at__gte=since)
    if until is not None:
        matches = matches.filter(created_at__lt=until)
    if context:
        matches = matches.filter(context=context)
    rows = matches.values("context").annotate(
        suggested=Count("pk"),
        shown=Sum("shown_count"),
        opened=Count("pk", filter=Q(opened_at__isnull=False)),
        useful=Count("pk", filter=Q(feedback=Feedback.USEFUL)),
        not_useful=Count("pk", filter=Q(feedback=Feedback.NOT_USEFUL)),
        led_to_something=Count("pk", filter=Q(step__in=list(LED_TO_SOMETHING))),
        succeeded=Count("pk", filter=Q(outcome="succeeded")),
    )
    names: tuple[str, ...] = ("suggested", "shown", "opened", "useful", "not_useful")
    names += ("led_to_something",)
    names += ("succeeded",)
    figures: dict[str, dict[str, int]] = {}
    total = dict.fromkeys(names, 0)
    for row in rows:
        figures[row["context"]] = {name: int(row[name] or 0) for name in names}
        for name in names:
            total[name] += int(row[name] or 0)
    figures["all"] = total
    return figures


def matches_of_user(user):
    """A person's own suggestions, latest first (their personal data export could read it)."""
    return Match.objects.filter(user=user).order_by("-created_at")
