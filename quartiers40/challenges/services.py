"""Every write of the défis domain: posting, support, comments, offers, lifecycle, moderation.

The lifecycle is an explicit state machine (`CHALLENGE_TRANSITIONS`): each transition locks the
row (`select_for_update`), checks the current status, records a public step
(`ChallengeStatusChange`) and a journal line (`core.ActionLog`), and e-mails the supporters and
the author after commit, one message each (nobody sees the others' addresses).
"""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from quartiers40.core.emails import absolute_url, email_each
from quartiers40.core.services import action_log_record
from quartiers40.members.models import Organisation, User
from quartiers40.members.permissions import is_coordination

from . import permissions, selectors
from .enums import ChallengeStatus, ModerationState, OfferState, ReportTarget
from .models import (
    CHALLENGE_EDITABLE_FIELDS,
    MAX_ATTACHMENTS_PER_CHALLENGE,
    Challenge,
    ChallengeAttachment,
    ChallengeComment,
    ChallengeOffer,
    ChallengeReport,
    ChallengeStatusChange,
    ChallengeSupport,
)

# New accounts: their défis wait for the coordination team until one is approved.
NEW_ACCOUNT_DAYS = 7

# The lifecycle: (from, to) → the action that makes it.
CHALLENGE_TRANSITIONS: dict[tuple[str, str], str] = {
    (ChallengeStatus.OPEN, ChallengeStatus.BEING_ADDRESSED): "challenge_offer_accepted",
    (ChallengeStatus.BEING_ADDRESSED, ChallengeStatus.SOLVED): "challenge_solved",
    (ChallengeStatus.OPEN, ChallengeStatus.CLOSED): "challenge_closed",
    (ChallengeStatus.BEING_ADDRESSED, ChallengeStatus.CLOSED): "challenge_closed",
    (ChallengeStatus.CLOSED, ChallengeStatus.OPEN): "challenge_reopened",
}

# Slugs that would shadow a page of the défis (/defis/nouveau/).
RESERVED_SLUGS = {"nouveau", "moderation", "similaires", "carte", "export"}


def _unique_slug(title: str) -> str:
    base = slugify(title)[:200] or "defi"
    if base in RESERVED_SLUGS:
        base = f"defi-{base}"
    slug = base
    index = 2
    while Challenge.objects.filter(slug=slug).exists():
        slug = f"{base}-{index}"
        index += 1
    return slug


def department_of(*, qpvs=(), commune_insee: str = "") -> str:
    """The département: of the first QPV, else of the commune's INSEE code."""
    for qpv in qpvs:
        if qpv.department_code:
            return qpv.department_code
    code = (commune_insee or "").strip().upper()
    if len(code) != 5:
        return ""
    return code[:3] if code.startswith("97") else code[:2]


def _locked(challenge: Challenge) -> Challenge:
    return Challenge.objects.select_for_update().get(pk=challenge.pk)


def _refresh(challenge: Challenge, locked: Challenge) -> Challenge:
    for field in Challenge._meta.concrete_fields:
        setattr(challenge, field.attname, getattr(locked, field.attname))
    return challenge


def _email_each(people, *, subject: str, template: str, exclude=None, **context) -> None:
    """One message per person, after commit (a supporter never sees the others' addresses)."""
    email_each(
        to=people.exclude(pk=getattr(exclude, "pk", None)).values_list("email", flat=True),
        subject=subject,
        template=template,
        context=context,
    )


def _context(challenge: Challenge) -> dict:
    """What every e-mail may say of a défi: never who posted it (see `challenge_public_author`)."""
    return {
        "title": challenge.title,
        "url": absolute_url(challenge.get_absolute_url()),
        "status_label": challenge.get_status_display(),
    }


# --- Posting and editing ------------------------------------------------------------------


def challenge_needs_moderation(user: User, *, now: datetime | None = None) -> bool:
    """A new account's défis wait for the team until one of them is approved.

    Trusted at once: the team, people of a member organisation, accounts older than
    NEW_ACCOUNT_DAYS, and whoever already has a visible défi.
    """
    if is_coordination(user):
        return False
    if permissions.offering_organisations(user).exists():
        return False
    now = now or timezone.now()
    if user.date_joined <= now - timedelta(days=NEW_ACCOUNT_DAYS):
        return False
    return not Challenge.objects.filter(author=user, moderation=ModerationState.VISIBLE).exists()


