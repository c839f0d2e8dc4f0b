"""Action items: the organisers' list, and where an action stands (its owners)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from quartiers40.core.forms import form_errors_apply

from .. import permissions, selectors, services
from ..forms import ActionItemForm, ActionStatusForm
from ..models import ActionItem
from ._shared import organised_edition


@login_required
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Owners (and organisers) say where an action stands."""
    item = get_object_or_404(
        ActionItem.objects.select_related("edition", "owner_organisation", "owner_user"), pk=pk
    )
    if not permissions.can_update_action_item(request.user, item):
        raise PermissionDenied
    form = ActionStatusForm(
        request.POST or None,
        item=item,
        user=request.user,
        initial={"status": item.status, "status_note": item.status_note},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_item_set_status(
                item=item,
                actor=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["status_note"],
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("L'action est mise à jour."))
            return redirect("meetings:edition_detail", slug=item.edition.slug)
    return render(
        request,
        "meetings/action_update.html",
        {"item": item, "items": [item], "form": form},
    )


@login_required
def actions_manage(request: HttpRequest, slug: str) -> HttpResponse:
    edition = organised_edition(request, slug)
    user = request.user
    editing = None
    if request.GET.get("modifier"):
        editing = get_object_or_404(edition.action_items, pk=request.GET["modifier"])
    form = ActionItemForm(instance=editing)
    if request.method == "POST":
        item = None
        if request.POST.get("item"):
            item = get_object_or_404(ActionItem, pk=request.POST["item"], edition=edition)
        form = ActionItemForm(request.POST, instance=item)
        editing = item
        if form.is_valid():
            try:
                if item is None:
                    services.action_item_create(
                        edition=edition, actor=user, **form.service_arguments()
                    )
                else:
                    services.action_item_update(item=item, actor=user, **form.service_arguments())
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(request, _("L'action est enregistrée."))
                return redirect("meetings:actions_manage", slug=edition.slug)
    return render(
        request,
        "meetings/actions_manage.html",
        {
            "edition": edition,
            "actions": selectors.action_items(edition),
            "form": form,
            "editing": editing,
        },
    )
