from django import forms
from django.utils.translation import gettext_lazy as _

from quartiers40.assist.forms import AIDraftFormMixin
from quartiers40.core.forms import WrittenTextMixin


class EditorialForm(AIDraftFormMixin, WrittenTextMixin, forms.Form):
    ai_draft_fields = ("editorial",)  # « Proposer un éditorial avec l'IA » (assist/)
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
