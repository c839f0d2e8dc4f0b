"""The list of the défis, a défi's page, and the similar défis of the post form."""

import functools

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from quartiers40.core.pagecache import deferred, public_page_cache
from quartiers40.territories.selectors import qpv_summary_get

from .. import permissions, selectors
from ..enums import CHALLENGE_WORKFLOW, MODERATION_WORKFLOW, OFFER_WORKFLOW
from ..forms import SORT_NEWEST, CommentForm
from ._common import catalogue, challenge_or_404, filters_of, query_without_page

PAGE_SIZE = 20


@public_page_cache(depends=("challenges", "territories", "members", "projects"))
def challenge_list(request):
    def listed() -> dict:
        filters, values, is_filtered = filters_of(request)
        challenges = catalogue(values, sort=values.get("sort") or "supports")
        return {
            "filters": filters,
            "page": Paginator(challenges, PAGE_SIZE).get_page(request.GET.get("page")),
            "is_filtered": is_filtered,
            "qpv": qpv_summary_get(code=values["qpv"]) if values.get("qpv") else None,
            "sort_newest": values.get("sort") == SORT_NEWEST,
        }

    return render(
        request,
        "challenges/list.html",
        {
            **deferred(listed, "filters", "page", "is_filtered", "qpv", "sort_newest"),
            "map_query": query_without_page(request),
        },
    )


@public_page_cache(depends=("challenges", "territories", "members", "projects"))
def challenge_detail(request, slug: str):
    challenge = challenge_or_404(slug)
    if challenge.merged_into_id is not None:
        return redirect("challenges:detail", slug=challenge.merged_into.slug)
    if not permissions.can_view_challenge(request.user, challenge):
        raise Http404
    return challenge_detail_render(request, challenge)


def challenge_detail_render(request, challenge, *, comment_form=None, status=200):
    """The défi's page; `comment_form`: a comment or a reply refused, shown again as typed
    with its message (on the reply's own box when it has a parent)."""
    user = request.user
    reply_form = None
    if comment_form is not None and comment_form.data.get("parent"):
        reply_form, comment_form = comment_form, None
    offers = list(selectors.challenge_offers(challenge))
    for offer in offers:
        offer.actions = OFFER_WORKFLOW.allowed(offer, user)
        if not challenge.is_active:
            # Only an active défi takes an answer; the offering organisation may still withdraw.
            offer.actions -= {"accept", "decline"}
    comments = selectors.challenge_comments(
        challenge, include_hidden=permissions.can_moderate(user)
    )
    for comment in comments:
        for item in [comment, *comment.visible_replies]:
            item.public_author = permissions.comment_public_author(item, user)
            item.can_edit = permissions.can_edit_comment(user, item)
        if reply_form is not None and str(comment.pk) == str(reply_form.data.get("parent")):
            comment.refused_reply = reply_form
    if reply_form is not None and not any(
        getattr(comment, "refused_reply", None) for comment in comments
    ):
        comment_form = reply_form  # no box to show it in: the main one says it
    actions = CHALLENGE_WORKFLOW.allowed(challenge, user)
    return render(
        request,
        "challenges/detail.html",
        {
            "challenge": challenge,
            "public_author": permissions.challenge_public_author(challenge, user),
            # Callables: read only when the page's shared fragments are rebuilt.
            "qpvs": functools.cache(lambda: selectors.challenge_qpvs(challenge)),
            "attachments": challenge.attachments.all(),
            "timeline": functools.cache(lambda: selectors.challenge_timeline(challenge)),
            "comments": comments,
            "offers": offers,
            "is_supporting": selectors.challenge_is_supported_by(challenge, user),
            "can_support": permissions.can_support_challenge(user, challenge),
            "can_comment": permissions.can_comment_challenge(user, challenge),
            "can_edit": permissions.can_edit_challenge(user, challenge),
            "can_offer": permissions.can_offer_help(user, challenge),
            "can_record_outcome": "solve" in actions,
            "can_close": "close" in actions,
            "can_reopen": "reopen" in actions,
            "can_moderate": permissions.can_moderate(user),
            "moderation_actions": MODERATION_WORKFLOW.allowed(challenge, user),
            "can_report": permissions.can_report(user),
            "comment_form": comment_form or CommentForm(),
        },
        status=status,
    )


@require_GET
def challenge_similar(request):
    """The défis whose title looks like `?title=`: an HTML fragment for the post form."""
    title = request.GET.get("title", "")[:160]
    exclude = request.GET.get("exclude", "")
    similar = selectors.challenges_similar(
        title, exclude_pk=int(exclude) if exclude.isdigit() else None
    )
    return render(request, "challenges/_similar.html", {"similar": similar, "title": title})
