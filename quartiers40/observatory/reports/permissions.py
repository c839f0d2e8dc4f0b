"""Who may do what with a quarterly report: the coordination team edits and publishes;
everybody reads a published one; a draft does not exist for anyone else (404)."""

from typing import Any

from quartiers40.members.permissions import is_coordination

from .models import QuarterlyReport


def can_edit_report(user: Any, report: QuarterlyReport | None = None) -> bool:
    return is_coordination(user)


def can_publish_report(user: Any, report: QuarterlyReport | None = None) -> bool:
    return is_coordination(user)


def can_view_report(user: Any, report: QuarterlyReport) -> bool:
    return report.is_published or is_coordination(user)