def _check_fields(fields: dict) -> None:
    for name in fields:
        if name not in CHALLENGE_EDITABLE_FIELDS:
            raise ValueError(f"{name} cannot be changed here")


def _check_place(qpvs, commune_name: str) -> None:
    if not list(qpvs) and not (commune_name or "").strip():
        raise ValidationError(
            {"qpvs": _("Indiquez au moins un quartier prioritaire ou une commune.")}
        )


@transaction.atomic
def challenge_post(
    *,
    actor: User,
    qpvs=(),
    organisation: Organisation | None = None,
    on_behalf_of_resident: bool = False,
    resident_consent: bool = False,
    now: datetime | None = None,
    **fields,
) -> Challenge:
    """Post a défi. A new account's défi waits for moderation (`moderation == pending`)."""
    if not permissions.can_post_challenge(actor):
        raise PermissionDenied
    _check_fields(fields)
    qpvs = list(qpvs)
    if (
        organisation is not None
        and not permissions.offering_organisations(actor).filter(pk=organisation.pk).exists()
    ):
        raise PermissionDenied
    if on_behalf_of_resident:
        if not permissions.can_post_for_resident(actor):
            raise PermissionDenied
        if not resident_consent:
            raise ValidationError(
                {
                    "resident_consent": _(
                        "Cochez la case : l'habitant·e doit avoir donné son accord."
                    )
                }
            )
    now = now or timezone.now()
    challenge = Challenge(author=actor, organisation=organisation, **fields)
    challenge.on_behalf_of_resident = bool(on_behalf_of_resident)
    challenge.resident_consent_at = now if on_behalf_of_resident else None
    challenge.slug = _unique_slug(challenge.title)
    challenge.department = department_of(qpvs=qpvs, commune_insee=challenge.commune_insee)
    challenge.status_changed_at = now
    challenge.moderation = (
        ModerationState.PENDING
        if challenge_needs_moderation(actor, now=now)
        else ModerationState.VISIBLE
    )
    _check_place(qpvs, challenge.commune_name)
    challenge.full_clean()
    challenge.save()
    challenge.qpvs.set(qpvs)
    ChallengeStatusChange.objects.create(
        challenge=challenge, from_status="", to_status=challenge.status, actor=actor
    )
    action_log_record(
        target=challenge,
        action="challenge_posted",
        actor=actor,
        to_status=challenge.status,
        reason="on_behalf_of_resident" if on_behalf_of_resident else "",
    )
    if challenge.moderation == ModerationState.PENDING:
        _email_each(
            User.objects.coordination(),
            subject=_("Défi à modérer : %(title)s") % {"title": challenge.title},
            template="challenges/emails/to_moderate.txt",
            **_context(challenge),
        )
    return challenge


@transaction.atomic
def challenge_update(*, challenge: Challenge, actor: User, qpvs=None, **fields) -> list[str]:
    """Change a défi's text or place; returns the names of the fields that changed."""
    if not permissions.can_edit_challenge(actor, challenge):
        raise PermissionDenied
    _check_fields(fields)
    locked = _locked(challenge)
    changed = []
    for name, value in fields.items():
        if getattr(locked, name) != value:
            setattr(locked, name, value)
            changed.append(name)
    current_qpvs = list(locked.qpvs.all())
    if qpvs is not None:
        qpvs = list(qpvs)
        if {q.pk for q in qpvs} != {q.pk for q in current_qpvs}:
            changed.append("qpvs")
    place_qpvs = qpvs if qpvs is not None else current_qpvs
    _check_place(place_qpvs, locked.commune_name)
    if not changed:
        return []
    locked.department = department_of(qpvs=place_qpvs, commune_insee=locked.commune_insee)
    locked.full_clean()
    locked.save()
    if "qpvs" in changed:
        locked.qpvs.set(qpvs)
    action_log_record(
        target=locked, action="challenge_updated", actor=actor, reason=", ".join(changed)
    )
    _refresh(challenge, locked)
    return changed


