"""Images are bounded in pixels by reading the file's header, never by decoding it."""

import html
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from quartiers40.members.enums import Role
from quartiers40.members.validators import image_size_read, validate_image_upload
from quartiers40.projects import services as project_services
from tests.members.factories import MembershipFactory
from tests.projects.factories import PublishedProjectFactory

pytestmark = pytest.mark.django_db

HUGE_MESSAGE = "L'image est trop grande : 13\N{NO-BREAK SPACE}000 × 13\N{NO-BREAK SPACE}000 pixels"


def _huge_png(side: int = 13_000) -> bytes:
    """A one-colour PNG of side×side pixels: a few kilobytes, 169 million pixels."""
    buffer = io.BytesIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Image, "MAX_IMAGE_PIXELS", None)
        Image.new("1", (side, side), 0).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def huge_png() -> bytes:
    return _huge_png()


def _small_png(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, "PNG")
    return buffer.getvalue()


def _upload(data: bytes, name="photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def test_the_huge_file_is_small_in_bytes(huge_png):
    assert len(huge_png) < 200_000


def test_the_size_is_read_from_the_header_even_beyond_pillows_own_limit():
    data = _huge_png(20_000)  # 400 million pixels: Pillow's Image.open refuses it outright
    assert image_size_read(io.BytesIO(data)) == (20_000, 20_000)
    assert image_size_read(io.BytesIO(b"not an image")) is None


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def test_the_model_validation_refuses_a_huge_project_image(huge_png):
    project = PublishedProjectFactory()
    owner = MembershipFactory(organisation=project.carrier, role=Role.MEMBER).user
    with pytest.raises(ValidationError) as error:
        project_services.project_image_add(
            project=project, actor=owner, image=_upload(huge_png), alt_text="Énorme"
        )
    assert HUGE_MESSAGE in _messages(error.value)
    assert "25 millions au plus" in _messages(error.value)
    assert not project.images.exists()


def test_the_model_validation_refuses_a_huge_logo(huge_png):
    admin = MembershipFactory(role=Role.ADMIN)
    organisation = admin.organisation
    organisation.logo = _upload(huge_png, "logo.png")
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert HUGE_MESSAGE in _messages(error.value)


def test_a_normal_image_is_still_accepted():
    validate_image_upload(_upload(_small_png()))


def test_the_project_page_form_gives_a_size_message(client, huge_png):
    project = PublishedProjectFactory()
    owner = MembershipFactory(organisation=project.carrier, role=Role.MEMBER).user
    client.force_login(owner)
    response = client.post(
        reverse("projects:files", args=[project.slug]),
        {"action": "add_image", "image-image": _upload(huge_png), "image-alt_text": "Énorme"},
    )
    assert response.status_code == 400 and not project.images.exists()
    page = html.unescape(response.content.decode())
    assert HUGE_MESSAGE in page and "corromp" not in page
    assert 'value="Énorme"' in page


@pytest.mark.parametrize("side", [13_000, 20_000])
def test_the_organisation_form_gives_a_size_message(client, side, huge_png):
    data = huge_png if side == 13_000 else _huge_png(side)
    admin = MembershipFactory(role=Role.ADMIN)
    client.force_login(admin.user)
    response = client.post(
        reverse("members:organisation_edit", args=[admin.organisation.slug]),
        {"name": "Nouveau nom", "kind": "association", "logo": _upload(data, "logo.png")},
    )
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "L'image est trop grande" in page and "corromp" not in page
    assert 'value="Nouveau nom"' in page
    admin.organisation.refresh_from_db()
    assert not admin.organisation.logo
