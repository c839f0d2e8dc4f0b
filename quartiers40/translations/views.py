"""The page where the people who may edit a content write its translations (a plain form)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from quartiers40.core.forms import form_errors_apply

from . import selectors, services
from .forms import content_translation_form
from .registry import translatable_kind


@login_required
def translation_edit(request, kind: str, pk: int, language: str | None = None):
    translatable = translatable_kind(kind)
    if translatable is None:
        raise Http404
    obj = get_object_or_404(translatable.model, pk=pk)
    if not translatable.can_edit(request.user, obj):
        raise PermissionDenied
    languages = services.translation_languages()
    if language is None:
        language = languages[0][0]
    if language not in dict(languages):
        raise Http404
    stored = selectors.object_translations(obj).get(language, {})
    form = content_translation_form(
        translatable, obj, language, data=request.POST if request.method == "POST" else None
    )
    if request.method == "GET":
        form.initial = {field: translation.text for field, translation in stored.items()}
    elif form.is_valid():
        try:
            services.content_translations_save(
                obj=obj, language=language, texts=form.cleaned_data, actor=request.user
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Traduction enregistrée."))
            return redirect(request.path)
    return render(
        request,
        "translations/edit.html",
        {
            "kind": translatable,
            "obj": obj,
            "object_url": obj.get_absolute_url(),  # type: ignore[attr-defined]
            "form": form,
            "language": language,
            "languages": [
                (code, reverse("translations:edit_language", args=[kind, obj.pk, code]))
                for code, _name in languages
            ],
            "rows": [
                (form[name], form.originals[name], stored.get(name)) for name in translatable.fields
            ],
        },
    )
