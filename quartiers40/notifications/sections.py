"""The notifications' part of "Mon espace": what I follow, my news, my preferences."""

from quartiers40.core.sections import ACCOUNT_PAGE, Section, section_register

from .models import Follow


def account_section_context(viewer) -> dict:
    return {"follows_count": Follow.objects.filter(user=viewer).count()}


def register() -> None:
    section_register(
        Section(
            page=ACCOUNT_PAGE,
            key="notifications",
            order=95,
            template="notifications/account_section.html",
            context=account_section_context,
        )
    )
