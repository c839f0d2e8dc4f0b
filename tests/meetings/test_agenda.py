import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from quartiers40.challenges.models import Challenge
from quartiers40.meetings import selectors, services
from quartiers40.meetings.enums import AgendaItemKind, PitchStatus
from quartiers40.projects.models import ProjectFollow
from tests.members.factories import CoordinatorFactory, MembershipFactory, UserFactory
from tests.projects.factories import PublishedProjectFactory

from .factories import AgendaItemFactory, EditionFactory

pytestmark = pytest.mark.django_db


def project_owned():
    membership = MembershipFactory()
    return PublishedProjectFactory(carrier=membership.organisation), membership.user


def challenge_by(author, **fields):
    challenge = Challenge(
        title=fields.pop("title", "Aider aux démarches"),
        slug=fields.pop("slug", f"defi-{Challenge.objects.count() + 1}"),
        situation="Les démarches en ligne sont difficiles.",
        affected="Les personnes âgées.",
        solved_when="Chacun trouve de l'aide.",
        author=author,
        **fields,
    )
    challenge.save()
    return challenge


def test_a_project_owner_applies_and_only_once():
    edition = EditionFactory(call_for_pitches_open=True)
    project, owner = project_owned()
    services.pitch_apply(
        edition=edition, actor=owner, project=project, pitch="Démo", speaker_name="Awa"
    )
    with pytest.raises(ValidationError):
        services.pitch_apply(
            edition=edition, actor=owner, project=project, pitch="Démo", speaker_name="Awa"
        )


def test_strangers_cannot_apply_with_a_project():
    project, _owner = project_owned()
    with pytest.raises(PermissionDenied):
        services.pitch_apply(
            edition=EditionFactory(call_for_pitches_open=True),
            actor=UserFactory(),
            project=project,
            pitch="Démo",
            speaker_name="X",
        )


def test_a_challenge_author_applies():
    author = UserFactory()
    challenge = challenge_by(author)
    pitch = services.pitch_apply(
        edition=EditionFactory(call_for_pitches_open=True),
        actor=author,
        challenge=challenge,
        pitch="Le besoin, en deux minutes",
        speaker_name="Mme Benali",
    )
    assert pitch.subject_title == challenge.title


def test_applications_need_an_open_call():
    project, owner = project_owned()
    with pytest.raises(ValidationError):
        services.pitch_apply(
            edition=EditionFactory(), actor=owner, project=project, pitch="x", speaker_name="y"
        )


def test_applications_are_ranked_by_supports_then_freshness():
    edition = EditionFactory(call_for_pitches_open=True)
    coordinator = CoordinatorFactory()
    quiet = PublishedProjectFactory(title="Peu suivi", last_updated_at=timezone.now())
    followed = PublishedProjectFactory(
        title="Très suivi", last_updated_at=timezone.now() - timedelta(days=300)
    )
    for _ in range(3):
        ProjectFollow.objects.create(user=UserFactory(), project=followed)
    old = PublishedProjectFactory(
        title="Ancien", last_updated_at=timezone.now() - timedelta(days=100)
    )
    supported = challenge_by(UserFactory(), title="Défi soutenu", supports_count=2)
    for subject in (quiet, followed, old):
        services.pitch_apply(
            edition=edition, actor=coordinator, project=subject, pitch="p", speaker_name="s"
        )
    services.pitch_apply(
        edition=edition, actor=coordinator, challenge=supported, pitch="p", speaker_name="s"
    )
    ranked = [pitch.subject_title for pitch in selectors.pitches_ranked(edition)]
    assert ranked == ["Très suivi", "Défi soutenu", "Peu suivi", "Ancien"]


def test_accepting_a_pitch_adds_it_at_the_end_of_the_agenda():
    edition = EditionFactory(call_for_pitches_open=True)
    AgendaItemFactory(edition=edition, order=1, title="Accueil")
    project, owner = project_owned()
    pitch = services.pitch_apply(
        edition=edition, actor=owner, project=project, pitch="p", speaker_name="Awa"
    )
    services.pitch_decide(pitch=pitch, actor=CoordinatorFactory(), accept=True)
    items = list(selectors.agenda(edition))
    assert [item.title for item in items] == ["Accueil", project.title]
    assert items[1].kind == AgendaItemKind.PITCH and items[1].pitch == pitch
    with pytest.raises(ValidationError):
        services.pitch_decide(pitch=pitch, actor=CoordinatorFactory(), accept=False)


