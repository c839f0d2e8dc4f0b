from data_inclusion.schema.v1 import Thematique

from quartiers40.opportunities.di_themes import DI_THEMATIQUES
from quartiers40.opportunities.enums import THEME_CHOICES


def test_the_copy_is_the_installed_schemas_thematiques():
    assert tuple((theme.value, theme.label) for theme in Thematique) == DI_THEMATIQUES
    assert THEME_CHOICES is DI_THEMATIQUES
