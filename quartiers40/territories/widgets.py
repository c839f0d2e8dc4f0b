"""The place picker: choose QPVs by typing a commune, a postcode or a quartier.

With JavaScript (`territories/qpv-picker.js`) the text box is an ARIA combobox fed by
`territories:suggestions`. Without it, the same text box and a department → commune →
quartier choice work through GET buttons (`formmethod="get"`): the page comes back with
the matching quartiers as checkboxes. A GET keeps what was typed elsewhere in the form
only if the view builds its form from the query string (`qpv_picker_query`), and never
keeps a file: see docs/territories.md, "Place picker".

Only the chosen quartiers are in the page (as ticked checkboxes named like the field),
never the 1,584 of them.
"""

from collections.abc import Iterable, Mapping

from django import forms
from django.http import QueryDict
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import QPV, Commune
from .reference import DEPARTMENT_CHOICES
from .selectors import qpv_directory, qpvs_current

# Quartiers shown for a search without JavaScript (the suggestions have their own bound).
NO_SCRIPT_RESULTS = 30


def picker_keys(name: str) -> dict[str, str]:
    """The query-string keys of a picker's steps (their French names are visible in URLs)."""
    return {
        "search": f"{name}_recherche",
        "department": f"{name}_departement",
        "commune": f"{name}_commune",
    }


class QPVPicker(forms.Widget):
    template_name = "territories/widgets/qpv_picker.html"
    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__(attrs)
        # The query string of the page (GET), given by `qpv_picker_query`.
        self.query: Mapping[str, str] = {}

    def value_from_datadict(self, data, files, name):
        getter = getattr(data, "getlist", None)
        return getter(name) if getter is not None else data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False  # no box ticked is a value: none

    def format_value(self, value) -> list[str]:  # type: ignore[override]  # many values, like SelectMultiple
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        return [str(getattr(item, "pk", item)) for item in value if item not in ("", None)]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen_ids = self.format_value(value)
        keys = picker_keys(name)
        search = str(self.query.get(keys["search"], "")).strip()[:100]
        department = str(self.query.get(keys["department"], "")).strip()
        commune = str(self.query.get(keys["commune"], "")).strip()
        chosen = _qpvs_by_id(chosen_ids)
        found: list[QPV] = []
        communes: list[Commune] = []
        if search:
            found = list(qpv_directory(query=search)[:NO_SCRIPT_RESULTS])
        if department:
            communes = list(
                Commune.objects.filter(department_code=department, qpv_links__isnull=False)
                .distinct()
                .order_by("name")
            )
            if commune:
                found = list(
                    qpvs_current()
                    .filter(communes__code=commune)
                    .distinct()
                    .order_by("name")[:NO_SCRIPT_RESULTS]
                )
            elif not communes:  # the commune list is not loaded: the department's quartiers
                found = list(
                    qpvs_current().filter(department_code=department).order_by("name")[:100]
                )
        chosen_set = {qpv.pk for qpv in chosen}
        widget = context["widget"]
        widget.update(
            {
                "keys": keys,
                "chosen": chosen,
                "found": [qpv for qpv in found if qpv.pk not in chosen_set],
                "searched": bool(search or commune or (department and not communes)),
                "search": search,
                "department": department,
                "departments": DEPARTMENT_CHOICES,
                "commune": commune,
                "communes": communes,
                "suggest_url": reverse("territories:suggestions"),
                "script_url": static("territories/qpv-picker.js"),
                "css_url": static("territories/territories.css"),
                "texts": {
                    "count_none": _("Aucun quartier ne correspond."),
                    "count_one": _("1 quartier trouvé."),
                    "count_many": _("{count} quartiers trouvés."),
                    "added": _("Quartier ajouté : {name}."),
                    "already": _("Ce quartier est déjà choisi."),
                    "error": _("La recherche n'a pas pu aboutir. Réessayez."),
                },
            }
        )
        return context


def _qpvs_by_id(ids: Iterable[str]) -> list[QPV]:
    pks = [int(pk) for pk in ids if str(pk).isdigit()]
    if not pks:
        return []
    return list(QPV.objects.without_geometry_fields().filter(pk__in=pks).order_by("name"))


def qpv_picker_query(form: forms.BaseForm, query: QueryDict) -> forms.BaseForm:
    """Give an unbound form what a picker's GET step sent: every field's value (what was
    typed before the step), and the step itself to each picker. Returns the form.

    In a view: `form = qpv_picker_query(ChallengeForm(request.POST or None), request.GET)`.
    """
    if form.is_bound or not query:
        return form
    pickers = {
        name: field for name, field in form.fields.items() if isinstance(field.widget, QPVPicker)
    }
    if not any(key in query for name in pickers for key in picker_keys(name).values()):
        return form
    for name, field in form.fields.items():
        if name not in query:
            continue
        multiple = isinstance(field.widget, QPVPicker) or getattr(
            field.widget, "allow_multiple_selected", False
        )
        form.initial[name] = query.getlist(name) if multiple else query.get(name)
    for field in pickers.values():
        field.widget.query = query
    return form
