"""Every write of the meetings domain: series, editions, registrations and their waiting list,
the call for pitches and the agenda, minutes, resources and action items.

Registration is the one place where concurrency matters: every change that takes or frees a
seat locks the edition's row first (`_locked_edition`), counts the seats held per attendance
mode, then decides. Two sign-ups for the last seat are therefore serialised by the database.
"""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from quartiers40.core.emails import absolute_url, email_each
from quartiers40.core.services import action_log_record
from quartiers40.members.models import Organisation, User

from . import permissions
from .enums import (
    ACTIVE_REGISTRATION_STATUSES,
    SEAT_HOLDING_STATUSES,
    ActionItemStatus,
    AgendaItemKind,
    Attendance,
    EditionFormat,
    EditionStatus,
    PitchStatus,
    RegistrationStatus,
    SeriesKind,
    SeriesStatus,
)
from .models import (
    ActionItem,
    AgendaItem,
    Edition,
    EditionResource,
    PitchApplication,
    Registration,
    Series,
)

# How long a waiting person has to take a freed seat; never later than the day before.
OFFER_DURATION = timedelta(hours=48)
OFFER_CLOSES_BEFORE_START = timedelta(days=1)
# A seat freed at the last minute: the offer then runs until the edition starts.
OFFER_MINIMUM = timedelta(hours=2)

# Slugs that would shadow a page under /rencontres/.
RESERVED_SLUGS = {"serie", "inscription", "mes-inscriptions", "nouvelle-serie", "coordination"}

ACTION_TRANSITIONS = {
    ActionItemStatus.OPEN: {
        ActionItemStatus.IN_PROGRESS,
        ActionItemStatus.DONE,
        ActionItemStatus.DROPPED,
    },
    ActionItemStatus.IN_PROGRESS: {
        ActionItemStatus.OPEN,
        ActionItemStatus.DONE,
        ActionItemStatus.DROPPED,
    },
    ActionItemStatus.DONE: {ActionItemStatus.IN_PROGRESS},
    ActionItemStatus.DROPPED: {ActionItemStatus.OPEN},
}


def _unique_slug(model, text: str, fallback: str) -> str:
    base = slugify(text)[:100] or fallback
    if base in RESERVED_SLUGS:
        base = f"{fallback}-{base}"
    slug, index = base, 2
    while model.objects.filter(slug=slug).exists():
        slug = f"{base}-{index}"
        index += 1
    return slug


def _send_after_commit(*, to: list[str], subject: str, template: str, **context) -> None:
    """Each address gets its own message, queued once the transaction commits."""
    email_each(to=to, subject=subject, template=template, context=context)


def _log(target, *, action: str, actor=None, from_status="", to_status="", reason="") -> None:
    action_log_record(
        target=target,
        action=action,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )


# --- Series -------------------------------------------------------------------


@transaction.atomic
def series_create(
    *,
    actor: User,
    name: str,
    description: str = "",
    organisation: Organisation | None = None,
    kind: str = SeriesKind.LOCAL,
) -> Series:
    """A national series (coordination; approved at once) or a local one (pending)."""
    if kind == SeriesKind.NATIONAL:
        if not permissions.can_create_national_series(actor):
            raise PermissionDenied
        status = SeriesStatus.APPROVED
    else:
        if organisation is None:
            raise ValidationError({"organisation": _("Choisissez l'organisation organisatrice.")})
        if not permissions.can_create_local_series(actor, organisation):
            raise PermissionDenied
        status = SeriesStatus.PENDING
    series = Series(
        name=name,
        description=description,
        kind=kind,
        organisation=organisation,
        status=status,
        created_by=actor,
    )
    series.slug = _unique_slug(Series, name, "serie")
    series.full_clean()
    series.save()
    _log(series, action="series_created", actor=actor, to_status=status)
    if status == SeriesStatus.PENDING:
        _send_after_commit(
            to=User.objects.coordination().values_list("email", flat=True),
            subject=_("Série de rencontres à valider : %(name)s") % {"name": name},
            template="meetings/emails/series_submitted.txt",
            series=series,
            link=absolute_url(reverse("meetings:series_queue")),
        )
    return series


