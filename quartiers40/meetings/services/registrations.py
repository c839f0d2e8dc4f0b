"""Registrations and their waiting list.

Registration is the one place where concurrency matters: every change that takes or frees a
seat locks the edition's row first (`edition_lock`), counts the seats held per attendance
mode, then decides. Two sign-ups for the last seat are therefore serialised by the database.

Three ways to register, one service each, around one seat-taking step (`_registration_add`):
for oneself (signed in), without an account (the e-mail address is confirmed first), or for
someone else (a mediator).
"""

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.core.pagecache import bumps_cache_version
from quartiers40.members.models import User

from .. import permissions
from ..enums import (
    ACTIVE_REGISTRATION_STATUSES,
    REGISTRATION_WORKFLOW,
    SEAT_HOLDING_STATUSES,
    Attendance,
    EditionStatus,
    RegistrationStatus,
    SeriesStatus,
)
from ..models import Edition, Registration
from ..selectors import seats_taken
from ._shared import edition_lock, log, registration_email, registration_lock

# How long a waiting person has to take a freed seat; never later than the day before.
OFFER_DURATION = timedelta(hours=48)
OFFER_CLOSES_BEFORE_START = timedelta(days=1)
# A seat freed at the last minute: the offer then runs until the edition starts.
OFFER_MINIMUM = timedelta(hours=2)


def _has_free_seat(edition: Edition, attendance: str) -> bool:
    capacity = edition.capacity_for(attendance)
    return capacity is None or seats_taken(edition, attendance) < capacity


def _take_place(edition: Edition, registration: Registration, *, now: datetime) -> str:
    """Under the edition lock: give the next arrival number, then say whether a seat is
    free (CONFIRMED) or the person waits (WAITING).

    Nobody jumps the queue: while people wait for this mode, a newcomer waits too.
    """
    # The counter, checked against the numbers given (a stale save of the edition elsewhere
    # must never hand out a number twice).
    highest = edition.registrations.aggregate(top=Max("sequence"))["top"] or 0
    edition.registration_sequence = max(edition.registration_sequence, highest) + 1
    edition.save(update_fields=["registration_sequence"])
    registration.sequence = edition.registration_sequence
    someone_waiting = edition.registrations.filter(
        attendance=registration.attendance, status=RegistrationStatus.WAITING
    ).exists()
    if not someone_waiting and _has_free_seat(edition, registration.attendance):
        registration.confirmed_at = now
        return RegistrationStatus.CONFIRMED
    return RegistrationStatus.WAITING


def _check_registrable(edition: Edition, attendance: str, *, now: datetime) -> None:
    if edition.status != EditionStatus.PUBLISHED or edition.series.status != SeriesStatus.APPROVED:
        raise ValidationError(_("Cette rencontre n'accepte pas d'inscription."), code="closed")
    if not edition.registration_open or edition.ends_at <= now:
        raise ValidationError(_("Les inscriptions sont closes."), code="closed")
    if attendance not in edition.attendance_modes():
        raise ValidationError(
            {"attendance": _("Ce mode de participation n'est pas proposé pour cette rencontre.")}
        )


def _check_not_registered(edition: Edition, registration: Registration) -> None:
    """One active registration per person and edition: per account, or per address for
    people without one."""
    active = edition.registrations.filter(status__in=ACTIVE_REGISTRATION_STATUSES)
    if registration.user is not None:
        if active.filter(user=registration.user).exists():
            raise ValidationError(
                _("Vous êtes déjà inscrit·e à cette rencontre."), code="duplicate"
            )
    elif registration.email and (
        active.filter(user__isnull=True, email__iexact=registration.email).exists()
    ):
        raise ValidationError(
            {"email": _("Cette adresse est déjà inscrite à cette rencontre.")}, code="duplicate"
        )


def _email_status(registration: Registration) -> None:
    if registration.status == RegistrationStatus.CONFIRMED:
        registration_email(
            registration,
            subject=_("Inscription confirmée : %(title)s"),
            template="meetings/emails/registration_confirmed.txt",
        )
    elif registration.status == RegistrationStatus.WAITING:
        registration_email(
            registration,
            subject=_("Liste d'attente : %(title)s"),
            template="meetings/emails/registration_waiting.txt",
        )


def _registration_add(
    edition: Edition,
    registration: Registration,
    *,
    actor: User | None,
    take_seat: bool,
    now: datetime,
) -> Registration:
    """The step every registration takes: lock the edition, check it is open and the person
    not registered yet, then a seat or the waiting list (`take_seat`), else the e-mail
    address to confirm first; saved, logged, told."""
    edition_lock(edition)
    _check_registrable(edition, registration.attendance, now=now)
    _check_not_registered(edition, registration)
    registration.edition = edition
    if take_seat:
        registration.status = _take_place(edition, registration, now=now)
    else:
        registration.status = RegistrationStatus.PENDING_CONFIRMATION
    registration.full_clean(exclude=["edition", "user", "registered_by"])
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:  # the constraints back the checks above
        raise ValidationError(
            _("Cette personne est déjà inscrite à cette rencontre."), code="duplicate"
        ) from error
    log(registration, action="registration_created", actor=actor, to_status=registration.status)
    if registration.status == RegistrationStatus.PENDING_CONFIRMATION:
        registration_email(
            registration,
            subject=_("Confirmez votre inscription : %(title)s"),
            template="meetings/emails/registration_confirm_email.txt",
        )
    else:
        _email_status(registration)
    return registration