@transaction.atomic
def challenge_attachment_add(
    *, challenge: Challenge, actor: User, file, title: str
) -> ChallengeAttachment:
    if not permissions.can_edit_challenge(actor, challenge):
        raise PermissionDenied
    locked = _locked(challenge)
    if locked.attachments.count() >= MAX_ATTACHMENTS_PER_CHALLENGE:
        raise ValidationError(
            _("Un défi a %(count)s pièces jointes au plus.")
            % {"count": MAX_ATTACHMENTS_PER_CHALLENGE}
        )
    attachment = ChallengeAttachment(challenge=locked, file=file, title=title)
    attachment.full_clean()
    attachment.save()
    return attachment


@transaction.atomic
def challenge_attachment_remove(*, attachment: ChallengeAttachment, actor: User) -> None:
    if not permissions.can_edit_challenge(actor, attachment.challenge):
        raise PermissionDenied
    attachment.file.delete(save=False)
    attachment.delete()


# --- Support ------------------------------------------------------------------------------


@transaction.atomic
def challenge_support(*, challenge: Challenge, user: User) -> bool:
    """« Je soutiens »: True if counted now, False if the person already supported it.

    The challenge row is locked, the unique constraint has the last word, and the count moves
    with the row, so concurrent clicks neither fail nor count twice.
    """
    if not permissions.can_support_challenge(user, challenge):
        raise PermissionDenied
    locked = _locked(challenge)
    if locked.supports.filter(user=user).exists():
        return False
    try:
        with transaction.atomic():
            ChallengeSupport.objects.create(challenge=locked, user=user)
    except IntegrityError:
        return False
    Challenge.objects.filter(pk=locked.pk).update(supports_count=F("supports_count") + 1)
    challenge.supports_count = locked.supports_count + 1
    return True


@transaction.atomic
def challenge_unsupport(*, challenge: Challenge, user: User) -> bool:
    if not user.is_authenticated:
        raise PermissionDenied
    locked = _locked(challenge)
    deleted, _detail = ChallengeSupport.objects.filter(challenge=locked, user=user).delete()
    if deleted:
        Challenge.objects.filter(pk=locked.pk).update(supports_count=F("supports_count") - deleted)
        challenge.supports_count = locked.supports_count - deleted
    return bool(deleted)


def _recount_supports(challenge: Challenge) -> int:
    count = ChallengeSupport.objects.filter(challenge=challenge).count()
    Challenge.objects.filter(pk=challenge.pk).update(supports_count=count)
    challenge.supports_count = count
    return count


# --- Comments -----------------------------------------------------------------------------


@transaction.atomic
def challenge_comment_add(
    *,
    challenge: Challenge,
    author: User,
    body: str,
    parent: ChallengeComment | None = None,
) -> ChallengeComment:
    """A comment, or a reply to a top-level comment (one level of replies)."""
    if not permissions.can_comment_challenge(author, challenge):
        raise PermissionDenied
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Écrivez votre commentaire.")})
    comment = ChallengeComment(challenge=challenge, author=author, parent=parent, body=body)
    if parent is not None and parent.hidden:
        raise ValidationError({"parent": _("Ce commentaire a été masqué.")})
    comment.full_clean()
    comment.save()
    action_log_record(target=comment, action="challenge_comment_added", actor=author)
    return comment


@transaction.atomic
def challenge_comment_edit(
    *, comment: ChallengeComment, actor: User, body: str, now: datetime | None = None
) -> ChallengeComment:
    now = now or timezone.now()
    if not permissions.can_edit_comment(actor, comment, now=now):
        raise PermissionDenied
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Écrivez votre commentaire.")})
    comment.body = body
    comment.edited_at = now
    comment.full_clean()
    comment.save(update_fields=["body", "edited_at"])
    return comment


@transaction.atomic
def challenge_comment_hide(
    *, comment: ChallengeComment, actor: User, reason: str
) -> ChallengeComment:
    if not permissions.can_moderate(actor):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez le motif.")})
    comment.hidden = True
    comment.hidden_reason = reason
    comment.save(update_fields=["hidden", "hidden_reason"])
    action_log_record(target=comment, action="challenge_comment_hidden", actor=actor, reason=reason)
    ChallengeReport.objects.filter(comment=comment, resolved=False).update(
        resolved=True, resolved_at=timezone.now(), resolved_by=actor
    )
    return comment


