"""The open-data catalogue under /donnees-ouvertes/: the page, the ZIP of everything, the
DCAT-AP catalogue, the Table Schemas, and the files of the datasets that had no address yet
(organisations, editions, action items). What goes in each file is `open_data`'s business."""

import json
import tempfile

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from quartiers40.core.pagecache import PUBLIC_TOPICS, public_page_cache

from ..open_data import archive, dcat, stats
from ..open_data.registry import DATASETS, LICENCE, dataset_by_schema, dataset_get

EXPORT_MAX_AGE = 300
JSONLD = "application/ld+json"
SCHEMA = "application/schema+json"


def _file(body: str | bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = f"public, max-age={EXPORT_MAX_AGE}"
    return response


@require_GET
@public_page_cache(depends=(*PUBLIC_TOPICS, "observatory"))
def catalogue(request):
    figures = stats.catalogue_stats()
    datasets = [
        {
            "dataset": dataset,
            "stats": figures[dataset.key],
            "schema_url": reverse("open_data:schema", kwargs={"name": dataset.schema_name}),
            "files": [
                {
                    "distribution": distribution,
                    "url": reverse(distribution.url_name),
                    "size": figures[dataset.key].sizes.get(distribution.key),
                }
                for distribution in dataset.distributions
            ],
        }
        for dataset in DATASETS
    ]
    return render(
        request,
        "observatory/open_data/catalogue.html",
        {
            "datasets": datasets,
            "licence": LICENCE,
            "breadcrumb": [(_("Données ouvertes"), None)],
        },
    )


@require_GET
@public_page_cache(depends=(*PUBLIC_TOPICS, "observatory"))
def catalogue_jsonld(request):
    payload = dcat.catalogue_jsonld(stats.catalogue_stats())
    body = json.dumps(payload, ensure_ascii=False, indent=1)
    return _file(body, JSONLD, "catalogue.jsonld")


@require_GET
def archive_download(request):
    """Built into a temporary file, then streamed from it (closed, and so deleted, after)."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    archive.archive_write(target)
    target.seek(0)
    filename = f"quartiers40-donnees-ouvertes-{timezone.localdate():%Y-%m-%d}.zip"
    response = FileResponse(
        target, as_attachment=True, filename=filename, content_type="application/zip"
    )
    response["Cache-Control"] = f"public, max-age={EXPORT_MAX_AGE}"
    return response


@require_GET
def schema(request, name: str):
    """A dataset's Table Schema, from its file under docs/schemas/ (the registry's only)."""
    dataset = dataset_by_schema(name)
    if dataset is None:
        raise Http404
    return _file(archive.schema_file(dataset).read_bytes(), SCHEMA, name)


@require_GET
def dataset_file(request, dataset: str, distribution: str):
    """A file of a dataset whose download address is here (see urls_open_data)."""
    found = dataset_get(dataset)
    if found is None:
        raise Http404
    item = found.distribution(distribution)
    return _file(item.build(), item.format.content_type, item.filename)