def _decide_series(*, series: Series, actor: User, to_status: str, reason: str) -> Series:
    if not permissions.can_approve_series(actor, series):
        raise PermissionDenied
    locked = Series.objects.select_for_update().get(pk=series.pk)
    if locked.status != SeriesStatus.PENDING:
        raise ValidationError(_("Cette série a déjà été examinée."), code="invalid_transition")
    from_status = locked.status
    locked.status = to_status
    locked.decision_reason = reason
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    _log(
        locked,
        action=f"series_{to_status}",
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )
    if locked.created_by_id:
        _send_after_commit(
            to=[locked.created_by.email],
            subject=_("Votre série de rencontres : %(name)s") % {"name": locked.name},
            template="meetings/emails/series_decided.txt",
            series=locked,
            link=absolute_url(reverse("meetings:series_detail", args=[locked.slug])),
        )
    series.status = locked.status
    return locked


@transaction.atomic
def series_approve(*, series: Series, actor: User) -> Series:
    return _decide_series(series=series, actor=actor, to_status=SeriesStatus.APPROVED, reason="")


@transaction.atomic
def series_refuse(*, series: Series, actor: User, reason: str) -> Series:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Expliquez la raison du refus.")})
    return _decide_series(series=series, actor=actor, to_status=SeriesStatus.REFUSED, reason=reason)


# --- Editions -----------------------------------------------------------------

EDITION_EDITABLE_FIELDS = (
    "title",
    "description",
    "starts_at",
    "ends_at",
    "format",
    "address",
    "accessibility_info",
    "online_url",
    "onsite_capacity",
    "online_capacity",
    "registration_open",
    "call_for_pitches_open",
)


def _check_fields(fields: dict, allowed: tuple[str, ...]) -> None:
    for name in fields:
        if name not in allowed:
            raise ValueError(f"{name} cannot be changed here")


def _locked_edition(edition: Edition) -> Edition:
    return Edition.objects.select_for_update().select_related("series").get(pk=edition.pk)


@transaction.atomic
def edition_create(*, series: Series, actor: User, organisers=(), **fields) -> Edition:
    if not permissions.can_manage_series(actor, series):
        raise PermissionDenied
    _check_fields(fields, EDITION_EDITABLE_FIELDS)
    edition = Edition(series=series, created_by=actor, **fields)
    edition.slug = _unique_slug(Edition, edition.title, "edition")
    edition.full_clean()
    edition.save()
    edition.organisers.set({actor, *organisers})
    _log(edition, action="edition_created", actor=actor, to_status=edition.status)
    return edition


@transaction.atomic
def edition_update(*, edition: Edition, actor: User, organisers=None, **fields) -> Edition:
    """Change an edition; more seats promote waiting people at once."""
    if not permissions.can_organise(actor, edition):
        raise PermissionDenied
    _check_fields(fields, EDITION_EDITABLE_FIELDS)
    locked = _locked_edition(edition)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    if organisers is not None:
        locked.organisers.set(organisers)
    _log(locked, action="edition_updated", actor=actor, reason=", ".join(fields))
    now = timezone.now()
    for attendance in locked.attendance_modes():
        _offer_free_seats(locked, attendance, now=now)
    for field in Edition._meta.concrete_fields:
        setattr(edition, field.attname, getattr(locked, field.attname))
    return edition


@transaction.atomic
def edition_publish(*, edition: Edition, actor: User) -> Edition:
    if not permissions.can_organise(actor, edition):
        raise PermissionDenied
    locked = _locked_edition(edition)
    if locked.status != EditionStatus.DRAFT:
        raise ValidationError(_("Seul un brouillon peut être publié."), code="invalid_transition")
    if locked.series.status != SeriesStatus.APPROVED:
        raise ValidationError(_("La série doit d'abord être validée par la coordination."))
    if locked.format in (EditionFormat.ONLINE, EditionFormat.HYBRID) and not locked.online_url:
        raise ValidationError(
            _(
                "Indiquez le lien de connexion avant de publier : les personnes inscrites en "
                "ligne le recevront."
            ),
            code="online_link_missing",
        )
    locked.status = EditionStatus.PUBLISHED
    locked.published_at = timezone.now()
    locked.save(update_fields=["status", "published_at", "updated_at"])
    _log(
        locked,
        action="edition_published",
        actor=actor,
        from_status=EditionStatus.DRAFT,
        to_status=locked.status,
    )
    edition.status, edition.published_at = locked.status, locked.published_at
    return edition