@transaction.atomic
def challenge_comment_unhide(*, comment: ChallengeComment, actor: User) -> ChallengeComment:
    if not permissions.can_moderate(actor):
        raise PermissionDenied
    comment.hidden = False
    comment.hidden_reason = ""
    comment.save(update_fields=["hidden", "hidden_reason"])
    action_log_record(target=comment, action="challenge_comment_unhidden", actor=actor)
    return comment


# --- Moderation ---------------------------------------------------------------------------


def _moderate(
    *, challenge: Challenge, actor: User, to: str, action: str, reason: str = ""
) -> Challenge:
    locked = _locked(challenge)
    from_state = locked.moderation
    locked.moderation = to
    locked.hidden_reason = reason if to == ModerationState.HIDDEN else ""
    locked.save(update_fields=["moderation", "hidden_reason", "updated_at"])
    action_log_record(
        target=locked,
        action=action,
        actor=actor,
        from_status=from_state,
        to_status=to,
        reason=reason,
    )
    return _refresh(challenge, locked)


@transaction.atomic
def challenge_approve(*, challenge: Challenge, actor: User) -> Challenge:
    """A défi waiting for moderation becomes visible."""
    if not permissions.can_moderate(actor):
        raise PermissionDenied
    if challenge.moderation != ModerationState.PENDING:
        raise ValidationError(_("Ce défi n'attend pas de modération."))
    _moderate(
        challenge=challenge,
        actor=actor,
        to=ModerationState.VISIBLE,
        action="challenge_approved",
    )
    if challenge.author_id:
        _email_each(
            User.objects.filter(pk=challenge.author_id, is_active=True),
            subject=_("Votre défi est en ligne : %(title)s") % {"title": challenge.title},
            template="challenges/emails/approved.txt",
            **_context(challenge),
        )
    return challenge


@transaction.atomic
def challenge_hide(*, challenge: Challenge, actor: User, reason: str) -> Challenge:
    if not permissions.can_moderate(actor):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez le motif.")})
    _moderate(
        challenge=challenge,
        actor=actor,
        to=ModerationState.HIDDEN,
        action="challenge_hidden",
        reason=reason,
    )
    ChallengeReport.objects.filter(
        challenge=challenge, target=ReportTarget.CHALLENGE, resolved=False
    ).update(resolved=True, resolved_at=timezone.now(), resolved_by=actor)
    if challenge.author_id:
        _email_each(
            User.objects.filter(pk=challenge.author_id, is_active=True),
            subject=_("Votre défi a été masqué : %(title)s") % {"title": challenge.title},
            template="challenges/emails/hidden.txt",
            reason=reason,
            **_context(challenge),
        )
    return challenge


@transaction.atomic
def challenge_unhide(*, challenge: Challenge, actor: User) -> Challenge:
    if not permissions.can_moderate(actor):
        raise PermissionDenied
    return _moderate(
        challenge=challenge,
        actor=actor,
        to=ModerationState.VISIBLE,
        action="challenge_unhidden",
    )


@transaction.atomic
def challenge_report(
    *,
    challenge: Challenge,
    reporter: User,
    reason: str,
    comment: ChallengeComment | None = None,
) -> ChallengeReport:
    """Report abuse on a défi or one of its comments, for the coordination team."""
    if not permissions.can_report(reporter):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Dites-nous ce qui pose problème.")})
    if comment is not None and comment.challenge_id != challenge.pk:
        raise ValidationError(_("Ce commentaire est sur un autre défi."))
    report = ChallengeReport(
        challenge=challenge,
        comment=comment,
        target=ReportTarget.COMMENT if comment is not None else ReportTarget.CHALLENGE,
        reporter=reporter,
        reason=reason,
    )
    report.full_clean()
    report.save()
    action_log_record(target=challenge, action="challenge_reported", actor=reporter)
    _email_each(
        User.objects.coordination(),
        subject=_("Signalement sur un défi : %(title)s") % {"title": challenge.title},
        template="challenges/emails/reported.txt",
        **_context(challenge),
    )
    return report


@transaction.atomic
def challenge_report_resolve(*, report: ChallengeReport, actor: User) -> ChallengeReport:
    if not permissions.can_moderate(actor):
        raise PermissionDenied
    report.resolved = True
    report.resolved_at = timezone.now()
    report.resolved_by = actor
    report.save(update_fields=["resolved", "resolved_at", "resolved_by"])
    return report


