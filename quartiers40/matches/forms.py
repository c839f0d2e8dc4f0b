from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import Feedback


class FeedbackForm(forms.Form):
    """ "Utile" / "pas utile": the button pressed names the answer."""

    feedback = forms.ChoiceField(label=_("Votre avis"), choices=Feedback.choices)
    next = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
