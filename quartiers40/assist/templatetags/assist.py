from django import template

from ..selectors import ai_field_draft, ai_label_text

register = template.Library()


@register.inclusion_tag("components/ai_label.html")
def ai_label(obj, field_name: str) -> dict:
    """« Proposé par une IA (model), relu par … le … » under a field an AI drafted."""
    draft = ai_field_draft(obj, field_name) if obj is not None else None
    return {"draft": draft, "label": ai_label_text(draft) if draft else ""}
