"""The OpenAPI schema (/api/schema/) and the Swagger UI docs (/api/docs/), which work offline."""

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

API_PATHS = {
    "/api/v1/auth/token/": {"post"},
    "/api/v1/auth/signup/": {"post"},
    "/api/v1/me/": {"get", "patch"},
    "/api/v1/me/avatar/": {"post", "delete"},
    "/api/v1/users/{handle}/": {"get"},
    "/api/v1/users/{handle}/follow/": {"post", "delete"},
    "/api/v1/users/{handle}/block/": {"post", "delete"},
    "/api/v1/users/{handle}/mute/": {"post", "delete"},
    "/api/v1/users/{handle}/followers/": {"get"},
    "/api/v1/users/{handle}/following/": {"get"},
}


@pytest.fixture
def schema(client) -> dict:
    response = client.get(reverse("api-schema"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    return yaml.safe_load(response.content)


def test_openapi_schema_lists_every_route(schema):
    assert schema["openapi"].startswith("3.")
    for path, methods in API_PATHS.items():
        assert path in schema["paths"], path
        assert methods <= set(schema["paths"][path]), path


def test_openapi_schema_documents_the_error_shape(schema):
    error = schema["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"detail", "errors"}
    follow = schema["paths"]["/api/v1/users/{handle}/follow/"]["post"]["responses"]
    assert {"200", "201", "400", "401", "404"} <= set(follow)
    assert follow["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }


def test_openapi_schema_follow_lists_are_cursor_paginated(schema):
    operation = schema["paths"]["/api/v1/users/{handle}/followers/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"handle", "cursor", "page_size"}
    page = schema["components"]["schemas"]["PaginatedUserCardList"]
    assert {"next", "previous", "results"} <= set(page["properties"])


def test_openapi_schema_private_fields_read_only(schema):
    update = schema["components"]["schemas"]["PatchedProfileUpdateRequest"]
    assert not {"id", "email", "is_staff", "date_joined", "follower_count"} & set(
        update["properties"]
    )


def test_openapi_schema_generates_without_warnings(tmp_path):
    # --fail-on-warn makes any warning (an unresolvable serializer, a missing type) fatal.
    out = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    assert out.stat().st_size > 0


def test_api_docs_page_uses_only_local_assets(client):
    response = client.get(reverse("api-docs"))

    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r"<(?:script|link)\b[^>]*\b(?:src|href)=\"([^\"]+)\"", html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    # The page's own init script is served by the view itself (SpectacularSwaggerSplitView,
    # as the Content-Security-Policy allows no inline script); everything else is static.
    init = [a for a in assets if a.startswith(f"{reverse('api-docs')}?")]
    assert len(init) == 1 and "script" in init[0]
    assert client.get(init[0]).headers["Content-Type"].startswith("application/javascript")
    for asset in set(assets) - set(init):
        assert not re.match(r"^(https?:)?//", asset), asset
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not a local file"
    assert not re.search(r"https?://(cdn|unpkg|fonts)\.", html)
