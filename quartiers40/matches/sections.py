"""The suggestion blocks the matchmaking adds to the pages where people decide, through the
section registry (core/sections.py): a défi, a project, an edition's agenda builder,
"Près de chez moi", and "Mon espace".

Each context records what it shows as matches (services.matches_record) so that every
suggestion has its own links: /suggestions/<id>/ouvrir/ and the "utile / pas utile" form.
"""

from django.utils.translation import gettext as _

from quartiers40.core.sections import (
    ACCOUNT_PAGE,
    AGENDA_PAGE,
    CHALLENGE_PAGE,
    NEAR_ME_PAGE,
    PROJECT_PAGE,
    Section,
    section_register,
)

from . import explain, suggest
from .enums import MatchContext, SuggestionKind
from .services import Shown, matches_record

TEMPLATE = "matches/section.html"
NEAR_ME_SHOWN = 5
ACCOUNT_ORGANISATIONS = 2


def _group_titles() -> dict[str, str]:
    return {
        SuggestionKind.PROJECT: _("Des projets qui pourraient y répondre"),
        SuggestionKind.ORGANISATION: _("Des organisations qui pourraient aider"),
        SuggestionKind.OPPORTUNITY: _("Des opportunités pour les personnes concernées"),
        SuggestionKind.PILOT_SITE: _("Des quartiers où l'expérimenter"),
        SuggestionKind.PARTNER: _("Des partenaires déjà actifs sur place"),
        SuggestionKind.FUNDING: _("Des financements publics (Aides-territoires)"),
        SuggestionKind.PITCH: _("Les propositions qui collent au thème et à la ville"),
        SuggestionKind.CHALLENGE: _("Des défis auxquels vous pourriez répondre"),
    }


def _signed_in(viewer) -> bool:
    return bool(viewer is not None and viewer.is_authenticated and viewer.is_active)


def _groups(context: str, subject, found: dict, viewer, *, title_for=None) -> list[dict]:
    titles = _group_titles()
    groups = []
    for kind, suggestions in found.items():
        if not suggestions:
            continue
        matches = matches_record(
            context=context, subject=subject, suggestions=suggestions, viewer=viewer
        )
        items = [
            Shown(suggestion=suggestion, match=match, reasons_text=suggestion.explanation)
            for suggestion, match in zip(suggestions, matches, strict=True)
        ]
        groups.append(
            {"kind": kind, "title": title_for(kind) if title_for else titles[kind], "items": items}
        )
    return groups


def _block(groups: list[dict], *, heading: str, intro: str, viewer, back: str) -> dict:
    return {
        "groups": groups,
        "heading": heading,
        "intro": intro,
        "can_judge": _signed_in(viewer),
        "back": back,
    }


def challenge_section(challenge, viewer=None) -> dict:
    """Shown to everyone on a visible défi; judging needs an account."""
    if not challenge.is_visible:
        return {"groups": []}
    found = suggest.challenge_suggestions(challenge)
    return _block(
        _groups(MatchContext.CHALLENGE, challenge, found, viewer),
        heading=_("Qui pourrait répondre à ce défi ?"),
        intro=_(
            "Des suggestions de la plateforme, avec leurs raisons. Dites-nous si elles aident."
        ),
        viewer=viewer,
        back=challenge.get_absolute_url(),
    )


def project_section(project, viewer=None) -> dict:
    found = suggest.project_suggestions(project)
    return _block(
        _groups(MatchContext.PROJECT, project, found, viewer),
        heading=_("Pour aller plus loin avec ce projet"),
        intro=_(
            "Des quartiers qui demandent ce qu'il fait, des partenaires et des financements, "
            "avec leurs raisons."
        ),
        viewer=viewer,
        back=project.get_absolute_url(),
    )


