"""One way for a content form to take an AI draft into a field, then record its provenance.

A form mixes in `AIDraftFormMixin` and names its `ai_draft_fields`. Each gets a hidden
`ai_draft_<field>` input that carries the signed token of the draft put in it. The page's
"Proposer … avec l'IA" button is a submit button (`name="assist" value="<field>"`): without
JavaScript the view asks for the draft and shows the form again, the draft in the field, a
note that it is an AI proposal to review, everything else as typed; with `assist/draft.js`
the same request answers JSON and the script fills the field. When the person saves,
`ai_drafts_accept` records the provenance of each field that started from a draft.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.forms.utils import ErrorDict
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

from .models import AIDraft
from .services import (
    AssistUnavailable,
    ai_draft_accept,
    ai_draft_token,
    assist_enabled,
    assist_summary_draft,
)

ASSIST_BUTTON = "assist"
TOKEN_PREFIX = "ai_draft_"  # noqa: S105 (a field name, not a secret)


def ai_token_field(field_name: str) -> str:
    return f"{TOKEN_PREFIX}{field_name}"


class AIDraftFormMixin:
    ai_draft_fields: tuple[str, ...] = ()
    # What the Django form it is mixed into provides:
    data: Any
    fields: dict[str, forms.Field]
    is_bound: bool
    initial: dict[str, Any]
    cleaned_data: dict[str, Any]
    _errors: ErrorDict | None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ai_drafts: dict[str, AIDraft] = {}  # drafts put in this time, to show the note
        self.ai_errors: dict[str, str] = {}
        for name in self.ai_draft_fields:
            if name in self.fields:
                self.fields[ai_token_field(name)] = forms.CharField(
                    required=False, widget=forms.HiddenInput
                )

    def ai_draft_requested(self) -> str:
        """The field whose AI button was pressed ("" for none, or with the help off)."""
        if not self.is_bound or not assist_enabled():
            return ""
        name = self.data.get(ASSIST_BUTTON, "")
        return name if name in self.ai_draft_fields and name in self.fields else ""

    def ai_draft_put(self, field_name: str, draft: AIDraft) -> None:
        """The draft in the field (the rest as typed), shown again without errors; on a
        form not posted yet, as the field's initial value."""
        self.ai_drafts[field_name] = draft
        if not self.is_bound:
            self.initial[field_name] = draft.text
            self.initial[ai_token_field(field_name)] = ai_draft_token(draft)
            return
        data = self.data.copy()
        data[field_name] = draft.text
        data[ai_token_field(field_name)] = ai_draft_token(draft)
        self.data = data
        self.ai_shown_again()

    def ai_shown_again(self) -> None:
        """A form shown again after the AI button is not a failed save: no error on it."""
        self._errors = ErrorDict()

    def ai_service_arguments(self, data: dict) -> dict:
        """cleaned_data without the hidden tokens (the content's services do not take them)."""
        return {key: value for key, value in data.items() if not key.startswith(TOKEN_PREFIX)}

    def ai_drafts_accept(self, *, target, actor, organisation=None, cache_topic: str = "") -> None:
        cleaned = self.cleaned_data
        for name in self.ai_draft_fields:
            token = cleaned.get(ai_token_field(name)) or ""
            if token:
                ai_draft_accept(
                    token=token,
                    target=target,
                    field_name=name,
                    text=str(cleaned.get(name) or ""),
                    actor=actor,
                    organisation=organisation,
                    cache_topic=cache_topic,
                )


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def ai_draft_into_form(
    request: HttpRequest, form: Any, *, field_name: str, ask: Callable[[], AIDraft]
) -> JsonResponse | None:
    """Put the draft `ask()` returns into `form[field_name]`; JSON for the script, else None
    (the view shows the form again, with the draft or the reason there is none)."""
    try:
        draft = ask()
    except AssistUnavailable as error:
        form.ai_errors[field_name] = error.message
        form.ai_shown_again()
        if wants_json(request):
            return JsonResponse({"error": error.message}, status=503)
        return None
    form.ai_draft_put(field_name, draft)
    if wants_json(request):
        return JsonResponse(
            {
                "text": draft.text,
                "token": ai_draft_token(draft),
                "token_field": ai_token_field(field_name),
                "note": ai_note_text(draft),
            }
        )
    return None


def ai_summary_into_form(
    request: HttpRequest,
    form: Any,
    *,
    field_name: str,
    title: str,
    source: str,
    names: Iterable[str] = (),
    max_length: int = 400,
) -> JsonResponse | None:
    """A plain-French summary of `title` and `source` into `form[field_name]`."""
    return ai_draft_into_form(
        request,
        form,
        field_name=field_name,
        ask=lambda: assist_summary_draft(
            actor=request.user,  # type: ignore[arg-type]
            title=title,
            text=source,
            names=names,
            max_length=max_length,
        ),
    )


def ai_note_text(draft: AIDraft) -> str:
    return _(
        "Texte proposé par une IA (%(model)s) : relisez-le et corrigez-le avant d'enregistrer. "
        "Une fois enregistré, il portera la mention « Proposé par une IA, relu par » votre "
        "organisation."
    ) % {"model": draft.model_name}
