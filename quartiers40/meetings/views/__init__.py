"""Meeting pages, one module per sub-domain: the public pages, registration and its e-mail
links, series, the organisers' pages of an edition (registrants and check-in, agenda,
minutes, action items), and the calendar files. `views.x` works for each page."""

from .actions import action_update, actions_manage
from .agenda import (
    agenda_builder,
    agenda_item_delete,
    agenda_item_down,
    agenda_item_save,
    agenda_item_up,
    pitch_accept,
    pitch_apply,
    pitch_decline,
)
from .calendar import edition_ics, personal_ics, series_ics
from .editions import edition_cancel, edition_create, edition_edit, edition_publish, organiser_home
from .minutes import (
    minutes_assist,
    minutes_assist_apply,
    minutes_edit,
    minutes_publish,
    minutes_save,
    resource_add,
    resource_delete,
)
from .public import edition_detail, edition_list, series_detail
from .registrants import checkin, registrants, registrants_csv
from .registrations import (
    my_registrations,
    register,
    register_on_behalf,
    registration_accept_offer,
    registration_cancel,
    registration_confirm_email,
    registration_manage,
)
from .series import series_approve, series_create, series_queue, series_refuse

__all__ = [
    "action_update",
    "actions_manage",
    "agenda_builder",
    "agenda_item_delete",
    "agenda_item_down",
    "agenda_item_save",
    "agenda_item_up",
    "checkin",
    "edition_cancel",
    "edition_create",
    "edition_detail",
    "edition_edit",
    "edition_ics",
    "edition_list",
    "edition_publish",
    "minutes_assist",
    "minutes_assist_apply",
    "minutes_edit",
    "minutes_publish",
    "minutes_save",
    "my_registrations",
    "organiser_home",
    "personal_ics",
    "pitch_accept",
    "pitch_apply",
    "pitch_decline",
    "register",
    "register_on_behalf",
    "registrants",
    "registrants_csv",
    "registration_accept_offer",
    "registration_cancel",
    "registration_confirm_email",
    "registration_manage",
    "resource_add",
    "resource_delete",
    "series_approve",
    "series_create",
    "series_detail",
    "series_ics",
    "series_queue",
    "series_refuse",
]