@bumps_cache_version("meetings")
@transaction.atomic
def registration_create(
    *,
    edition: Edition,
    actor: User,
    attendance: str = Attendance.ON_SITE,
    accessibility_needs: str = "",
    dietary_notes: str = "",
    now: datetime | None = None,
) -> Registration:
    """A signed-in person registers: a seat (or the waiting list) at once."""
    if not actor.is_authenticated:
        raise PermissionDenied
    now = now or timezone.now()
    registration = Registration(
        user=actor,
        name=actor.display_name or actor.email,
        attendance=attendance,
        accessibility_needs=accessibility_needs,
        dietary_notes=dietary_notes,
        email_confirmed_at=now,
    )
    return _registration_add(edition, registration, actor=actor, take_seat=True, now=now)


@bumps_cache_version("meetings")
@transaction.atomic
def registration_create_for_guest(
    *,
    edition: Edition,
    name: str,
    email: str,
    phone: str = "",
    attendance: str = Attendance.ON_SITE,
    accessibility_needs: str = "",
    dietary_notes: str = "",
    now: datetime | None = None,
) -> Registration:
    """Without an account: name and e-mail; the seat is sought only once the e-mail is
    confirmed by the link we send (so a typo never holds a seat)."""
    now = now or timezone.now()
    name, email = (name or "").strip(), (email or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Indiquez votre nom.")
    if not email:
        errors["email"] = _("Indiquez votre adresse e-mail.")
    if errors:
        raise ValidationError(errors)
    registration = Registration(
        name=name,
        email=email,
        phone=phone,
        attendance=attendance,
        accessibility_needs=accessibility_needs,
        dietary_notes=dietary_notes,
    )
    return _registration_add(edition, registration, actor=None, take_seat=False, now=now)


@bumps_cache_version("meetings")
@transaction.atomic
def registration_create_on_behalf(
    *,
    edition: Edition,
    actor: User,
    name: str,
    email: str = "",
    phone: str = "",
    attendance: str = Attendance.ON_SITE,
    accessibility_needs: str = "",
    dietary_notes: str = "",
    now: datetime | None = None,
) -> Registration:
    """A mediator registers a resident (name, optional e-mail or phone): a seat at once; the
    resident's details are seen only by the organisers."""
    if not permissions.can_register_on_behalf(actor, edition):
        raise PermissionDenied
    now = now or timezone.now()
    name, email = (name or "").strip(), (email or "").strip()
    if not name:
        raise ValidationError({"name": _("Indiquez le nom de la personne.")})
    registration = Registration(
        name=name,
        email=email,
        phone=phone,
        registered_by=actor,
        attendance=attendance,
        accessibility_needs=accessibility_needs,
        dietary_notes=dietary_notes,
    )
    return _registration_add(edition, registration, actor=actor, take_seat=True, now=now)


@bumps_cache_version("meetings")
@transaction.atomic
def registration_confirm_email(
    *, registration: Registration, now: datetime | None = None
) -> Registration:
    """The link in the e-mail was followed: the registration takes its place (seat or waiting)."""
    now = now or timezone.now()
    edition = registration_lock(registration)
    if registration.status != RegistrationStatus.PENDING_CONFIRMATION:
        return registration  # followed twice: nothing more to do
    try:
        _check_registrable(edition, registration.attendance, now=now)
    except ValidationError:
        raise ValidationError(_("Les inscriptions sont closes."), code="closed") from None
    registration.email_confirmed_at = now
    target = _take_place(edition, registration, now=now)
    name = (
        "confirm_email"
        if target == RegistrationStatus.CONFIRMED
        else "confirm_email_to_waiting_list"
    )
    # The link proves who acts: only the state is checked.
    step = REGISTRATION_WORKFLOW.check(registration, name, actor=None, locked=True, authorised=True)
    REGISTRATION_WORKFLOW.apply(registration, step, actor=None)
    registration.save()
    _email_status(registration)
    return registration


def _offer_deadline(edition: Edition, now: datetime) -> datetime:
    deadline = min(now + OFFER_DURATION, edition.starts_at - OFFER_CLOSES_BEFORE_START)
    if deadline < now + OFFER_MINIMUM:
        deadline = max(edition.starts_at, now + OFFER_MINIMUM)
    return deadline


def offer_free_seats(edition: Edition, attendance: str, *, now: datetime) -> int:
    """Under the edition lock: offer every free seat to the next waiting people, in order."""
    if edition.status != EditionStatus.PUBLISHED or edition.ends_at <= now:
        return 0
    offered = 0
    while _has_free_seat(edition, attendance):
        following = (
            Registration.objects.select_for_update()
            .filter(edition=edition, attendance=attendance, status=RegistrationStatus.WAITING)
            .order_by("sequence", "pk")
            .first()
        )
        if following is None:
            break
        following.edition = edition
        step = REGISTRATION_WORKFLOW.check(following, "offer", actor=None, locked=True)
        REGISTRATION_WORKFLOW.apply(following, step, actor=None)
        following.offered_at = now
        following.offer_expires_at = _offer_deadline(edition, now)
        following.save(update_fields=["status", "offered_at", "offer_expires_at", "updated_at"])
        registration_email(
            following,
            subject=_("Une place s'est libérée : %(title)s"),
            template="meetings/emails/registration_offered.txt",
        )
        offered += 1
    return offered


def _cancel(
    registration: Registration, *, actor: Any, from_link: bool, now: datetime | None
) -> Registration:
    now = now or timezone.now()
    edition = registration_lock(registration)
    signed_in = actor is not None and actor.is_authenticated
    step = REGISTRATION_WORKFLOW.check(
        registration,
        "cancel_from_link" if from_link else "cancel",
        actor=actor if signed_in else None,
        locked=True,
        authorised=from_link,  # the link is the proof
    )
    freed = registration.status in SEAT_HOLDING_STATUSES
    REGISTRATION_WORKFLOW.apply(registration, step, actor=actor if signed_in else None)
    registration.cancelled_at = now
    registration.offer_expires_at = None
    registration.save()
    registration_email(
        registration,
        subject=_("Inscription annulée : %(title)s"),
        template="meetings/emails/registration_cancelled.txt",
    )
    if freed:
        offer_free_seats(edition, registration.attendance, now=now)
    return registration


@bumps_cache_version("meetings")
@transaction.atomic
def registration_cancel(
    *, registration: Registration, actor: User, now: datetime | None = None
) -> Registration:
    """The person, their mediator or an organiser cancels (signed in).

    A freed seat is offered to the first waiting person at once.
    """
    return _cancel(registration, actor=actor, from_link=False, now=now)


@bumps_cache_version("meetings")
@transaction.atomic
def registration_cancel_from_link(
    *, registration: Registration, actor: Any = None, now: datetime | None = None
) -> Registration:
    """Cancel from the link of any e-mail, without signing in: the link is the proof.

    `actor` (the person signed in, if any) is only logged.
    """
    return _cancel(registration, actor=actor, from_link=True, now=now)


@bumps_cache_version("meetings")
def registration_accept_offer(
    *, registration: Registration, now: datetime | None = None
) -> Registration:
    """The waiting person takes the offered seat before the deadline.

    Too late: the offer expires (committed, the seat goes to the next person), then we say so.
    """
    now = now or timezone.now()
    with transaction.atomic():
        edition = registration_lock(registration)
        if registration.status == RegistrationStatus.CONFIRMED:
            return registration
        step = REGISTRATION_WORKFLOW.check(
            registration, "accept_offer", actor=None, locked=True, authorised=True
        )
        expires_at = registration.offer_expires_at
        too_late = expires_at is not None and expires_at <= now
        if too_late:
            _expire(edition, registration, now=now)
        else:
            REGISTRATION_WORKFLOW.apply(registration, step, actor=None)
            registration.confirmed_at = now
            registration.offer_expires_at = None
            registration.save()
            _email_status(registration)
    if too_late:
        raise ValidationError(_("Le délai pour confirmer cette place est passé."), code="expired")
    return registration


def _expire(edition: Edition, registration: Registration, *, now: datetime) -> None:
    step = REGISTRATION_WORKFLOW.check(registration, "expire_offer", actor=None, locked=True)
    REGISTRATION_WORKFLOW.apply(registration, step, actor=None)
    registration.save(update_fields=["status", "updated_at"])
    registration_email(
        registration,
        subject=_("Place non confirmée à temps : %(title)s"),
        template="meetings/emails/registration_expired.txt",
    )
    offer_free_seats(edition, registration.attendance, now=now)


@bumps_cache_version("meetings")
def registration_offers_expire(*, now: datetime) -> int:
    """Expire the offers whose deadline passed; each freed seat goes to the next person.

    One transaction per offer: a failure leaves the others done.
    """
    expired = 0
    due = Registration.objects.filter(
        status=RegistrationStatus.OFFERED, offer_expires_at__lte=now
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            registration = Registration.objects.select_related("edition").get(pk=pk)
            edition = registration_lock(registration)
            expires_at = registration.offer_expires_at
            if registration.status != RegistrationStatus.OFFERED or (
                expires_at is not None and expires_at > now
            ):
                continue  # accepted or cancelled meanwhile
            _expire(edition, registration, now=now)
            expired += 1
    return expired


@bumps_cache_version("meetings")
@transaction.atomic
def registration_check_in(
    *, registration: Registration, actor: User, present: bool = True, now: datetime | None = None
) -> Registration:
    """On the day: the person is here (or, `present=False`, was marked by mistake)."""
    step = REGISTRATION_WORKFLOW.check(
        registration, "check_in" if present else "undo_check_in", actor=actor
    )
    REGISTRATION_WORKFLOW.apply(registration, step, actor=actor)
    registration.checked_in_at = (now or timezone.now()) if present else None
    registration.save(update_fields=["checked_in_at", "updated_at"])
    return registration
