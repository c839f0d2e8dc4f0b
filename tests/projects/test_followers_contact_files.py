"""Followers told of changes, the contact form, images and documents, archiving from the page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from quartiers40.core.selectors import action_log_for
from quartiers40.members.enums import Role
from quartiers40.projects import services
from quartiers40.projects.enums import ProjectStatus
from tests.members.factories import (
    CoordinatorFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

from .factories import ProjectFactory, PublishedProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return MembershipFactory(role=Role.MEMBER, user__email="equipe@projet.fr").user


def _carrier(user):
    return user.memberships.get().organisation


def _png(name="photo.png", size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#0a4f8c").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


# --- Followers ------------------------------------------------------------------


def test_followers_get_one_email_each_listing_what_changed(
    owner, mailoutbox, django_capture_on_commit_callbacks
):
    project = PublishedProjectFactory(carrier=_carrier(owner), title="Traduire")
    first, second = UserFactory(email="a@exemple.fr"), UserFactory(email="b@exemple.fr")
    for user in (first, second, owner):
        services.project_follow(project=project, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        services.project_update(project=project, actor=owner, summary="Un nouveau résumé.")
    # Each follower alone in their e-mail; the person who made the change gets none.
    assert sorted(message.to[0] for message in mailoutbox) == ["a@exemple.fr", "b@exemple.fr"]
    assert all(len(message.to) == 1 for message in mailoutbox)
    body = mailoutbox[0].body
    assert "Résumé en une ligne" in body or "résumé" in body.lower()
    assert f"/projets/{project.slug}/" in body
    assert "Ne plus suivre ce projet" in body


def test_followers_are_not_told_of_changes_to_unpublished_projects(
    owner, mailoutbox, django_capture_on_commit_callbacks
):
    project = ProjectFactory(carrier=_carrier(owner), status=ProjectStatus.RETURNED)
    services.project_follow(project=project, user=owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.project_update(project=project, actor=owner, summary="Retouche.")
    assert mailoutbox == []


def test_followers_are_told_when_a_published_project_is_archived(
    owner, mailoutbox, django_capture_on_commit_callbacks
):
    project = PublishedProjectFactory(carrier=_carrier(owner))
    follower = UserFactory(email="suit@exemple.fr")
    services.project_follow(project=project, user=follower)
    with django_capture_on_commit_callbacks(execute=True):
        services.project_archive(project=project, actor=owner, reason="Le pilote est fini.")
    to_follower = [message for message in mailoutbox if message.to == ["suit@exemple.fr"]]
    assert len(to_follower) == 1 and "Le pilote est fini." in to_follower[0].body


def test_deleted_or_inactive_followers_get_nothing(
    owner, mailoutbox, django_capture_on_commit_callbacks
):
    project = PublishedProjectFactory(carrier=_carrier(owner))
    gone = UserFactory(is_active=False)
    services.project_follow(project=project, user=UserFactory(email="ok@exemple.fr"))
    project.follows.create(user=gone)
    with django_capture_on_commit_callbacks(execute=True):
        services.project_update(project=project, actor=owner, funding="Région.")
    assert [message.to for message in mailoutbox] == [["ok@exemple.fr"]]


# --- Contact ----------------------------------------------------------------------


def test_the_project_page_offers_a_form_never_an_address(client, owner):
    project = PublishedProjectFactory(carrier=_carrier(owner))
    page = client.get(reverse("projects:detail", args=[project.slug])).content.decode()
    assert reverse("projects:contact", args=[project.slug]) in page
    assert "equipe@projet.fr" not in page and "mailto:" not in page


def test_a_visitor_writes_to_the_project_people_who_reply_to_the_visitor(
    client, owner, mailoutbox, django_capture_on_commit_callbacks
):
    project = PublishedProjectFactory(carrier=_carrier(owner), title="Traduire")
    url = reverse("projects:contact", args=[project.slug])
    assert "equipe@projet.fr" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"name": "Awa", "email": "awa@exemple.fr", "message": "Peut-on le tester chez nous ?"},
        )
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["equipe@projet.fr"]
    assert message.reply_to == ["awa@exemple.fr"]
    assert "Peut-on le tester chez nous ?" in message.body and "Traduire" in message.subject
    assert "pas été vérifiée" in message.body
    assert action_log_for(project).filter(action="project_contacted").exists()


def test_an_invalid_message_keeps_what_was_typed(client, owner, mailoutbox):
    project = PublishedProjectFactory(carrier=_carrier(owner))
    response = client.post(
        reverse("projects:contact", args=[project.slug]),
        {"name": "Awa", "email": "pas-une-adresse", "message": "Bonjour, une question."},
    )
    page = response.content.decode()
    assert response.status_code == 200 and mailoutbox == []
    assert "Bonjour, une question." in page and 'value="pas-une-adresse"' in page
    assert 'aria-describedby="id_email_error' in page or "id_email_error" in page


def test_signed_in_people_find_their_name_and_address_filled_in(client, owner):
    project = PublishedProjectFactory(carrier=_carrier(owner))
    reader = UserFactory(display_name="Awa Diallo", email="awa@exemple.fr")
    client.force_login(reader)
    page = client.get(reverse("projects:contact", args=[project.slug])).content.decode()
    assert 'value="Awa Diallo"' in page and 'value="awa@exemple.fr"' in page


def test_unpublished_projects_cannot_be_written_to(client, owner):
    project = ProjectFactory(carrier=_carrier(owner))
    client.force_login(owner)
    assert client.get(reverse("projects:contact", args=[project.slug])).status_code == 404


def test_the_contact_form_is_rate_limited_per_address(
    client, owner, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "project_contact_ip": (2, 3600)}
    project = PublishedProjectFactory(carrier=_carrier(owner))
    url = reverse("projects:contact", args=[project.slug])
    data = {"name": "Awa", "email": "awa@exemple.fr", "message": "Un message assez long."}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
        assert client.post(url, data).status_code == 302
        response = client.post(url, data)
    assert response.status_code == 429 and "Retry-After" in response
    assert "Trop de messages" in response.content.decode()
    assert "Un message assez long." in response.content.decode()
    assert len(mailoutbox) == 2


# --- Images and documents ----------------------------------------------------------


def test_an_owner_adds_an_image_with_its_alternative_text_then_removes_it(client, owner):
    project = PublishedProjectFactory(carrier=_carrier(owner))
    client.force_login(owner)
    url = reverse("projects:files", args=[project.slug])
    response = client.post(
        url,
        {"action": "add_image", "image-image": _png(), "image-alt_text": "Atelier au centre"},
    )
    assert response.status_code == 302
    image = project.images.get()
    assert image.alt_text == "Atelier au centre"
    detail = client.get(reverse("projects:detail", args=[project.slug])).content.decode()
    assert 'alt="Atelier au centre"' in detail
    response = client.post(url, {"action": "remove_image", "image": image.pk})
    assert response.status_code == 302 and not project.images.exists()


def test_an_image_without_alternative_text_or_not_an_image_is_refused(client, owner):
    project = PublishedProjectFactory(carrier=_carrier(owner))
    client.force_login(owner)
    url = reverse("projects:files", args=[project.slug])
    response = client.post(url, {"action": "add_image", "image-image": _png()})
    assert response.status_code == 400 and not project.images.exists()
    fake = SimpleUploadedFile("photo.png", b"not an image", content_type="image/png")
    response = client.post(
        url, {"action": "add_image", "image-image": fake, "image-alt_text": "Une photo"}
    )
    assert response.status_code == 400 and not project.images.exists()
    # What was typed is kept.
    assert 'value="Une photo"' in response.content.decode()


def test_images_are_bounded_in_size(client, owner, settings):
    settings.MAX_IMAGE_UPLOAD_BYTES = 200
    project = PublishedProjectFactory(carrier=_carrier(owner))
    client.force_login(owner)
    response = client.post(
        reverse("projects:files", args=[project.slug]),
        {"action": "add_image", "image-image": _png(size=(400, 400)), "image-alt_text": "Grande"},
    )
    assert response.status_code == 400 and not project.images.exists()


def test_an_owner_adds_and_removes_a_result_document(client, owner):
    project = PublishedProjectFactory(carrier=_carrier(owner))
    client.force_login(owner)
    url = reverse("projects:files", args=[project.slug])
    pdf = SimpleUploadedFile("bilan.pdf", b"%PDF-1.4 bilan", content_type="application/pdf")
    response = client.post(
        url, {"action": "add_document", "document-title": "Bilan 2026", "document-file": pdf}
    )
    assert response.status_code == 302
    document = project.documents.get()
    detail = client.get(reverse("projects:detail", args=[project.slug])).content.decode()
    assert "Bilan 2026" in detail
    exe = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        url, {"action": "add_document", "document-title": "Programme", "document-file": exe}
    )
    assert response.status_code == 400 and project.documents.count() == 1
    client.post(url, {"action": "remove_document", "document": document.pk})
    assert not project.documents.exists()


@pytest.mark.parametrize("who", ["anonymous", "stranger", "other_member"])
def test_only_owners_and_coordination_manage_files_and_archive(client, owner, who):
    project = PublishedProjectFactory(carrier=_carrier(owner))
    image = project.images.create(image=_png(), alt_text="Une image")
    if who == "stranger":
        client.force_login(UserFactory())
    elif who == "other_member":
        client.force_login(MembershipFactory(organisation=OrganisationFactory()).user)
    files = reverse("projects:files", args=[project.slug])
    archive = reverse("projects:archive", args=[project.slug])
    expected = 302 if who == "anonymous" else 403
    if who == "anonymous":
        assert client.get(files).url.startswith(reverse("members:login"))
    assert client.get(files).status_code == expected
    assert client.post(files, {"action": "remove_image", "image": image.pk}).status_code == (
        expected
    )
    assert client.post(archive, {"reason": ""}).status_code == expected
    project.refresh_from_db()
    assert project.status == ProjectStatus.PUBLISHED and project.images.count() == 1


def test_coordination_may_manage_files(client, owner):
    project = PublishedProjectFactory(carrier=_carrier(owner))
    client.force_login(CoordinatorFactory())
    assert client.get(reverse("projects:files", args=[project.slug])).status_code == 200


def test_archiving_asks_for_confirmation_then_archives(client, owner):
    project = PublishedProjectFactory(carrier=_carrier(owner))
    client.force_login(owner)
    detail = client.get(reverse("projects:detail", args=[project.slug])).content.decode()
    url = reverse("projects:archive", args=[project.slug])
    assert url in detail
    page = client.get(url).content.decode()
    assert "disparaît du catalogue" in page
    project.refresh_from_db()
    assert project.status == ProjectStatus.PUBLISHED
    response = client.post(url, {"reason": "Projet terminé."})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == ProjectStatus.ARCHIVED
    entry = action_log_for(project).filter(action="project_archived").get()
    assert entry.reason == "Projet terminé."
    # Archived: no more edits from the files page either.
    assert client.get(reverse("projects:files", args=[project.slug])).status_code == 302


# --- The organisation page ------------------------------------------------------------


def test_the_organisation_page_lists_the_projects_it_carries_and_supports(client, owner):
    organisation = _carrier(owner)
    carried = PublishedProjectFactory(carrier=organisation, title="Porté ici")
    partnered = PublishedProjectFactory(title="En partenariat")
    partnered.partners.add(organisation)
    ProjectFactory(carrier=organisation, title="Brouillon interne")
    other_draft = ProjectFactory(title="Brouillon d'un partenaire")
    other_draft.partners.add(organisation)
    url = organisation.get_absolute_url()

    page = client.get(url).content.decode()
    assert carried.title in page and partnered.title in page
    assert "Brouillon interne" not in page and "Brouillon d&#x27;un partenaire" not in page

    # Its own people see their projects in the works too, never a partner's draft.
    client.force_login(owner)
    page = client.get(url).content.decode()
    assert "Brouillon interne" in page and "Brouillon" in page
    assert "Brouillon d&#x27;un partenaire" not in page
