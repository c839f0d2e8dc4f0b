"""Every write of the meetings domain, one module per sub-domain: series, editions,
registrations and their waiting list, the call for pitches and the agenda, minutes and
resources, action items. `from quartiers40.meetings import services; services.x(...)` works
for each public name."""

from ._shared import RESERVED_SLUGS, registration_links
from .actions import (
    ACTION_FIELDS,
    action_item_create,
    action_item_set_status,
    action_item_update,
)
from .agenda import (
    agenda_item_delete,
    agenda_item_move,
    agenda_item_save,
    pitch_apply,
    pitch_decide,
)
from .editions import (
    EDITION_EDITABLE_FIELDS,
    edition_cancel,
    edition_create,
    edition_publish,
    edition_update,
)
from .minutes import (
    MAX_RESOURCES_PER_EDITION,
    edition_minutes_save,
    edition_minutes_summary_save,
    edition_resource_add,
    edition_resource_delete,
)
from .registrations import (
    OFFER_CLOSES_BEFORE_START,
    OFFER_DURATION,
    OFFER_MINIMUM,
    offer_free_seats,
    registration_accept_offer,
    registration_cancel,
    registration_cancel_from_link,
    registration_check_in,
    registration_confirm_email,
    registration_create,
    registration_create_for_guest,
    registration_create_on_behalf,
    registration_offers_expire,
)
from .series import series_approve, series_create, series_refuse

__all__ = [
    "ACTION_FIELDS",
    "EDITION_EDITABLE_FIELDS",
    "MAX_RESOURCES_PER_EDITION",
    "OFFER_CLOSES_BEFORE_START",
    "OFFER_DURATION",
    "OFFER_MINIMUM",
    "RESERVED_SLUGS",
    "action_item_create",
    "action_item_set_status",
    "action_item_update",
    "agenda_item_delete",
    "agenda_item_move",
    "agenda_item_save",
    "edition_cancel",
    "edition_create",
    "edition_minutes_save",
    "edition_minutes_summary_save",
    "edition_publish",
    "edition_resource_add",
    "edition_resource_delete",
    "edition_update",
    "offer_free_seats",
    "pitch_apply",
    "pitch_decide",
    "registration_accept_offer",
    "registration_cancel",
    "registration_cancel_from_link",
    "registration_check_in",
    "registration_confirm_email",
    "registration_create",
    "registration_create_for_guest",
    "registration_create_on_behalf",
    "registration_links",
    "registration_offers_expire",
    "series_approve",
    "series_create",
    "series_refuse",
]
