"""The provider's and the coordination's actions on an opportunity's page, and distances."""

from django import template
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .. import permissions, services
from ..enums import OPPORTUNITY_WORKFLOW, InterestStatus
from ..forms import ReturnForm

register = template.Library()


@register.inclusion_tag("opportunities/provider/_actions.html", takes_context=True)
def opportunity_provider_actions(context, opportunity) -> dict:
    """What the person looking may do: the workflow's answer, one form per action.

    Nothing (and no query) for a visitor who is not signed in."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return {"show": False}
    actions = OPPORTUNITY_WORKFLOW.allowed(opportunity, user)
    can_edit = permissions.can_edit_opportunity(user, opportunity) and opportunity.is_changeable
    can_view_interests = opportunity.organisation_id is not None and permissions.can_view_interests(
        user, opportunity
    )
    result = {
        "show": bool(actions or can_edit or can_view_interests),
        "opportunity": opportunity,
        "is_provider": permissions.is_provider(user, opportunity),
        "is_reviewer": permissions.can_review_opportunity(user, opportunity),
        "can_edit": can_edit,
        "publish_label": (
            _("Publier")
            if "publish" in actions
            else _("Envoyer à la coordination")
            if "submit" in actions
            else ""
        ),
        "can_reopen": "reopen" in actions,
        "is_over": "reopen" in actions
        and services.opportunity_is_over(opportunity, today=timezone.localdate()),
        "can_approve": "approve" in actions,
        "can_return": "return" in actions,
        "return_form": ReturnForm() if "return" in actions else None,
        "can_withdraw": "withdraw" in actions,
        "can_view_interests": can_view_interests,
        "csrf_token": context.get("csrf_token"),
    }
    if can_view_interests:
        statuses = list(opportunity.interests.values_list("status", flat=True))
        result["interests_total"] = len(statuses)
        result["interests_new"] = statuses.count(InterestStatus.NEW)
    return result


@register.filter
def metres(value) -> str:
    """A distance in words: « 800 m », « 1,2 km »."""
    try:
        distance = float(value)
    except (TypeError, ValueError):
        return ""
    if distance < 1000:
        return _("%(n)s m") % {"n": int(round(distance, -1 if distance >= 100 else 0))}
    return _("%(n)s km") % {"n": number_format(round(distance / 1000, 1), 1)}