@transaction.atomic
def edition_cancel(*, edition: Edition, actor: User, reason: str) -> Edition:
    """Cancel an edition and tell everyone registered (waiting list included)."""
    if not permissions.can_organise(actor, edition):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Expliquez pourquoi la rencontre est annulée.")})
    locked = _locked_edition(edition)
    if locked.status == EditionStatus.CANCELLED:
        raise ValidationError(_("Cette rencontre est déjà annulée."), code="invalid_transition")
    from_status = locked.status
    locked.status = EditionStatus.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.cancellation_reason = reason
    locked.registration_open = False
    locked.save()
    _log(
        locked,
        action="edition_cancelled",
        actor=actor,
        from_status=from_status,
        to_status=locked.status,
        reason=reason,
    )
    registrations = list(
        locked.registrations.filter(status__in=ACTIVE_REGISTRATION_STATUSES).select_related("user")
    )
    for registration in registrations:
        _send_after_commit(
            to=[registration.contact_email],
            subject=_("Rencontre annulée : %(title)s") % {"title": locked.title},
            template="meetings/emails/edition_cancelled.txt",
            edition=locked,
            registration=registration,
            reason=reason,
        )
    edition.status = locked.status
    return edition


# --- Registration -------------------------------------------------------------


def registration_links(registration: Registration) -> dict[str, str]:
    """The links of every registration e-mail (absolute); cancel works without signing in."""
    token = registration.token
    return {
        "manage_url": absolute_url(reverse("meetings:registration_manage", args=[token])),
        "cancel_url": absolute_url(reverse("meetings:registration_cancel", args=[token])),
        "confirm_email_url": absolute_url(
            reverse("meetings:registration_confirm_email", args=[token])
        ),
        "accept_offer_url": absolute_url(
            reverse("meetings:registration_accept_offer", args=[token])
        ),
        "edition_url": absolute_url(
            reverse("meetings:edition_detail", args=[registration.edition.slug])
        ),
    }


def _email_registration(registration: Registration, *, subject: str, template: str, **extra):
    _send_after_commit(
        to=[registration.contact_email],
        subject=subject % {"title": registration.edition.title},
        template=template,
        registration=registration,
        edition=registration.edition,
        **registration_links(registration),
        **extra,
    )


def seats_taken(edition: Edition, attendance: str) -> int:
    return edition.registrations.filter(
        attendance=attendance, status__in=SEAT_HOLDING_STATUSES
    ).count()


def _has_free_seat(edition: Edition, attendance: str) -> bool:
    capacity = edition.capacity_for(attendance)
    return capacity is None or seats_taken(edition, attendance) < capacity


def _take_place(locked: Edition, registration: Registration, *, now: datetime) -> None:
    """Under the edition lock: give the next arrival number, then a seat or the waiting list.

    Nobody jumps the queue: while people wait for this mode, a newcomer waits too.
    """
    # The counter, checked against the numbers given (a stale save of the edition elsewhere
    # must never hand out a number twice).
    highest = locked.registrations.aggregate(top=Max("sequence"))["top"] or 0
    locked.registration_sequence = max(locked.registration_sequence, highest) + 1
    locked.save(update_fields=["registration_sequence"])
    registration.sequence = locked.registration_sequence
    someone_waiting = locked.registrations.filter(
        attendance=registration.attendance, status=RegistrationStatus.WAITING
    ).exists()
    if not someone_waiting and _has_free_seat(locked, registration.attendance):
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
    else:
        registration.status = RegistrationStatus.WAITING


