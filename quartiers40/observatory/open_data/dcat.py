"""The DCAT-AP catalogue of the open data, in JSON-LD, for data.gouv.fr to harvest.

One `dcat:Catalog` holding a `dcat:Dataset` per registry entry, each with a
`dcat:Distribution` per file. What data.gouv.fr's DCAT harvester (udata) reads from it:
the datasets are the `dcat:Dataset` nodes, recognised from one harvest to the next by their
`dct:identifier` (the registry key, so it must never change); a dataset's title and
description are `dct:title` and `dct:description`; its tags `dcat:keyword`; its licence
`dct:license` (guessed from the address: the Licence Ouverte 2.0's is the one data.gouv.fr
knows as `lov2`); `dct:modified`; `dcat:landingPage`; its schema `dct:conformsTo`. A
resource is a distribution's `dcat:downloadURL` (else its `dcat:accessURL`), titled by
`dct:title`, with `dcat:byteSize`, `dcat:mediaType` (IANA) and `dct:format` (the EU's file
type vocabulary). The format is told by the address's extension (`.jsonld`) or by the
`application/ld+json` content type. The context is inline: nothing is fetched to read it.

Every address is canonical (`SITE_URL`), whatever host the request came to.
"""

from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from quartiers40.core.links import canonical_url
from quartiers40.core.opendata import TIMESTAMP_FORMAT

from .registry import DATASETS, LICENCE, Dataset, Distribution
from .stats import DatasetStats

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EU_LANGUAGE_FR = "http://publications.europa.eu/resource/authority/language/FRA"
IANA_MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"
FREQUENCY_CONTINUOUS = "http://purl.org/cld/freq/continuous"


def _fr(text) -> dict:
    return {"@value": str(text), "@language": "fr"}


def _ref(url: str) -> dict:
    return {"@id": url}


def _moment(value: datetime) -> dict:
    return {"@value": value.strftime(TIMESTAMP_FORMAT), "@type": "xsd:dateTime"}


def page_url() -> str:
    return canonical_url(reverse("open_data:catalogue"))


def schema_url(dataset: Dataset) -> str:
    return canonical_url(reverse("open_data:schema", kwargs={"name": dataset.schema_name}))


def download_url(distribution: Distribution) -> str:
    return canonical_url(reverse(distribution.url_name))


def publisher() -> dict:
    return {
        "@id": f"{settings.SITE_URL}/#collectif",
        "@type": "foaf:Organization",
        "foaf:name": settings.SITE_NAME,
        "foaf:homepage": _ref(f"{settings.SITE_URL}/"),
    }


def _contact_point() -> dict | None:
    email = getattr(settings, "OPEN_DATA_CONTACT_EMAIL", "")
    if not email:
        return None
    return {
        "@type": "vcard:Organization",
        "vcard:fn": settings.SITE_NAME,
        "vcard:hasEmail": _ref(f"mailto:{email}"),
    }


def distribution_node(dataset: Dataset, distribution: Distribution, stats: DatasetStats) -> dict:
    url = download_url(distribution)
    node = {
        "@id": f"{page_url()}#{dataset.key}-{distribution.key}",
        "@type": "dcat:Distribution",
        "dct:identifier": f"{dataset.key}-{distribution.key}",
        "dct:title": _fr(f"{dataset.title} ({distribution.title})"),
        "dcat:accessURL": _ref(url),
        "dcat:downloadURL": _ref(url),
        "dcat:mediaType": _ref(f"{IANA_MEDIA_TYPE}{distribution.format.media_type}"),
        "dct:format": _ref(f"{EU_FILE_TYPE}{distribution.format.eu_file_type}"),
        "dct:license": _ref(LICENCE["url"]),
        "dct:conformsTo": _ref(distribution.conforms_to or schema_url(dataset)),
    }
    size = stats.sizes.get(distribution.key)
    if size is not None:
        node["dcat:byteSize"] = {"@value": str(size), "@type": "xsd:nonNegativeInteger"}
    if stats.modified is not None:
        node["dct:modified"] = _moment(stats.modified)
    return node


def dataset_node(dataset: Dataset, stats: DatasetStats) -> dict:
    node = {
        "@id": f"{page_url()}#{dataset.key}",
        "@type": "dcat:Dataset",
        "dct:identifier": dataset.key,
        "dct:title": _fr(dataset.title),
        "dct:description": _fr(dataset.description),
        "dcat:keyword": [_fr(keyword) for keyword in dataset.keywords],
        "dct:language": _ref(EU_LANGUAGE_FR),
        "dct:license": _ref(LICENCE["url"]),
        "dct:publisher": publisher(),
        "dcat:landingPage": _ref(f"{page_url()}#{dataset.key}"),
        "dct:conformsTo": _ref(schema_url(dataset)),
        "dct:accrualPeriodicity": _ref(FREQUENCY_CONTINUOUS),
        "dcat:distribution": [
            distribution_node(dataset, distribution, stats)
            for distribution in dataset.distributions
        ],
    }
    if stats.modified is not None:
        node["dct:modified"] = _moment(stats.modified)
    contact = _contact_point()
    if contact is not None:
        node["dcat:contactPoint"] = contact
    return node


def catalogue_jsonld(stats: dict[str, DatasetStats]) -> dict:
    """The whole catalogue, in French whatever the visitor's language."""
    with override("fr"):
        moments = [item.modified for item in stats.values() if item.modified is not None]
        catalogue = {
            "@context": CONTEXT,
            "@id": canonical_url(reverse("open_data:catalogue_jsonld")),
            "@type": "dcat:Catalog",
            "dct:title": _fr(_("Données ouvertes de Quartiers 4.0")),
            "dct:description": _fr(
                _(
                    "Les données publiques de la plateforme Quartiers 4.0 : projets d'IA, "
                    "défis, opportunités, rencontres et organisations membres, dans les "
                    "quartiers prioritaires de la politique de la ville."
                )
            ),
            "dct:language": _ref(EU_LANGUAGE_FR),
            "dct:license": _ref(LICENCE["url"]),
            "dct:publisher": publisher(),
            "foaf:homepage": _ref(page_url()),
            "dcat:dataset": [dataset_node(dataset, stats[dataset.key]) for dataset in DATASETS],
        }
        if moments:
            catalogue["dct:modified"] = _moment(max(moments))
        return catalogue
