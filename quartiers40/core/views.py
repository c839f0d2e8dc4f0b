from django.shortcuts import render

from quartiers40.core.sections import home_sections_for
from quartiers40.members.selectors import collective_figures, organisation_directory


def home(request):
    return render(
        request,
        "core/home.html",
        {
            "figures": collective_figures(),
            "latest_organisations": organisation_directory().order_by("-joined_at")[:6],
            "sections": home_sections_for(request.user),
        },
    )


def accessibility(request):
    return render(request, "core/accessibility.html")


def legal_notice(request):
    return render(request, "core/legal_notice.html")


def privacy(request):
    return render(request, "core/privacy.html")
