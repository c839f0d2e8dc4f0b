from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "quartiers40.members"
    verbose_name = _("Membres et organisations")

    def ready(self) -> None:
        from quartiers40.core.sections import QPVSection, qpv_section_register

        from .selectors import organisations_acting_in

        qpv_section_register(
            QPVSection(
                key="organisations",
                order=10,
                template="members/qpv_section.html",
                context=organisations_acting_in,
            )
        )