# --- Merging duplicates -------------------------------------------------------------------


@transaction.atomic
def challenge_merge(*, keep: Challenge, duplicate: Challenge, actor: User) -> Challenge:
    """Merge `duplicate` into `keep`: its supports (each person once), comments, offers and
    reports move to `keep`; `duplicate` becomes a redirect to it."""
    if not permissions.can_merge_challenges(actor):
        raise PermissionDenied
    if keep.pk == duplicate.pk:
        raise ValidationError(_("Choisissez deux défis différents."))
    # Lock both rows in a fixed order (no deadlock with a concurrent merge).
    locked = {
        c.pk: c
        for c in Challenge.objects.select_for_update()
        .filter(pk__in=[keep.pk, duplicate.pk])
        .order_by("pk")
    }
    kept, merged = locked[keep.pk], locked[duplicate.pk]
    if kept.merged_into_id is not None or merged.merged_into_id is not None:
        raise ValidationError(_("Un de ces défis a déjà été fusionné."))
    already = ChallengeSupport.objects.filter(challenge=kept).values("user_id")
    ChallengeSupport.objects.filter(challenge=merged, user_id__in=already).delete()
    ChallengeSupport.objects.filter(challenge=merged).update(challenge=kept)
    ChallengeComment.objects.filter(challenge=merged).update(challenge=kept)
    ChallengeOffer.objects.filter(challenge=merged).update(challenge=kept)
    ChallengeReport.objects.filter(challenge=merged).update(challenge=kept)
    Challenge.objects.filter(merged_into=merged).update(merged_into=kept)
    merged.merged_into = kept
    merged.save(update_fields=["merged_into", "updated_at"])
    _recount_supports(kept)
    _recount_supports(merged)
    action_log_record(
        target=merged, action="challenge_merged", actor=actor, reason=f"into {kept.pk}"
    )
    action_log_record(
        target=kept, action="challenge_merge_kept", actor=actor, reason=f"from {merged.pk}"
    )
    _refresh(keep, kept)
    _refresh(duplicate, merged)
    return keep


# --- Lifecycle ----------------------------------------------------------------------------


def _transition(
    *,
    challenge: Challenge,
    to_status: str,
    actor: User,
    note: str = "",
    locked: Challenge | None = None,
) -> tuple[Challenge, str]:
    """Lock, check (from, to) against CHALLENGE_TRANSITIONS, move, log, e-mail after commit."""
    locked = locked or _locked(challenge)
    from_status = locked.status
    action = CHALLENGE_TRANSITIONS.get((from_status, to_status))
    if action is None:
        raise ValidationError(
            _("Cette action n'est pas possible pour un défi « %(status)s ».")
            % {"status": locked.get_status_display()},
            code="invalid_transition",
        )
    locked.status = to_status
    locked.status_changed_at = timezone.now()
    ChallengeStatusChange.objects.create(
        challenge=locked, from_status=from_status, to_status=to_status, actor=actor, note=note
    )
    action_log_record(
        target=locked,
        action=action,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        reason=note,
    )
    return locked, action


def _email_step(locked: Challenge, *, action: str, actor: User, **context) -> None:
    subjects = {
        "challenge_offer_accepted": _("Un défi que vous suivez avance : %(title)s"),
        "challenge_solved": _("Un défi que vous suivez est résolu : %(title)s"),
        "challenge_closed": _("Un défi que vous suivez est fermé : %(title)s"),
        "challenge_reopened": _("Un défi que vous suivez est rouvert : %(title)s"),
    }
    _email_each(
        selectors.challenge_recipients(locked),
        subject=subjects[action] % {"title": locked.title},
        template=f"challenges/emails/status_{locked.status}.txt",
        exclude=actor,
        **_context(locked),
        **context,
    )


