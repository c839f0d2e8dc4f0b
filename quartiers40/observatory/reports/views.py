"""The quarterly reports' pages: the archive, a report (HTML and PDF, at stable addresses),
and the coordination team's editorial form with its publish button. Thin views over
selectors.py and services.py; a draft is a 404 for anybody but the coordination team."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from quartiers40.assist.forms import ai_draft_into_form, ai_token_field
from quartiers40.assist.services import (
    ai_draft_accept,
    ai_draft_from_token,
    assist_editorial_draft,
    assist_enabled,
)
from quartiers40.core.forms import error_text, form_errors_apply
from quartiers40.core.pagecache import public_page_cache

from ..enums import REPORT_WORKFLOW
from ..quarters import Quarter
from ..services import TOPIC
from . import selectors, services
from .forms import EditorialForm
from .models import QuarterlyReport
from .permissions import can_edit_report, can_view_report

DEPENDS = (TOPIC,)


def _report_or_404(request: HttpRequest, quarter: str) -> QuarterlyReport:
    report = selectors.report_get(quarter) if Quarter.from_slug(quarter) else None
    if report is None or not can_view_report(request.user, report):
        raise Http404(_("Ce rapport n'existe pas."))
    return report


def _editable_or_404(request: HttpRequest, quarter: str) -> QuarterlyReport:
    report = _report_or_404(request, quarter)
    if not can_edit_report(request.user, report):
        raise Http404(_("Ce rapport n'existe pas."))
    return report


@public_page_cache(depends=DEPENDS)
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    editing = can_edit_report(request.user)
    return render(
        request,
        "observatory/report/list.html",
        {
            "reports": selectors.reports_published(),
            "drafts": selectors.reports_drafted() if editing else [],
            "can_edit": editing,
            "next_quarter": services.quarter_just_ended() if editing else None,
        },
    )


@public_page_cache(depends=DEPENDS)
@require_GET
def report_detail(request: HttpRequest, quarter: str) -> HttpResponse:
    report = _report_or_404(request, quarter)
    return render(
        request,
        "observatory/report/detail.html",
        {
            "report": report,
            "view": selectors.report_view(report),
            "can_edit": can_edit_report(request.user, report),
        },
    )


@require_GET
def report_pdf(request: HttpRequest, quarter: str) -> HttpResponse:
    report = _report_or_404(request, quarter)
    response = HttpResponse(services.report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="quartiers40-rapport-{report.quarter}.pdf"'
    if not report.is_published:
        response["Cache-Control"] = "private, no-store"
    return response


def _edit_page(request: HttpRequest, report: QuarterlyReport, form: EditorialForm) -> HttpResponse:
    return render(
        request,
        "observatory/report/edit.html",
        {
            "report": report,
            "form": form,
            "actions": REPORT_WORKFLOW.allowed(report, request.user),
            "after_field": _assist_box(),
        },
    )


def _assist_box() -> dict | None:
    """The « Proposer un éditorial avec l'IA » button under the editorial, if on."""
    if not assist_enabled():
        return None
    return {
        "name": "editorial",
        "template": "assist/draft_box.html",
        "button": _("Proposer un éditorial avec l'IA"),
        "help": _(
            "L'IA lit les chiffres et les faits de ce rapport (aucune donnée personnelle) et "
            "propose un éditorial que vous relisez et corrigez. Rien n'est enregistré sans vous."
        ),
    }


def _assist_draft(request: HttpRequest, report: QuarterlyReport, form: EditorialForm):
    facts = f"{report.period.label}\n" + json.dumps(report.snapshot, ensure_ascii=False)
    return ai_draft_into_form(
        request,
        form,
        field_name="editorial",
        ask=lambda: assist_editorial_draft(actor=request.user, facts=facts),  # type: ignore[arg-type]
    ) or _edit_page(request, report, form)


@login_required
def report_edit(request: HttpRequest, quarter: str) -> HttpResponse:
    report = _editable_or_404(request, quarter)
    if request.method != "POST":
        return _edit_page(request, report, EditorialForm(initial={"editorial": report.editorial}))
    return _editorial_save(request, report, publish=False)


@login_required
@require_POST
def report_publish(request: HttpRequest, quarter: str) -> HttpResponse:
    return _editorial_save(request, _editable_or_404(request, quarter), publish=True)


def _editorial_save(request: HttpRequest, report: QuarterlyReport, *, publish: bool):
    form = EditorialForm(request.POST)
    if form.ai_draft_requested():
        return _assist_draft(request, report, form)
    if form.is_valid():
        token = form.cleaned_data.get(ai_token_field("editorial"), "")
        draft = ai_draft_from_token(token, actor=request.user)  # type: ignore[arg-type]
        try:
            with_editorial = services.report_editorial_update(
                report=report,
                actor=request.user,
                editorial=form.cleaned_data["editorial"],
                # Labelled « proposé par une IA (model), relu par l'équipe de coordination ».
                drafted_by_ai=True if draft and form.cleaned_data["editorial"].strip() else None,
                ai_model=draft.model_name if draft else "",
            )
            if draft:
                ai_draft_accept(
                    token=token,
                    target=with_editorial,
                    field_name="editorial",
                    text=form.cleaned_data["editorial"],
                    actor=request.user,  # type: ignore[arg-type]
                )
            if publish:
                services.report_publish(report=with_editorial, actor=request.user)
        except ValidationError as error:
            form_errors_apply(form, error)
        except PermissionDenied:
            raise Http404(_("Ce rapport n'existe pas.")) from None
        else:
            if publish:
                messages.success(request, _("Le rapport est publié."))
                return redirect("observatory:report", quarter=report.quarter)
            messages.success(request, _("L'éditorial est enregistré."))
            return redirect("observatory:report_edit", quarter=report.quarter)
    return _edit_page(request, report, form)


@login_required
@require_POST
def report_figures_retake(request: HttpRequest, quarter: str) -> HttpResponse:
    report = _editable_or_404(request, quarter)
    try:
        services.report_figures_retake(report=report, actor=request.user)
    except PermissionDenied:
        messages.error(request, _("Les chiffres d'un rapport publié ne changent plus."))
    else:
        messages.success(request, _("Les chiffres du brouillon ont été repris."))
    return redirect("observatory:report_edit", quarter=report.quarter)


@login_required
@require_POST
def report_prepare(request: HttpRequest) -> HttpResponse:
    """The coordination team drafts the report of the quarter just ended now, without
    waiting for the scheduled task (the same service)."""
    if not can_edit_report(request.user):
        raise Http404
    try:
        result = services.report_draft(services.quarter_just_ended())
    except ValidationError as error:  # pragma: no cover - nothing raises it today
        messages.error(request, error_text(error))
        return redirect("observatory:reports")
    return redirect("observatory:report_edit", quarter=result.report.quarter)
