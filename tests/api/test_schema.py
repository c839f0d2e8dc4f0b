import json
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command


def test_openapi_schema_is_valid_json_listing_the_endpoints(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Quartiers 4.0 API"
    assert schema["info"]["version"] == "1.0.0"
    assert "Français" in schema["info"]["description"]
    assert "English" in schema["info"]["description"]
    paths = schema["paths"]
    assert set(paths["/api/v1/organisations/"]) == {"get"}
    assert set(paths["/api/v1/organisations/{slug}/"]) == {"get", "patch"}
    assert set(paths["/api/v1/me/"]) == {"get"}


def test_openapi_schema_documents_auth_filters_and_errors(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]

    schemes = schema["components"]["securitySchemes"]
    assert [scheme["scheme"] for scheme in schemes.values()] == ["bearer"]
    assert "security" not in paths["/api/v1/organisations/"]["get"]
    assert paths["/api/v1/organisations/{slug}/"]["patch"]["security"]
    assert paths["/api/v1/me/"]["get"]["security"]

    parameters = {p["name"] for p in paths["/api/v1/organisations/"]["get"]["parameters"]}
    assert parameters == {"kind", "department", "qpv", "q", "page", "page_size"}

    patch_responses = paths["/api/v1/organisations/{slug}/"]["patch"]["responses"]
    assert {"200", "401", "403", "404", "422"} <= set(patch_responses)
    assert patch_responses["403"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorOut"
    }


class _ResourceCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "link", "img", "iframe"}:
            self.tags.append(self.get_starttag_text())
            self.urls += [value for name, value in attrs if name in {"src", "href"} and value]


def test_docs_page_uses_only_local_files(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    page = response.content.decode()
    collector = _ResourceCollector()
    collector.feed(page)

    assert any(url.endswith("swagger-ui-bundle.js") for url in collector.urls)
    for url in collector.urls:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), f"{url} is not shipped"
    for tag in collector.tags:
        assert "http" not in tag, tag
    assert "cdn" not in page.lower()
    # Swagger UI would otherwise send the schema's address to validator.swagger.io.
    assert '"validatorUrl": null' in page


def test_api_root_points_to_the_documentation(client):
    response = client.get("/api/v1/")

    assert response.status_code == 200
    assert response.json() == {
        "name": "Quartiers 4.0 API",
        "version": "1.0.0",
        "documentation": "http://testserver/api/v1/docs",
        "openapi": "http://testserver/api/v1/openapi.json",
    }


@pytest.mark.django_db
def test_schema_generation_has_no_warning(capsys):
    call_command("export_openapi_schema", "--api", "quartiers40.api.api.api")

    assert json.loads(capsys.readouterr().out)["paths"]