def _check_registrable(locked: Edition, attendance: str, *, now: datetime) -> None:
    if locked.status != EditionStatus.PUBLISHED or locked.series.status != SeriesStatus.APPROVED:
        raise ValidationError(_("Cette rencontre n'accepte pas d'inscription."), code="closed")
    if not locked.registration_open or locked.ends_at <= now:
        raise ValidationError(_("Les inscriptions sont closes."), code="closed")
    if attendance not in locked.attendance_modes():
        raise ValidationError(
            {"attendance": _("Ce mode de participation n'est pas proposé pour cette rencontre.")}
        )


def _email_status(registration: Registration) -> None:
    if registration.status == RegistrationStatus.CONFIRMED:
        _email_registration(
            registration,
            subject=_("Inscription confirmée : %(title)s"),
            template="meetings/emails/registration_confirmed.txt",
        )
    elif registration.status == RegistrationStatus.WAITING:
        _email_registration(
            registration,
            subject=_("Liste d'attente : %(title)s"),
            template="meetings/emails/registration_waiting.txt",
        )


@transaction.atomic
def registration_create(
    *,
    edition: Edition,
    actor,
    attendance: str = Attendance.ON_SITE,
    name: str = "",
    email: str = "",
    phone: str = "",
    on_behalf: bool = False,
    accessibility_needs: str = "",
    dietary_notes: str = "",
    now: datetime | None = None,
) -> Registration:
    """Register to an edition.

    - signed in: for oneself, a seat (or the waiting list) at once;
    - without an account (`actor` anonymous): name and e-mail; the seat is sought only once
      the e-mail is confirmed by the link we send (so a typo never holds a seat);
    - `on_behalf`: a mediator registers a resident (name, optional e-mail or phone), a seat at
      once; the resident's details are seen only by the organisers.
    """
    now = now or timezone.now()
    name, email = (name or "").strip(), (email or "").strip()
    signed_in = bool(actor is not None and actor.is_authenticated)
    if on_behalf:
        if not permissions.can_register_on_behalf(actor, edition):
            raise PermissionDenied
        if not name:
            raise ValidationError({"name": _("Indiquez le nom de la personne.")})
    elif not signed_in:
        errors = {}
        if not name:
            errors["name"] = _("Indiquez votre nom.")
        if not email:
            errors["email"] = _("Indiquez votre adresse e-mail.")
        if errors:
            raise ValidationError(errors)
    locked = _locked_edition(edition)
    _check_registrable(locked, attendance, now=now)
    active = locked.registrations.filter(status__in=ACTIVE_REGISTRATION_STATUSES)
    if signed_in and not on_behalf:
        if active.filter(user=actor).exists():
            raise ValidationError(
                _("Vous êtes déjà inscrit·e à cette rencontre."), code="duplicate"
            )
        registration = Registration(user=actor, name=actor.display_name or actor.email)
    else:
        if email and active.filter(user__isnull=True, email__iexact=email).exists():
            raise ValidationError(
                {"email": _("Cette adresse est déjà inscrite à cette rencontre.")}, code="duplicate"
            )
        registration = Registration(name=name, email=email, phone=phone)
        if on_behalf:
            registration.registered_by = actor
    registration.edition = locked
    registration.attendance = attendance
    registration.accessibility_needs = accessibility_needs
    registration.dietary_notes = dietary_notes
    if signed_in or on_behalf:
        if signed_in and not on_behalf:
            registration.email_confirmed_at = now
        _take_place(locked, registration, now=now)
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
    _log(
        registration,
        action="registration_created",
        actor=actor if signed_in else None,
        to_status=registration.status,
    )
    if registration.status == RegistrationStatus.PENDING_CONFIRMATION:
        _email_registration(
            registration,
            subject=_("Confirmez votre inscription : %(title)s"),
            template="meetings/emails/registration_confirm_email.txt",
        )
    else:
        _email_status(registration)
    return registration


def _locked_registration(registration: Registration) -> tuple[Edition, Registration]:
    """Lock the edition first (always the same order), then the registration."""
    locked_edition = _locked_edition(registration.edition)
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    locked.edition = locked_edition
    return locked_edition, locked


def _sync(registration: Registration, locked: Registration) -> Registration:
    for field in Registration._meta.concrete_fields:
        if field.name != "edition":
            setattr(registration, field.attname, getattr(locked, field.attname))
    return registration


