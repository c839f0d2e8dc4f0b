from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationsConfig(AppConfig):
    """Translations of what people write (a project's title, a défi's situation…), per
    language, written by a person or drafted by the AI help and reviewed (docs/languages.md).

    Generic and downward: it knows no content app. Each app registers what it lets
    translate (`registry.translatable_register`), with who may write the translations and
    which page-cache topic a change bumps."""

    name = "quartiers40.translations"
    verbose_name = _("Traductions des contenus")
