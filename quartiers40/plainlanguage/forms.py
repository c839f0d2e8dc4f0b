"""The plain-language check in a form: which fields it reads, and the no-JavaScript path.

A form marks its checked fields once (`plain_check_fields(form, {"summary": KIND_SUMMARY})`);
the field component (components/field.html) then shows a "Vérifier la lisibilité" button under
each, and, after that button, its findings. The button posts the whole form with
`action=plain_check`: the view sees `plain_check_requested(request)`, calls
`plain_check_apply(form)` and renders the form again, saving nothing, with everything typed.
With JavaScript, plain-language.js posts the field's text to `/lisibilite/verifier/` as the
writer types and shows the same findings in the same place.
"""

from django import forms
from django.forms.utils import ErrorDict
from django.http import HttpRequest

from .check import check_text

PLAIN_CHECK_ACTION = "plain_check"


def plain_check_fields(form: forms.BaseForm, kinds: dict[str, str]) -> None:
    """Mark the fields to check, each with its kind of text (`check.KIND_*`)."""
    for name, kind in kinds.items():
        if name in form.fields:
            field = form.fields[name]
            field.plain_kind = kind  # type: ignore[attr-defined]
            field.widget.attrs["data-plain-check"] = kind


def plain_check_requested(request: HttpRequest) -> bool:
    return request.method == "POST" and request.POST.get("action") == PLAIN_CHECK_ACTION


def plain_check_apply(form: forms.BaseForm) -> None:
    """Check the text typed in each marked field (as typed, before any validation).

    A check saves nothing, so the form is shown again without validation errors (a draft's
    missing title is not the question asked)."""
    form._errors = ErrorDict()  # type: ignore[attr-defined]  # `form.errors` without cleaning
    form.cleaned_data = {}
    for name, field in form.fields.items():
        kind = getattr(field, "plain_kind", None)
        if kind:
            field.plain_check = check_text(str(form[name].value() or ""), kind=kind)  # type: ignore[attr-defined]