@transaction.atomic
def registration_confirm_email(*, registration: Registration, now: datetime | None = None):
    """The link in the e-mail was followed: the registration takes its place (seat or waiting)."""
    now = now or timezone.now()
    edition, locked = _locked_registration(registration)
    if locked.status != RegistrationStatus.PENDING_CONFIRMATION:
        return _sync(registration, locked)  # followed twice: nothing more to do
    try:
        _check_registrable(edition, locked.attendance, now=now)
    except ValidationError:
        raise ValidationError(_("Les inscriptions sont closes."), code="closed") from None
    from_status = locked.status
    locked.email_confirmed_at = now
    _take_place(edition, locked, now=now)
    locked.save()
    _log(
        locked,
        action="registration_email_confirmed",
        from_status=from_status,
        to_status=locked.status,
    )
    _email_status(locked)
    return _sync(registration, locked)


def _offer_deadline(edition: Edition, now: datetime) -> datetime:
    deadline = min(now + OFFER_DURATION, edition.starts_at - OFFER_CLOSES_BEFORE_START)
    if deadline < now + OFFER_MINIMUM:
        deadline = max(edition.starts_at, now + OFFER_MINIMUM)
    return deadline


def _offer_free_seats(locked: Edition, attendance: str, *, now: datetime) -> int:
    """Under the edition lock: offer every free seat to the next waiting people, in order."""
    if locked.status != EditionStatus.PUBLISHED or locked.ends_at <= now:
        return 0
    offered = 0
    while _has_free_seat(locked, attendance):
        following = (
            Registration.objects.select_for_update()
            .filter(edition=locked, attendance=attendance, status=RegistrationStatus.WAITING)
            .order_by("sequence", "pk")
            .first()
        )
        if following is None:
            break
        following.edition = locked
        following.status = RegistrationStatus.OFFERED
        following.offered_at = now
        following.offer_expires_at = _offer_deadline(locked, now)
        following.save(update_fields=["status", "offered_at", "offer_expires_at", "updated_at"])
        _log(
            following,
            action="registration_offered",
            from_status=RegistrationStatus.WAITING,
            to_status=following.status,
        )
        _email_registration(
            following,
            subject=_("Une place s'est libérée : %(title)s"),
            template="meetings/emails/registration_offered.txt",
        )
        offered += 1
    return offered


@transaction.atomic
def registration_cancel(
    *, registration: Registration, actor=None, now: datetime | None = None
) -> Registration:
    """Cancel (from the link of any e-mail, by the person, or by an organiser).

    A freed seat is offered to the first waiting person at once.
    """
    now = now or timezone.now()
    edition, locked = _locked_registration(registration)
    if locked.status not in ACTIVE_REGISTRATION_STATUSES:
        raise ValidationError(_("Cette inscription n'est plus active."), code="invalid_transition")
    from_status = locked.status
    freed = locked.status in SEAT_HOLDING_STATUSES
    locked.status = RegistrationStatus.CANCELLED
    locked.cancelled_at = now
    locked.offer_expires_at = None
    locked.save()
    signed_in = actor is not None and actor.is_authenticated
    _log(
        locked,
        action="registration_cancelled",
        actor=actor if signed_in else None,
        from_status=from_status,
        to_status=locked.status,
    )
    _email_registration(
        locked,
        subject=_("Inscription annulée : %(title)s"),
        template="meetings/emails/registration_cancelled.txt",
    )
    if freed:
        _offer_free_seats(edition, locked.attendance, now=now)
    return _sync(registration, locked)