def test_declining_needs_an_organiser():
    edition = EditionFactory(call_for_pitches_open=True)
    project, owner = project_owned()
    pitch = services.pitch_apply(
        edition=edition, actor=owner, project=project, pitch="p", speaker_name="Awa"
    )
    with pytest.raises(PermissionDenied):
        services.pitch_decide(pitch=pitch, actor=owner, accept=False)
    services.pitch_decide(pitch=pitch, actor=CoordinatorFactory(), accept=False)
    pitch.refresh_from_db()
    assert pitch.status == PitchStatus.DECLINED


def test_reordering_the_agenda():
    edition = EditionFactory()
    a = AgendaItemFactory(edition=edition, order=1, title="A")
    AgendaItemFactory(edition=edition, order=2, title="B")
    c = AgendaItemFactory(edition=edition, order=3, title="C")
    organiser = CoordinatorFactory()
    services.agenda_item_move(item=c, actor=organiser, up=True)
    assert [item.title for item in selectors.agenda(edition)] == ["A", "C", "B"]
    services.agenda_item_move(item=a, actor=organiser, up=True)  # already first
    assert [item.title for item in selectors.agenda(edition)] == ["A", "C", "B"]
    services.agenda_item_delete(item=a, actor=organiser)
    # Positions stay 1..n once a point is removed.
    assert [(item.order, item.title) for item in selectors.agenda(edition)] == [(1, "C"), (2, "B")]


def test_new_items_go_last():
    edition = EditionFactory()
    organiser = CoordinatorFactory()
    first = services.agenda_item_save(
        edition=edition, actor=organiser, title="Accueil", duration_minutes=15
    )
    second = services.agenda_item_save(
        edition=edition, actor=organiser, title="Pitchs", duration_minutes=30
    )
    assert (first.order, second.order) == (1, 2)


# The builder page (defect 8 of issue 11): the constructive action leads, removing asks first,
# positions start at 1, and a kept proposal is not shown twice.


def test_builder_has_no_position_field_and_numbers_points_from_1(client):
    edition = EditionFactory()
    organiser = CoordinatorFactory()
    first = services.agenda_item_save(edition=edition, actor=organiser, title="Accueil")
    services.agenda_item_save(edition=edition, actor=organiser, title="Pitchs")
    client.force_login(organiser)
    page = client.get(reverse("meetings:agenda_builder", args=[edition.slug])).content.decode()
    assert 'name="order"' not in page
    assert '<span class="agenda-position" aria-hidden="true">1</span>' in page
    assert '<span class="agenda-position" aria-hidden="true">0</span>' not in page
    # The only buttons styled as the main action are "Ajouter" (and "Retenir"); "Retirer" is a
    # link to a confirmation step, not a button of the form.
    assert 'class="button button-danger"' not in page
    assert re.findall(r'<button type="submit" class="button">([^<]*)', page) == [
        "Ajouter à l'ordre du jour"
    ]
    delete = reverse("meetings:agenda_item_delete", args=[edition.slug, first.pk])
    assert f'href="{delete}"' in page
    # GET asks (nothing removed), POST removes, then the numbers start at 1 again.
    confirm = client.get(delete)
    assert "Oui, retirer ce point" in confirm.content.decode()
    assert edition.agenda_items.count() == 2
    response = client.post(delete, follow=True)
    assert list(edition.agenda_items.values_list("order", "title")) == [(1, "Pitchs")]
    assert response.content.decode().count("Le point est retiré de l&#x27;ordre du jour.") == 1


def test_a_kept_proposal_shows_once_among_those_to_decide(client):
    edition = EditionFactory(call_for_pitches_open=True)
    project, owner = project_owned()
    pitch = services.pitch_apply(
        edition=edition, actor=owner, project=project, pitch="Trois minutes.", speaker_name="Awa"
    )
    organiser = CoordinatorFactory()
    client.force_login(organiser)
    builder = reverse("meetings:agenda_builder", args=[edition.slug])
    page = client.get(builder).content.decode()
    assert "Retenir" in page and "déjà traitée" not in page
    response = client.post(
        reverse("meetings:pitch_accept", args=[edition.slug, pitch.pk]), follow=True
    )
    page = response.content.decode()
    assert page.count("ajoutée à l&#x27;ordre du jour") == 1
    assert "1 proposition déjà traitée" in page
    assert "Aucune proposition à examiner" in page
    assert "Retenir<span" not in page
