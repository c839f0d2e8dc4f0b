"""What the observatory adds to other apps' pages (core/sections.py): links to the
dashboards from the home page and from each QPV page. Links only, no figures: those pages
are cached under their own topics, which a refresh of the figures does not bump."""

from django.urls import reverse

from quartiers40.core.sections import HOME_PAGE, QPV_PAGE, Section, section_register
from quartiers40.territories.reference import DEPARTMENTS, REGIONS

from .enums import ScopeKind


def qpv_section_context(qpv) -> dict:
    links = [(ScopeKind.QPV, qpv.code, qpv.name)]
    if qpv.commune_code:
        links.append((ScopeKind.COMMUNE, qpv.commune_code, qpv.commune_name or qpv.commune_code))
    if qpv.department_code in DEPARTMENTS:
        links.append(
            (ScopeKind.DEPARTMENT, qpv.department_code, DEPARTMENTS[qpv.department_code][0])
        )
    if qpv.region_code in REGIONS:
        links.append((ScopeKind.REGION, qpv.region_code, REGIONS[qpv.region_code]))
    return {
        "observatory_links": [
            (
                str(ScopeKind(kind).label),
                name,
                reverse(f"observatory:{kind}", kwargs={"code": code}),
            )
            for kind, code, name in links
        ]
    }


def home_section_context(viewer) -> dict:
    return {}


def register() -> None:
    section_register(
        Section(
            page=QPV_PAGE,
            key="observatory",
            order=90,
            template="observatory/qpv_section.html",
            context=qpv_section_context,
        )
    )
    section_register(
        Section(
            page=HOME_PAGE,
            key="observatory",
            order=90,
            template="observatory/home_section.html",
            context=home_section_context,
        )
    )
