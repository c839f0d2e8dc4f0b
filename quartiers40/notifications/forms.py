from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .enums import CATEGORY_HELP, Category, Frequency


class PreferencesForm(forms.Form):
    """A frequency per category (radio buttons), and the language of the messages."""

    language = forms.ChoiceField(
        label=_("Langue des messages"), choices=settings.LANGUAGES, widget=forms.RadioSelect
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
