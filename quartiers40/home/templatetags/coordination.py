"""The header's "À traiter (n)" link, for the coordination team only.

Runs nothing for anybody else; for the team, one count query per queue (the entries of the
queues are never read here), once per request.
"""

from django import template

from quartiers40.members.permissions import is_coordination
from quartiers40.members.queues import coordination_sections, queues_total

register = template.Library()


@register.inclusion_tag("home/_coordination_link.html", takes_context=True)
def coordination_link(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not is_coordination(user):
        return {"show": False}
    return {
        "show": True,
        "total": queues_total(coordination_sections(request)),
        "current": getattr(request.resolver_match, "view_name", "") == "home:coordination",
    }
