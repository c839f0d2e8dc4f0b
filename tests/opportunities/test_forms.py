"""The provider's forms: grouped themes, place and session rows, what they give the services."""

from datetime import date

import pytest

from quartiers40.opportunities.enums import THEME_CHOICES
from quartiers40.opportunities.forms import (
    OpportunityForm,
    OutcomeForm,
    PlaceForm,
    SessionForm,
    place_formset,
    session_formset,
)
from quartiers40.opportunities.records import PlaceInput, SessionInput
from tests.opportunities.provider_helpers import (
    THEME,
    form_data,
    member,
)
from tests.opportunities.provider_helpers import (
    _no_geocoder as _no_geocoder,
)

pytestmark = pytest.mark.django_db


def test_every_theme_sits_in_its_category_once():
    categories = OpportunityForm().theme_categories()
    assert len(categories) == 16
    codes = [option.data["value"] for category in categories for option in category["options"]]
    assert sorted(codes) == sorted(code for code, _label in THEME_CHOICES)
    assert all(
        option.data["value"].startswith(category["code"] + "--")
        for category in categories
        for option in category["options"]
    )
    assert categories[0]["label"] == "Choisir un métier"


def test_ticked_categories_are_counted():
    form = OpportunityForm(initial={"themes": [THEME]})
    counted = {c["code"]: c["checked"] for c in form.theme_categories() if c["checked"]}
    assert counted == {"trouver-un-emploi": 1}


def test_unknown_theme_is_refused():
    _user, organisation = member()
    form = OpportunityForm(
        form_data(organisation, themes=["inventee--nulle-part"]),
        providers=organisation.__class__.objects.filter(pk=organisation.pk),
    )
    assert not form.is_valid()
    assert "themes" in form.errors


def test_service_fields_leave_the_organisation_out_and_normalise_priority():
    _user, organisation = member()
    form = OpportunityForm(
        form_data(organisation), providers=organisation.__class__.objects.filter(pk=organisation.pk)
    )
    assert form.is_valid(), form.errors
    fields = form.service_fields()
    assert "organisation" not in fields
    assert fields["qpv_priority"] == ""
    assert fields["themes"] == [THEME]
    assert fields["how_to_go"] == ["come"]


def test_summary_limit_and_its_count_words():
    form = OpportunityForm()
    widget = form.fields["summary"].widget
    assert widget.attrs["data-count-max"] == 400
    assert "{count}" in str(widget.attrs["data-count-text"])
    assert 'maxlength="400"' in str(form["summary"])


def test_age_range_in_order():
    form = OpportunityForm({**form_data(), "age_min": "30", "age_max": "20"})
    form.is_valid()
    assert "age_max" in form.errors


def test_place_rows_blank_ones_are_skipped():
    data = {
        "lieux-TOTAL_FORMS": "3",
        "lieux-INITIAL_FORMS": "0",
        "lieux-0-name": "Centre social",
        "lieux-0-address": "1 rue X",
        "lieux-0-commune_name": "Sevran",
        "lieux-2-postcode": "93270",
    }
    formset = place_formset(data)
    assert formset.is_valid(), formset.errors
    assert formset.inputs() == [
        PlaceInput(name="Centre social", address="1 rue X", commune_name="Sevran"),
        PlaceInput(postcode="93270"),
    ]


def test_a_place_needs_a_town_or_a_postcode():
    form = PlaceForm({"name": "Chez nous"})
    assert not form.is_valid()
    assert "commune_name" in form.errors
    assert not PlaceForm({"postcode": "9327"}).is_valid()


def test_session_rows():
    formset = session_formset(
        {
            "sessions-TOTAL_FORMS": "2",
            "sessions-INITIAL_FORMS": "0",
            "sessions-0-starts_on": "2031-03-02",
            "sessions-0-details": "le matin",
        }
    )
    assert formset.is_valid()
    assert formset.inputs() == [SessionInput(starts_on=date(2031, 3, 2), details="le matin")]
    assert not SessionForm({"details": "sans date"}).is_valid()
    assert not SessionForm({"starts_on": "2031-03-02", "ends_on": "2031-03-01"}).is_valid()


def test_too_many_place_rows_are_refused():
    formset = place_formset({"lieux-TOTAL_FORMS": "51", "lieux-INITIAL_FORMS": "0"})
    assert not formset.is_valid()


def test_typed_values_come_back_as_initial():
    data = {**form_data(title="Mon titre"), "lieux-0-name": "Ici"}
    form = OpportunityForm(data)
    assert form.typed()["title"] == "Mon titre"
    assert form.typed()["themes"] == [THEME]
    again = place_formset(initial=place_formset(data).typed(), extra=2)
    assert len(again.forms) == 5
    assert again.forms[0]["name"].value() == "Ici"


def test_outcome_choices_leave_new_out():
    values = [value for value, _label in OutcomeForm().fields["status"].choices]
    assert values == ["contacted", "started", "not_retained"]
