"""Défis' pages, one module per sub-domain; `urls.py` and `urls_open_data.py` use these names.

- `pages`: the list, a défi's page, similar défis;
- `map`: the map and its points (open data side);
- `posting`: post, edit, attachments;
- `participation`: support, comments, reports;
- `offers`: make an offer; accept, decline, withdraw (one view each);
- `lifecycle`: outcome, close, reopen;
- `moderation`: the queue; approve, hide, unhide; comments; reports; merge.
"""

from .lifecycle import challenge_close, challenge_outcome, challenge_reopen
from .map import challenge_map, challenge_map_data
from .moderation import (
    challenge_approve,
    challenge_hide,
    challenge_merge,
    challenge_unhide,
    comment_hide,
    comment_unhide,
    moderation_queue,
    report_resolve,
)
from .offers import offer_accept, offer_create, offer_decline, offer_withdraw
from .pages import challenge_detail, challenge_list, challenge_similar
from .participation import (
    challenge_report,
    challenge_support,
    challenge_unsupport,
    comment_add,
    comment_edit,
)
from .posting import attachment_remove, challenge_create, challenge_edit

__all__ = [
    "attachment_remove",
    "challenge_approve",
    "challenge_close",
    "challenge_create",
    "challenge_detail",
    "challenge_edit",
    "challenge_hide",
    "challenge_list",
    "challenge_map",
    "challenge_map_data",
    "challenge_merge",
    "challenge_outcome",
    "challenge_reopen",
    "challenge_report",
    "challenge_similar",
    "challenge_support",
    "challenge_unhide",
    "challenge_unsupport",
    "comment_add",
    "comment_edit",
    "comment_hide",
    "comment_unhide",
    "moderation_queue",
    "offer_accept",
    "offer_create",
    "offer_decline",
    "offer_withdraw",
    "report_resolve",
]