def agenda_section(edition, viewer=None) -> dict:
    """Only for the people who may build this edition's agenda."""
    from django.urls import reverse

    from quartiers40.meetings.permissions import can_edit_agenda

    if not (_signed_in(viewer) and can_edit_agenda(viewer, edition)):
        return {"groups": []}
    found = suggest.edition_suggestions(edition)
    return _block(
        _groups(MatchContext.AGENDA, edition, found, viewer),
        heading=_("Suggestions pour l'ordre du jour"),
        intro=_("Les propositions les plus proches du thème et de la ville de la rencontre."),
        viewer=viewer,
        back=reverse("meetings:agenda_builder", kwargs={"slug": edition.slug}),
    )


def near_me_section(results, viewer=None) -> dict:
    """The first results of "Près de chez moi", recorded as matches with the page's own
    reasons (opportunities/explain.py): no second engine. An anonymous visitor's matches keep
    only the opportunity's own facts, never her place or her answers."""
    from quartiers40.opportunities.explain import reason_line, reasons

    suggestions = []
    lines_of = {}
    for result in list(results)[:NEAR_ME_SHOWN]:
        opportunity = result.opportunity
        suggestion = suggest.Suggestion(
            kind=SuggestionKind.OPPORTUNITY,
            key=f"opportunity:{opportunity.pk}",
            object_id=opportunity.pk,
            title=opportunity.title,
            url=opportunity.get_absolute_url(),
            subtitle=opportunity.provider_name,
        )
        facts = reason_line(reasons(opportunity))
        if facts:
            suggestion.add(explain.line_reason(facts, "facts"))
        for line in result.reasons:
            suggestion.add(explain.line_reason(line, "near_me"))
        suggestions.append(suggestion)
        lines_of[suggestion.key] = list(result.reasons) or ([facts] if facts else [])
    if not suggestions:
        return {"groups": []}
    matches = matches_record(
        context=MatchContext.NEAR_ME, subject=None, suggestions=suggestions, viewer=viewer
    )
    items = [
        Shown(
            suggestion=suggestion,
            match=match,
            reasons_text=" · ".join(lines_of[suggestion.key]),
            lines=lines_of[suggestion.key],
        )
        for suggestion, match in zip(suggestions, matches, strict=True)
    ]
    from django.urls import reverse

    if not _signed_in(viewer):
        # Recorded, not shown again: an anonymous resident would only see her first results a
        # second time, with a sign-in link.
        return {"groups": []}
    return _block(
        [{"kind": SuggestionKind.OPPORTUNITY, "title": "", "items": items}],
        heading=_("Ces résultats vous aident-ils ?"),
        intro=_("Les premiers résultats, et pourquoi ils sont là."),
        viewer=viewer,
        back=reverse("opportunities:search"),
    )


def account_section(viewer=None) -> dict:
    """ "Mon espace": open défis the person's organisations could answer."""
    from django.urls import reverse

    from quartiers40.members.models import Organisation

    if not _signed_in(viewer):
        return {"groups": []}
    organisations = list(
        Organisation.objects.members_of_collective()
        .filter(memberships__user=viewer)
        .order_by("name")[:ACCOUNT_ORGANISATIONS]
    )
    groups = []
    for organisation in organisations:
        found = suggest.organisation_suggestions(organisation)
        groups += _groups(
            MatchContext.ACCOUNT,
            organisation,
            found,
            viewer,
            title_for=lambda _kind, name=organisation.name: (
                _("Des défis auxquels %(organisation)s pourrait répondre") % {"organisation": name}
            ),
        )
    return _block(
        groups,
        heading=_("Suggestions pour mes organisations"),
        intro=_("Des défis ouverts proches de ce que font vos organisations."),
        viewer=viewer,
        back=reverse("members:account"),
    )


def register() -> None:
    for page, context, order in (
        (CHALLENGE_PAGE, challenge_section, 50),
        (PROJECT_PAGE, project_section, 50),
        (AGENDA_PAGE, agenda_section, 50),
        (NEAR_ME_PAGE, near_me_section, 50),
        (ACCOUNT_PAGE, account_section, 90),
    ):
        section_register(
            Section(page=page, key="matches", order=order, template=TEMPLATE, context=context)
        )