@transaction.atomic
def challenge_offer_make(
    *,
    challenge: Challenge,
    actor: User,
    organisation: Organisation,
    proposal: str,
    project=None,
) -> ChallengeOffer:
    """« Nous pouvons aider »: an organisation's proposal, possibly with one of its projects."""
    if not permissions.can_offer_help(actor, challenge):
        raise PermissionDenied
    if not permissions.offering_organisations(actor).filter(pk=organisation.pk).exists():
        raise PermissionDenied
    if project is not None and project.carrier_id != organisation.pk:
        raise ValidationError({"project": _("Ce projet n'est pas porté par cette organisation.")})
    proposal = (proposal or "").strip()
    if not proposal:
        raise ValidationError({"proposal": _("Décrivez ce que vous proposez.")})
    if ChallengeOffer.objects.filter(
        challenge=challenge, organisation=organisation, state=OfferState.PENDING
    ).exists():
        raise ValidationError(
            _("Votre organisation a déjà une proposition en attente sur ce défi.")
        )
    offer = ChallengeOffer(
        challenge=challenge,
        organisation=organisation,
        author=actor,
        proposal=proposal,
        project=project,
    )
    offer.full_clean()
    offer.save()
    action_log_record(
        target=challenge,
        action="challenge_offer_made",
        actor=actor,
        reason=organisation.name,
    )
    _email_each(
        selectors.challenge_managers(challenge),
        subject=_("Une organisation propose son aide : %(title)s") % {"title": challenge.title},
        template="challenges/emails/offer_made.txt",
        exclude=actor,
        organisation=organisation.name,
        proposal=proposal,
        **_context(challenge),
    )
    return offer


def _locked_offer(offer: ChallengeOffer) -> ChallengeOffer:
    return ChallengeOffer.objects.select_for_update().get(pk=offer.pk)


def _draft_project_from_offer(offer: ChallengeOffer, challenge: Challenge):
    """A new draft project of the offering organisation, created by whoever offered."""
    from quartiers40.projects import permissions as project_permissions
    from quartiers40.projects.services import project_create

    creator = offer.author
    if creator is None or not project_permissions.can_create_project_for(
        creator, offer.organisation
    ):
        raise ValidationError(
            _(
                "La personne qui a fait cette proposition ne fait plus partie de "
                "l'organisation : impossible de créer le projet."
            )
        )
    return project_create(
        actor=creator,
        carrier=offer.organisation,
        qpvs=list(challenge.qpvs.all()),
        title=challenge.title[:200],
        summary=(_("En réponse au défi : %(title)s") % {"title": challenge.title})[:240],
        problem=challenge.situation[:4000],
        description=offer.proposal,
        themes=list(challenge.themes),
        departments=[challenge.department] if challenge.department else [],
    )


@transaction.atomic
def challenge_offer_accept(*, offer: ChallengeOffer, actor: User) -> ChallengeOffer:
    """Accept an offer: it links the défi to a project (the offer's, or a new draft), and an
    open défi becomes « being addressed »."""
    challenge = offer.challenge
    if not permissions.can_decide_offer(actor, challenge):
        raise PermissionDenied
    locked = _locked(challenge)
    offer = _locked_offer(offer)
    if offer.state != OfferState.PENDING:
        raise ValidationError(_("Cette proposition a déjà reçu une réponse."))
    if locked.status not in (ChallengeStatus.OPEN, ChallengeStatus.BEING_ADDRESSED):
        raise ValidationError(
            _("Cette action n'est pas possible pour un défi « %(status)s ».")
            % {"status": locked.get_status_display()}
        )
    if offer.project is None:
        offer.project = _draft_project_from_offer(offer, locked)
    offer.state = OfferState.ACCEPTED
    offer.decided_at = timezone.now()
    offer.save(update_fields=["state", "decided_at", "project"])
    action_log_record(
        target=locked,
        action="challenge_offer_decided",
        actor=actor,
        to_status=OfferState.ACCEPTED,
        reason=offer.organisation.name,
    )
    if locked.status == ChallengeStatus.OPEN:
        locked, action = _transition(
            challenge=locked,
            to_status=ChallengeStatus.BEING_ADDRESSED,
            actor=actor,
            note=offer.organisation.name,
            locked=locked,
        )
        locked.save(update_fields=["status", "status_changed_at", "updated_at"])
        _email_step(locked, action=action, actor=actor, organisation=offer.organisation.name)
    _email_each(
        User.objects.filter(pk=offer.author_id, is_active=True),
        subject=_("Votre proposition est acceptée : %(title)s") % {"title": locked.title},
        template="challenges/emails/offer_accepted.txt",
        project_url=absolute_url(offer.project.get_absolute_url()),
        **_context(locked),
    )
    _refresh(challenge, locked)
    return offer


