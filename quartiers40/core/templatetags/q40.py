from django import template
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from quartiers40.core.markdown import render_markdown
from quartiers40.core.pagecache import CSRF_PLACEHOLDER, cached_fragment
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


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist, name, depends, per_page, timeout, when):
        self.nodelist, self.name, self.depends = nodelist, name, depends
        self.per_page, self.timeout, self.when = per_page, timeout, when

    def render(self, context) -> str:
        if self.when is not None and not self.when.resolve(context):
            return self.nodelist.render(context)  # this visitor sees their own version
        name = self.name.resolve(context)
        depends = str(self.depends.resolve(context)).split()
        timeout = self.timeout.resolve(context) if self.timeout is not None else None
        if self.timeout is not None and not timeout:
            return self.nodelist.render(context)  # timeout=0: not kept at all
        request = context.get("request")
        if self.per_page and request is not None:
            name = f"{name}:{request.scheme}://{request.get_host()}{request.get_full_path()}"
        visitor_token = context.get("csrf_token")

        def build() -> str:
            # Forms inside get a placeholder for their token, filled in per visitor below.
            with context.push(csrf_token=CSRF_PLACEHOLDER):
                return self.nodelist.render(context)

        html = cached_fragment(
            name, depends=depends, build=build, timeout=int(timeout) if timeout else None
        )
        if CSRF_PLACEHOLDER in html:
            html = html.replace(CSRF_PLACEHOLDER, str(visitor_token or ""))
        return mark_safe(html)  # noqa: S308 - rendered from our own templates


@register.tag
def shared_fragment(parser, token):
    """A part of a page that is the same for every visitor, kept in the shared cache per
    language (and, unless `per_page=False`, per address with its query) under the versions
    of the topics it shows: signed-in people's pages reuse it, as anonymous pages are kept
    whole (`core.pagecache`). `timeout`: the longest it is kept (0: not kept). A form inside
    is fine: its `{% csrf_token %}` is kept as a placeholder and filled in with each
    visitor's own token. Never around anything personal (who is signed in, what they may
    do): that is the template's care; a token put in by other means (a form rendered in
    the view) makes `cached_fragment` refuse to keep it. `when`: kept only when true
    (`when=public_view`: the page's own people see more, rendered for them each time).

        {% shared_fragment "projects-cards" depends="projects territories members" %}
          …cards…
        {% end_shared_fragment %}
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("shared_fragment needs a name")
    options = dict(bit.split("=", 1) for bit in bits[2:])
    unknown = set(options) - {"depends", "per_page", "timeout", "when"}
    if unknown or "depends" not in options:
        raise template.TemplateSyntaxError(f"shared_fragment: depends=… needed, not {unknown}")
    nodelist = parser.parse(("end_shared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(
        nodelist,
        parser.compile_filter(bits[1]),
        parser.compile_filter(options["depends"]),
        options.get("per_page", "True") != "False",
        parser.compile_filter(options["timeout"]) if "timeout" in options else None,
        parser.compile_filter(options["when"]) if "when" in options else None,
    )
