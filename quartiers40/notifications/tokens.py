"""One-click unsubscribe links: signed, salted per kind, carrying the person and the kind.

No expiry: a link in a message read months later still works. Changing the user id or the
kind breaks the signature, so a link unsubscribes its own person from its own kind only.
"""

from functools import cache

from django.core import signing
from django.urls import reverse

from quartiers40.core.links import absolute_url

from .enums import Category

ALL = "all"  # every category at once (the List-Unsubscribe header of a mixed digest)
UNSUBSCRIBE_KINDS = (*Category.values, ALL)


def _salt(kind: str) -> str:
    return f"quartiers40.notifications.unsubscribe:{kind}"


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=_salt(kind), compress=False)


def unsubscribe_user_id(*, kind: str, token: str) -> int | None:
    """The person the token was made for, or None (tampered, another kind, unknown kind)."""
    if kind not in UNSUBSCRIBE_KINDS:
        return None
    try:
        payload = signing.loads(token, salt=_salt(kind))
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("k") != kind:
        return None
    user_id = payload.get("u")
    return user_id if isinstance(user_id, int) else None


@cache
def _path_pattern() -> str:
    # reverse() once: a digest run builds hundreds of thousands of these links.
    return reverse("notifications:unsubscribe", kwargs={"kind": "KIND", "token": "TOKEN"})


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    token = unsubscribe_token(user_id=user_id, kind=kind)
    return absolute_url(_path_pattern().replace("KIND", kind).replace("TOKEN", token))
