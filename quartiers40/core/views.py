from django.shortcuts import render


def accessibility(request):
    return render(request, "core/accessibility.html")


def legal_notice(request):
    return render(request, "core/legal_notice.html")


def privacy(request):
    return render(request, "core/privacy.html")
