import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from quartiers40.members.enums import Role
from quartiers40.members.models import MembershipRequest, Organisation, User

from .factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _png(size=(40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, "PNG")
    return buffer.getvalue()


def test_sign_up_then_verify_by_the_emailed_link(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("members:sign_up"),
            {
                "display_name": "Awa",
                "email": "awa@exemple.fr",
                "password": PASSWORD,
                "password_confirmation": PASSWORD,
                "is_resident": "on",
                "accept_terms": "on",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="awa@exemple.fr")
    assert user.is_resident and not user.profile_public and not user.email_verified
    link = next(line for line in mailoutbox[0].body.splitlines() if "/compte/verifier/" in line)
    response = client.get(link.replace("http://127.0.0.1:8000", ""))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_verified


def test_invalid_sign_up_keeps_what_was_typed_and_says_why(client):
    response = client.post(
        reverse("members:sign_up"),
        {
            "display_name": "Jean-Édouard",
            "email": "jean@exemple.fr",
            "password": PASSWORD,
            "password_confirmation": "autre-chose-0000",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Jean-Édouard"' in page and 'value="jean@exemple.fr"' in page
    assert "ne sont pas identiques" in page
    assert "aria-describedby" in page
    assert not User.objects.exists()


def test_bad_verification_link_is_explained(client):
    response = client.get(reverse("members:verify_email", args=["n-importe-quoi"]))
    assert response.status_code == 400
    assert "pas valide" in response.content.decode()


def test_sign_in_rate_limited_per_account(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_account": (3, 900)}
    user = UserFactory()
    url = reverse("members:login")
    for _ in range(3):
        response = client.post(url, {"username": user.email, "password": "mauvais"})
        assert response.status_code == 200
    response = client.post(url, {"username": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    # Another account from the same address is still allowed.
    other = UserFactory()
    assert client.post(url, {"username": other.email, "password": PASSWORD}).status_code == 302


def test_sign_in_rate_limited_per_ip(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_ip": (2, 600)}
    url = reverse("members:login")
    for index in range(2):
        client.post(url, {"username": f"x{index}@exemple.fr", "password": "mauvais"})
    response = client.post(url, {"username": "y@exemple.fr", "password": "mauvais"})
    assert response.status_code == 429


def test_sign_up_rate_limited_per_ip(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup_ip": (1, 3600)}
    url = reverse("members:sign_up")
    client.post(url, {"email": "a@exemple.fr"})
    response = client.post(url, {"email": "b@exemple.fr", "display_name": "B"})
    assert response.status_code == 429
    assert 'value="b@exemple.fr"' in response.content.decode()


def test_password_reset_rate_limited_and_works(client, settings, mailoutbox):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset_account": (1, 3600)}
    user = UserFactory()
    url = reverse("members:password_reset")
    assert client.post(url, {"email": user.email}).status_code == 302
    assert len(mailoutbox) == 1
    assert "/mot-de-passe/nouveau/" in mailoutbox[0].body
    assert client.post(url, {"email": user.email}).status_code == 429
    assert len(mailoutbox) == 1


def test_password_reset_does_not_reveal_accounts(client, mailoutbox):
    response = client.post(reverse("members:password_reset"), {"email": "personne@exemple.fr"})
    assert response.status_code == 302
    assert mailoutbox == []


def test_csrf_is_enforced_on_forms():
    csrf_client = Client(enforce_csrf_checks=True)
    user = UserFactory()
    response = csrf_client.post(
        reverse("members:login"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 403


def test_download_my_data(client):
    membership = MembershipFactory(user__phone="0601", role=Role.ADMIN)
    client.force_login(membership.user)
    response = client.get(reverse("members:account_data"))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["email"] == membership.user.email
    assert data["account"]["phone"] == "0601"
    assert data["organisations"][0]["organisation"] == membership.organisation.name


def test_delete_my_account_needs_the_password(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("members:account_delete")
    response = client.post(url, {"password": "faux"})
    assert response.status_code == 200 and "pas le bon" in response.content.decode()
    response = client.post(url, {"password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active and user.deleted_at is not None
    assert "_auth_user_id" not in client.session


def test_directory_filters_search_and_paginates(client):
    OrganisationFactory(name="Les Codeuses d'Aulnay", kind="association", department_code="93")
    OrganisationFactory(name="Ville de Roubaix", kind="local_authority", department_code="59")
    OrganisationFactory(name="Candidate cachée", status="candidate", joined_at=None)
    for index in range(25):
        OrganisationFactory(name=f"Start-up {index:02d}", kind="startup", department_code="13")
    url = reverse("members:directory")
    page = client.get(url, {"kind": "local_authority"}).content.decode()
    assert "Ville de Roubaix" in page and "Codeuses" not in page
    page = client.get(url, {"department": "93"}).content.decode()
    assert "Codeuses" in page and "Roubaix" not in page
    page = client.get(url, {"q": "codeuses"}).content.decode()
    assert "Codeuses" in page
    page = client.get(url).content.decode()
    assert "Candidate cachée" not in page
    assert "27 organisations" in page and "Page 1 sur 2" in page
    page = client.get(url, {"kind": "startup", "page": 2}).content.decode()
    assert "Start-up 24" in page and "Start-up 00" not in page


def test_directory_queries_do_not_grow_with_the_list(client, django_assert_max_num_queries):
    for _ in range(5):
        OrganisationFactory()
    with django_assert_max_num_queries(6) as small:
        client.get(reverse("members:directory"))
    for _ in range(30):
        OrganisationFactory()
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("members:directory"))


def test_join_for_a_new_organisation_keeps_input_on_error(client):
    client.force_login(UserFactory())
    url = reverse("members:join")
    response = client.post(url, {"choice": "new", "name": "Clic Solidaire", "message": "Bonjour"})
    page = response.content.decode()
    assert response.status_code == 200 and 'value="Clic Solidaire"' in page and "Bonjour" in page
    response = client.post(
        url,
        {
            "choice": "new",
            "name": "Clic Solidaire",
            "kind": "association",
            "department_code": "93",
            "message": "Bonjour",
        },
    )
    assert response.status_code == 302
    request = MembershipRequest.objects.get()
    assert request.organisation.name == "Clic Solidaire"
    assert request.organisation.status == "candidate"


def test_organisation_edit_with_logo_and_markdown(client):
    admin = MembershipFactory(role=Role.ADMIN)
    organisation = admin.organisation
    client.force_login(admin.user)
    url = reverse("members:organisation_edit", args=[organisation.slug])
    response = client.post(
        url,
        {
            "name": organisation.name,
            "kind": "association",
            "description": "**Ateliers** <script>alert(1)</script> [site](javascript:alert(1))",
            "department_code": "93",
            "logo": SimpleUploadedFile("logo.png", _png(), content_type="image/png"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation.refresh_from_db()
    assert organisation.logo.name.startswith("organisations/logos/")
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "<strong>Ateliers</strong>" in page
    assert "<script>alert" not in page and "javascript:" not in page


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"ceci n'est pas une image", "image"),
        (None, "Mo"),
    ],
)
def test_logo_uploads_are_bounded_and_checked(client, settings, content, message):
    settings.MAX_IMAGE_UPLOAD_BYTES = 200
    admin = MembershipFactory(role=Role.ADMIN)
    client.force_login(admin.user)
    data = content if content is not None else _png((300, 300))
    response = client.post(
        reverse("members:organisation_edit", args=[admin.organisation.slug]),
        {
            "name": "Nouveau nom",
            "kind": "association",
            "logo": SimpleUploadedFile("logo.png", data, content_type="image/png"),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and 'value="Nouveau nom"' in page
    assert Organisation.objects.get(pk=admin.organisation.pk).name != "Nouveau nom"


def test_create_api_token_shows_it_once(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("members:api_tokens"), {"name": "script"})
    page = response.content.decode()
    token = user.api_tokens.get()
    assert token.prefix in page and "q40_" in page
    page = client.get(reverse("members:api_tokens")).content.decode()
    assert page.count(token.prefix) == 1  # only the prefix, never the whole token


def test_language_switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert '<html lang="en" dir="ltr">' in page


def test_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
