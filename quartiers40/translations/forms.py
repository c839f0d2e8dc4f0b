from django import forms
from django.conf import settings

from quartiers40.core.forms import SIMPLE_FORMATTING_HELP, WrittenTextMixin

from .registry import Translatable, is_one_line


class ContentTranslationForm(WrittenTextMixin, forms.Form):
    """Every translatable field of one object, in one language (`content_translation_form`
    builds the fields). An empty box means "no translation": the page shows the original,
    marked as French."""

    originals: dict[str, str]


def content_translation_form(
    kind: Translatable, obj, language: str, data=None
) -> ContentTranslationForm:
    direction = "rtl" if language in settings.LANGUAGES_BIDI else "ltr"
    fields: dict[str, forms.Field] = {}
    for name, label in kind.fields.items():
        limit = kind.max_lengths.get(name, 20000)
        attrs = {"lang": language, "dir": direction}
        widget = (
            forms.TextInput(attrs=attrs)
            if is_one_line(kind.model, name)
            else forms.Textarea(attrs={**attrs, "rows": 6})
        )
        fields[name] = forms.CharField(
            label=label,
            required=False,
            max_length=limit,
            widget=widget,
            help_text=SIMPLE_FORMATTING_HELP if name in kind.markdown_fields else "",
        )
    # The fields are the class's, so that WrittenTextMixin sees them when it sets its checks.
    form_class = type("ContentTranslationForm", (ContentTranslationForm,), fields)
    form = form_class(data, prefix=None)
    form.originals = {name: getattr(obj, name) or "" for name in kind.fields}
    return form
