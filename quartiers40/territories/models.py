from django.db import models
from django.utils.translation import gettext_lazy as _


class QPV(models.Model):
    """A priority neighbourhood (quartier prioritaire de la politique de la ville)."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    department_code = models.CharField(_("département"), max_length=3, db_index=True)
    commune_name = models.CharField(_("commune"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("quartier prioritaire (QPV)")
        verbose_name_plural = _("quartiers prioritaires (QPV)")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
