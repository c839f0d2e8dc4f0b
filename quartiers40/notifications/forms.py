from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from .enums import CATEGORY_HELP, Category, Frequency


class PreferencesForm(forms.Form):
    """A frequency per category (radio buttons), and the language of the messages."""

    # Each language in its own name ("English"), as the language switch shows them.
    language = forms.ChoiceField(
        label=_("Langue des messages"),
        choices=[
            (code, get_language_info(code)["name_local"].capitalize())
            for code, _n in settings.LANGUAGES
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for category in Category:
            self.fields[category.value] = forms.ChoiceField(
                label=category.label,
                help_text=CATEGORY_HELP[category],
                choices=Frequency.choices,
                widget=forms.RadioSelect,
            )
        # The language last, after the frequencies.
        self.fields["language"] = self.fields.pop("language")