@transaction.atomic
def challenge_offer_decline(
    *, offer: ChallengeOffer, actor: User, note: str = ""
) -> ChallengeOffer:
    if not permissions.can_decide_offer(actor, offer.challenge):
        raise PermissionDenied
    offer = _locked_offer(offer)
    if offer.state != OfferState.PENDING:
        raise ValidationError(_("Cette proposition a déjà reçu une réponse."))
    offer.state = OfferState.DECLINED
    offer.decided_at = timezone.now()
    offer.decision_note = (note or "").strip()
    offer.save(update_fields=["state", "decided_at", "decision_note"])
    action_log_record(
        target=offer.challenge,
        action="challenge_offer_decided",
        actor=actor,
        to_status=OfferState.DECLINED,
        reason=offer.organisation.name,
    )
    _email_each(
        User.objects.filter(pk=offer.author_id, is_active=True),
        subject=_("Réponse à votre proposition : %(title)s") % {"title": offer.challenge.title},
        template="challenges/emails/offer_declined.txt",
        note=offer.decision_note,
        **_context(offer.challenge),
    )
    return offer


@transaction.atomic
def challenge_offer_withdraw(*, offer: ChallengeOffer, actor: User) -> ChallengeOffer:
    if not permissions.can_withdraw_offer(actor, offer):
        raise PermissionDenied
    offer = _locked_offer(offer)
    if offer.state != OfferState.PENDING:
        raise ValidationError(_("Cette proposition a déjà reçu une réponse."))
    offer.state = OfferState.WITHDRAWN
    offer.decided_at = timezone.now()
    offer.save(update_fields=["state", "decided_at"])
    action_log_record(
        target=offer.challenge,
        action="challenge_offer_withdrawn",
        actor=actor,
        reason=offer.organisation.name,
    )
    return offer


@transaction.atomic
def challenge_solve(
    *,
    challenge: Challenge,
    actor: User,
    outcome_text: str,
    outcome_result: str,
    outcome_project=None,
) -> Challenge:
    """Record the outcome: what was done, with which project, the result in one line."""
    if not permissions.can_record_outcome(actor, challenge):
        raise PermissionDenied
    errors = {}
    outcome_text = (outcome_text or "").strip()
    outcome_result = (outcome_result or "").strip()
    if not outcome_text:
        errors["outcome_text"] = _("Racontez ce qui a été fait.")
    if not outcome_result:
        errors["outcome_result"] = _("Donnez le résultat en une ligne.")
    if errors:
        raise ValidationError(errors)
    locked = _locked(challenge)
    if outcome_project is not None and not (
        selectors.challenge_outcome_projects(locked).filter(pk=outcome_project.pk).exists()
    ):
        raise ValidationError(
            {"outcome_project": _("Choisissez le projet d'une proposition acceptée.")}
        )
    locked, action = _transition(
        challenge=locked,
        to_status=ChallengeStatus.SOLVED,
        actor=actor,
        note=outcome_result,
        locked=locked,
    )
    locked.outcome_text = outcome_text
    locked.outcome_result = outcome_result
    locked.outcome_project = outcome_project
    locked.full_clean()
    locked.save()
    _email_step(locked, action=action, actor=actor, outcome_result=outcome_result)
    return _refresh(challenge, locked)


@transaction.atomic
def challenge_close(*, challenge: Challenge, actor: User, reason: str) -> Challenge:
    """Close without a solution, with its reason."""
    if not permissions.can_close_challenge(actor, challenge):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Expliquez pourquoi le défi est fermé.")})
    locked, action = _transition(
        challenge=challenge, to_status=ChallengeStatus.CLOSED, actor=actor, note=reason
    )
    locked.closed_reason = reason
    locked.save()
    _email_step(locked, action=action, actor=actor, reason=reason)
    return _refresh(challenge, locked)


@transaction.atomic
def challenge_reopen(*, challenge: Challenge, actor: User) -> Challenge:
    """The team reopens a défi closed by mistake."""
    if not permissions.can_reopen_challenge(actor, challenge):
        raise PermissionDenied
    locked, action = _transition(challenge=challenge, to_status=ChallengeStatus.OPEN, actor=actor)
    locked.closed_reason = ""
    locked.save()
    _email_step(locked, action=action, actor=actor)
    return _refresh(challenge, locked)
