from django import forms
from django.utils.translation import gettext_lazy as _

from quartiers40.core.forms import WrittenTextMixin


class EditorialForm(WrittenTextMixin, forms.Form):
    text_length_messages = {
        "editorial": _("L'éditorial fait %(count)s caractères, %(limit)s au plus.")
    }
    editorial = forms.CharField(
        label=_("Éditorial"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Quelques paragraphes : ce que ce trimestre a apporté aux quartiers, et ce qui "
            "manque encore. Titres (##), listes (-), liens."
        ),
    )