def registration_accept_offer(
    *, registration: Registration, now: datetime | None = None
) -> Registration:
    """The waiting person takes the offered seat before the deadline.

    Too late: the offer expires (committed, the seat goes to the next person), then we say so.
    """
    now = now or timezone.now()
    with transaction.atomic():
        edition, locked = _locked_registration(registration)
        if locked.status == RegistrationStatus.CONFIRMED:
            return _sync(registration, locked)
        if locked.status != RegistrationStatus.OFFERED:
            raise ValidationError(
                _("Aucune place ne vous est proposée."), code="invalid_transition"
            )
        too_late = locked.offer_expires_at is not None and locked.offer_expires_at <= now
        if too_late:
            _expire(edition, locked, now=now)
        else:
            locked.status = RegistrationStatus.CONFIRMED
            locked.confirmed_at = now
            locked.offer_expires_at = None
            locked.save()
            _log(
                locked,
                action="registration_offer_accepted",
                from_status=RegistrationStatus.OFFERED,
                to_status=locked.status,
            )
            _email_status(locked)
    _sync(registration, locked)
    if too_late:
        raise ValidationError(_("Le délai pour confirmer cette place est passé."), code="expired")
    return registration


def _expire(edition: Edition, locked: Registration, *, now: datetime) -> None:
    locked.status = RegistrationStatus.EXPIRED
    locked.save(update_fields=["status", "updated_at"])
    _log(
        locked,
        action="registration_offer_expired",
        from_status=RegistrationStatus.OFFERED,
        to_status=locked.status,
    )
    _email_registration(
        locked,
        subject=_("Place non confirmée à temps : %(title)s"),
        template="meetings/emails/registration_expired.txt",
    )
    _offer_free_seats(edition, locked.attendance, now=now)


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
            edition, locked = _locked_registration(registration)
            if locked.status != RegistrationStatus.OFFERED or locked.offer_expires_at > now:
                continue  # accepted or cancelled meanwhile
            _expire(edition, locked, now=now)
            expired += 1
    return expired


@transaction.atomic
def registration_check_in(
    *, registration: Registration, actor: User, present: bool = True, now: datetime | None = None
) -> Registration:
    if not permissions.can_check_in(actor, registration.edition):
        raise PermissionDenied
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if locked.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("Seules les inscriptions confirmées sont pointées."))
    locked.checked_in_at = (now or timezone.now()) if present else None
    locked.save(update_fields=["checked_in_at", "updated_at"])
    action = "registration_checked_in" if present else "registration_check_in_undone"
    _log(locked, action=action, actor=actor)
    return _sync(registration, locked)


# --- Call for pitches and agenda -----------------------------------------------


@transaction.atomic
def pitch_apply(
    *,
    edition: Edition,
    actor: User,
    pitch: str,
    speaker_name: str,
    project=None,
    challenge=None,
) -> PitchApplication:
    if (project is None) == (challenge is None):
        raise ValidationError(_("Choisissez un projet ou un défi (un seul)."))
    if project is not None and not permissions.can_apply_with_project(actor, project):
        raise PermissionDenied
    if challenge is not None and not permissions.can_apply_with_challenge(actor, challenge):
        raise PermissionDenied
    locked = _locked_edition(edition)
    if not (locked.status == EditionStatus.PUBLISHED and locked.call_for_pitches_open):
        raise ValidationError(_("L'appel à présentations est fermé."), code="closed")
    existing = locked.pitches.exclude(status=PitchStatus.DECLINED)
    if (project and existing.filter(project=project).exists()) or (
        challenge and existing.filter(challenge=challenge).exists()
    ):
        raise ValidationError(_("Une proposition existe déjà pour cette rencontre."))
    application = PitchApplication(
        edition=locked,
        project=project,
        challenge=challenge,
        pitch=pitch,
        speaker_name=speaker_name,
        submitted_by=actor,
    )
    application.full_clean()
    application.save()
    _log(application, action="pitch_submitted", actor=actor, to_status=application.status)
    return application


def _next_order(edition: Edition) -> int:
    return (edition.agenda_items.aggregate(top=Max("order"))["top"] or 0) + 1


