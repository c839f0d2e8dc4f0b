from django.http import Http404


def detail(request, slug: str):
    raise Http404
