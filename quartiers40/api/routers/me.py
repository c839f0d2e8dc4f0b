"""/me/: the account that owns the token."""

from django.http import HttpRequest
from ninja import Router

from quartiers40.members import permissions, selectors

from ..auth import token_auth
from ..schemas.common import ErrorOut
from ..schemas.me import MeOut, MyOrganisationOut

router = Router(auth=token_auth, tags=["Mon compte"])


@router.get(
    "/",
    response={200: MeOut, 401: ErrorOut, 429: ErrorOut},
    summary="Mon compte",
    description="Le compte à qui appartient le jeton, et ses organisations.",
)
def me(request: HttpRequest):
    user = request.auth
    return MeOut(
        id=user.pk,
        display_name=user.display_name,
        email=user.email,
        is_coordinator=permissions.is_coordination(user),
        organisations=[
            MyOrganisationOut.from_membership(membership)
            for membership in selectors.organisations_of(user)
        ],
    )