@transaction.atomic
def pitch_decide(*, pitch: PitchApplication, actor: User, accept: bool) -> PitchApplication:
    """Accept (the pitch becomes an agenda item at the end) or decline an application."""
    if not permissions.can_edit_agenda(actor, pitch.edition):
        raise PermissionDenied
    locked = PitchApplication.objects.select_for_update().get(pk=pitch.pk)
    if locked.status != PitchStatus.SUBMITTED:
        raise ValidationError(
            _("Cette proposition a déjà été examinée."), code="invalid_transition"
        )
    locked.status = PitchStatus.ACCEPTED if accept else PitchStatus.DECLINED
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_at", "updated_at"])
    if accept:
        AgendaItem.objects.create(
            edition=locked.edition,
            order=_next_order(locked.edition),
            title=locked.subject_title,
            speakers=locked.speaker_name,
            kind=AgendaItemKind.PITCH,
            project=locked.project,
            challenge=locked.challenge,
            pitch=locked,
        )
    _log(
        locked,
        action="pitch_accepted" if accept else "pitch_declined",
        actor=actor,
        from_status=PitchStatus.SUBMITTED,
        to_status=locked.status,
    )
    if locked.submitted_by_id:
        _send_after_commit(
            to=[locked.submitted_by.email],
            subject=_("Votre proposition de présentation : %(title)s")
            % {"title": locked.edition.title},
            template="meetings/emails/pitch_decided.txt",
            pitch=locked,
            edition=locked.edition,
            link=absolute_url(reverse("meetings:edition_detail", args=[locked.edition.slug])),
        )
    pitch.status = locked.status
    return locked


AGENDA_FIELDS = (
    "order",
    "starts_at",
    "duration_minutes",
    "title",
    "speakers",
    "kind",
    "project",
    "challenge",
)


