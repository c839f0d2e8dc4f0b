"""Every write of the défis domain, one module per sub-domain.

- `posting`: posting a défi (moderated for new accounts), editing it, its attachments;
- `participation`: « je soutiens », comments and replies;
- `offers`: « nous pouvons aider » and its answer (OFFER_WORKFLOW);
- `lifecycle`: solved, closed, reopened (CHALLENGE_WORKFLOW);
- `moderation`: approve, hide, unhide (MODERATION_WORKFLOW), reports, merging duplicates.

The transition tables are in `enums.py`; each service checks its transition while holding
the row lock (`Workflow.check`) and logs it under the table's name (`Workflow.apply`).
"""

from .lifecycle import challenge_close, challenge_reopen, challenge_solve
from .moderation import (
    challenge_approve,
    challenge_hide,
    challenge_merge,
    challenge_report,
    challenge_report_resolve,
    challenge_unhide,
)
from .offers import (
    challenge_offer_accept,
    challenge_offer_decline,
    challenge_offer_make,
    challenge_offer_withdraw,
)
from .participation import (
    challenge_comment_add,
    challenge_comment_edit,
    challenge_comment_hide,
    challenge_comment_unhide,
    challenge_support,
    challenge_unsupport,
)
from .posting import (
    NEW_ACCOUNT_DAYS,
    RESERVED_SLUGS,
    challenge_attachment_add,
    challenge_attachment_remove,
    challenge_needs_moderation,
    challenge_post,
    challenge_update,
    department_of,
)

__all__ = [
    "NEW_ACCOUNT_DAYS",
    "RESERVED_SLUGS",
    "challenge_approve",
    "challenge_attachment_add",
    "challenge_attachment_remove",
    "challenge_close",
    "challenge_comment_add",
    "challenge_comment_edit",
    "challenge_comment_hide",
    "challenge_comment_unhide",
    "challenge_hide",
    "challenge_merge",
    "challenge_needs_moderation",
    "challenge_offer_accept",
    "challenge_offer_decline",
    "challenge_offer_make",
    "challenge_offer_withdraw",
    "challenge_post",
    "challenge_reopen",
    "challenge_report",
    "challenge_report_resolve",
    "challenge_solve",
    "challenge_support",
    "challenge_unhide",
    "challenge_unsupport",
    "challenge_update",
    "department_of",
]
