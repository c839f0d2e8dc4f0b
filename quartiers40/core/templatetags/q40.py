from django import template
from django.utils.http import urlencode

from quartiers40.core.markdown import render_markdown
from quartiers40.core.sections import sections_for

register = template.Library()


@register.filter
def markdown(text: str):
    return render_markdown(text)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(sorted(params.lists()), doseq=True) if params else "?"


@register.simple_tag(takes_context=True)
def page_sections(context, page: str, *args) -> list[dict]:
    """`sections_for(page, *args, viewer)`: the sections other apps add to this page, for
    the person looking at it (`{% page_sections "challenge" challenge as sections %}`)."""
    request = context.get("request")
    return sections_for(page, *args, getattr(request, "user", None))