@transaction.atomic
def agenda_item_save(
    *, edition: Edition, actor: User, item: AgendaItem | None = None, **fields
) -> AgendaItem:
    if not permissions.can_edit_agenda(actor, edition):
        raise PermissionDenied
    _check_fields(fields, AGENDA_FIELDS)
    if item is None:
        item = AgendaItem(edition=edition)
        if not fields.get("order"):
            fields["order"] = _next_order(edition)
    elif item.edition_id != edition.pk:
        raise PermissionDenied
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    _log(edition, action="agenda_item_saved", actor=actor, reason=item.title)
    return item


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, actor: User) -> None:
    if not permissions.can_edit_agenda(actor, item.edition):
        raise PermissionDenied
    _log(item.edition, action="agenda_item_deleted", actor=actor, reason=item.title)
    item.delete()


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, actor: User, up: bool) -> None:
    """Swap with the neighbour above (or below); renumbers the agenda 1..n."""
    if not permissions.can_edit_agenda(actor, item.edition):
        raise PermissionDenied
    _locked_edition(item.edition)
    items = list(item.edition.agenda_items.order_by("order", "starts_at", "pk"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if up else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items, start=1):
        if other.order != position:
            other.order = position
            other.save(update_fields=["order"])


# --- Minutes and resources -----------------------------------------------------


@transaction.atomic
def edition_minutes_save(
    *,
    edition: Edition,
    actor: User,
    minutes: str,
    replay_url: str = "",
    slides_url: str = "",
    publish: bool = True,
    now: datetime | None = None,
) -> Edition:
    """Save the minutes (Markdown, sanitised when shown); publish them on the edition's page."""
    if not permissions.can_publish_minutes(actor, edition):
        raise PermissionDenied
    locked = _locked_edition(edition)
    locked.minutes = minutes
    locked.replay_url = replay_url
    locked.slides_url = slides_url
    if publish and not minutes.strip():
        raise ValidationError({"minutes": _("Le compte rendu est vide.")})
    was_published = locked.minutes_published_at is not None
    locked.minutes_published_at = (
        (locked.minutes_published_at or now or timezone.now()) if publish else None
    )
    locked.full_clean()
    locked.save(
        update_fields=["minutes", "replay_url", "slides_url", "minutes_published_at", "updated_at"]
    )
    if publish and not was_published:
        _log(locked, action="edition_minutes_published", actor=actor)
    else:
        _log(locked, action="edition_minutes_saved", actor=actor)
    for name in ("minutes", "replay_url", "slides_url", "minutes_published_at"):
        setattr(edition, name, getattr(locked, name))
    return edition


MAX_RESOURCES_PER_EDITION = 20


@transaction.atomic
def edition_resource_add(
    *, edition: Edition, actor: User, kind: str, title: str, url: str = "", file=None
) -> EditionResource:
    if not permissions.can_publish_minutes(actor, edition):
        raise PermissionDenied
    locked = _locked_edition(edition)
    if locked.resources.count() >= MAX_RESOURCES_PER_EDITION:
        raise ValidationError(
            _("Une rencontre a %(count)s ressources au plus.")
            % {"count": MAX_RESOURCES_PER_EDITION}
        )
    if bool(url) == bool(file):
        raise ValidationError(_("Donnez un lien ou un fichier (un seul)."))
    resource = EditionResource(
        edition=locked, kind=kind, title=title, url=url or "", created_by=actor
    )
    if file:
        resource.file = file
    resource.full_clean()
    resource.save()
    _log(locked, action="edition_resource_added", actor=actor, reason=title)
    return resource


@transaction.atomic
def edition_resource_delete(*, resource: EditionResource, actor: User) -> None:
    if not permissions.can_publish_minutes(actor, resource.edition):
        raise PermissionDenied
    _log(resource.edition, action="edition_resource_deleted", actor=actor, reason=resource.title)
    if resource.file:
        resource.file.delete(save=False)
    resource.delete()


# --- Action items ---------------------------------------------------------------


def _owner_required() -> str:
    return _("Indiquez qui s'en charge : une organisation ou une personne.")


ACTION_FIELDS = (
    "title",
    "description",
    "owner_organisation",
    "owner_user",
    "due_date",
    "project",
    "challenge",
)


@transaction.atomic
def action_item_create(*, edition: Edition, actor: User, **fields) -> ActionItem:
    if not permissions.can_manage_actions(actor, edition):
        raise PermissionDenied
    _check_fields(fields, ACTION_FIELDS)
    item = ActionItem(edition=edition, created_by=actor, **fields)
    if not (item.owner_organisation_id or item.owner_user_id):
        raise ValidationError({"owner_organisation": _owner_required()})
    item.full_clean()
    item.save()
    _log(item, action="action_item_created", actor=actor, to_status=item.status)
    owners = _action_owner_emails(item)
    _send_after_commit(
        to=owners,
        subject=_("Une action vous est confiée : %(title)s") % {"title": item.title},
        template="meetings/emails/action_assigned.txt",
        item=item,
        edition=edition,
        link=absolute_url(reverse("meetings:action_update", args=[item.pk])),
    )
    return item


def _action_owner_emails(item: ActionItem) -> list[str]:
    from .selectors import action_item_owner_emails

    return action_item_owner_emails(item)


@transaction.atomic
def action_item_update(*, item: ActionItem, actor: User, **fields) -> ActionItem:
    """Organisers change what, who, by when."""
    if not permissions.can_manage_actions(actor, item.edition):
        raise PermissionDenied
    _check_fields(fields, ACTION_FIELDS)
    locked = ActionItem.objects.select_for_update().get(pk=item.pk)
    for name, value in fields.items():
        setattr(locked, name, value)
    if not (locked.owner_organisation_id or locked.owner_user_id):
        raise ValidationError({"owner_organisation": _owner_required()})
    locked.full_clean()
    locked.save()
    _log(locked, action="action_item_updated", actor=actor, reason=", ".join(fields))
    return locked


@transaction.atomic
def action_item_set_status(
    *, item: ActionItem, actor: User, status: str, note: str | None = None
) -> ActionItem:
    """Owners (and organisers) move an action along: open ⇄ in progress → done, or dropped."""
    if not permissions.can_update_action_item(actor, item):
        raise PermissionDenied
    locked = ActionItem.objects.select_for_update().get(pk=item.pk)
    from_status = locked.status
    if status != from_status:
        if status not in ACTION_TRANSITIONS.get(from_status, set()):
            raise ValidationError(
                {"status": _("Ce changement de statut n'est pas possible.")},
                code="invalid_transition",
            )
        locked.status = status
    if note is not None:
        locked.status_note = note
    locked.full_clean()
    locked.save()
    _log(
        locked,
        action="action_item_status_changed",
        actor=actor,
        from_status=from_status,
        to_status=locked.status,
        reason=note or "",
    )
    item.status, item.status_note = locked.status, locked.status_note
    return locked
