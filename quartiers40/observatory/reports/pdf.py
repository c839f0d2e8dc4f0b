"""The report as a tagged PDF (WeasyPrint), from the same content and charts as its page.

WeasyPrint is imported here only, when a PDF is built (services.report_pdf keeps the
result). The document is tagged (PDF/UA-1: structure tags, the title shown as the window's
title, the language), its title and language come from the HTML's <title> and lang="fr".
"""

import logging

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from quartiers40.core.links import canonical_url

from .models import QuarterlyReport
from .selectors import report_view

PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True, "optimize_images": True}


def report_pdf_html(report: QuarterlyReport) -> str:
    with translation.override("fr"):
        view = report_view(report)
        return render_to_string(
            "observatory/report/pdf.html",
            {
                "view": view,
                "report": report,
                "page_url": canonical_url(
                    reverse("observatory:report", kwargs={"quarter": report.quarter})
                ),
                "site_url": canonical_url(""),
            },
        )


def report_pdf_build(report: QuarterlyReport) -> bytes:
    from weasyprint import HTML

    html = report_pdf_html(report)
    # WeasyPrint's HTML cascade warns about every SVG presentation property (fill, stroke)
    # of the inline charts, which its SVG renderer then applies: hundreds of false alarms.
    # (Its progress logger is quieted in the settings' LOGGING.)
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        document = HTML(string=html, base_url=canonical_url("/"))
        return document.write_pdf(**PDF_OPTIONS)
    finally:
        logger.setLevel(level)
