"""The API contract as a client generator reads it: documented statuses, one list shape with
bounded paging, bounded inputs, and docs that work without the internet."""

import re

import pytest
from fastapi.routing import APIRoute

from saasapp.http.deps import dependency_errors
from saasapp.http.pagination import MAX_LIMIT, decode_cursor, encode_cursor
from tests.utils.accounts import bearer, register, signed_in
from tests.utils.api import assert_error_shape

LISTS = [
    "/api/v1/me/api-keys",
    "/api/v1/me/oauth",
    "/api/v1/tools",
    "/api/v1/tools/{tool_id}/versions",
    "/api/v1/tools/{tool_id}/generations",
    "/api/v1/admin/users",
    "/api/v1/admin/audit",
    "/api/v1/admin/events/dead",
]


@pytest.fixture
def spec(client):
    return client.get("/api/v1/openapi.json").json()


def operations(spec):
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_every_route_documents_what_its_dependencies_answer(api):
    for route in api.routes:
        if isinstance(route, APIRoute) and route.include_in_schema:
            documented = {int(status) for status in route.responses}
            missing = dependency_errors(route.dependant) - documented
            assert not missing, f"{route.path} does not document {missing}"


def test_signed_in_routes_document_401_and_403_and_limited_ones_429(spec):
    for name, operation in operations(spec):
        responses = operation["responses"]
        assert {"422", "500"} <= set(responses), name
        if operation.get("security"):
            assert {"401", "403"} <= set(responses), name
        if name.startswith("GET /api/v1/admin/"):
            assert "403" in responses, name
    login = spec["paths"]["/api/v1/auth/login"]["post"]["responses"]
    assert "Retry-After" in login["429"]["headers"]


def test_error_answers_are_documented_as_json_on_html_and_file_routes(spec):
    for path in (
        "/api/v1/tools/{tool_id}/versions/{number}/preview",
        "/api/v1/tools/{tool_id}/export.zip",
    ):
        responses = spec["paths"][path]["get"]["responses"]
        for status in ("401", "404", "422"):
            assert list(responses[status]["content"]) == ["application/json"], (path, status)
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorResponse"}


def test_every_list_is_a_page_with_limit_and_cursor(spec):
    for path in LISTS:
        operation = spec["paths"][path]["get"]
        params = {p["name"]: p["schema"] for p in operation["parameters"]}
        assert params["limit"]["minimum"] == 1 and params["limit"]["maximum"] == MAX_LIMIT
        assert params["limit"]["default"] == 50
        assert "cursor" in params, path
        ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        body = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
        assert set(body["properties"]) == {"items", "next_cursor"}, path


def test_every_integer_input_is_bounded(spec):
    def integers(schema):
        if schema.get("type") == "integer":
            yield schema
        for option in schema.get("anyOf", []):
            yield from integers(option)

    for name, operation in operations(spec):
        for parameter in operation.get("parameters", []):
            for schema in integers(parameter["schema"]):
                assert "maximum" in schema, (name, parameter["name"])
    for model, schema in spec["components"]["schemas"].items():
        if not model.endswith("In") and model != "UserPatch":
            continue
        for field, field_schema in schema.get("properties", {}).items():
            for integer in integers(field_schema):
                assert "maximum" in integer, (model, field)
            if field_schema.get("type") == "string":
                assert "maxLength" in field_schema, (model, field)


def test_cursors_are_opaque_and_checked():
    assert decode_cursor(encode_cursor(42)) == 42
    assert not re.fullmatch(r"\d+", encode_cursor(42))
    for bad in ("42", "x", encode_cursor(0), encode_cursor(2**31), "YWZ0ZXI6LTE"):
        with pytest.raises(Exception) as refused:
            decode_cursor(bad)
        assert refused.value.status_code == 422


def test_a_malformed_cursor_or_limit_is_422(client, mailbox):
    headers = bearer(signed_in(client, mailbox, "pat@example.com")["access_token"])
    for params in ({"cursor": "not-a-cursor"}, {"cursor": "!!"}, {"limit": 0}, {"limit": 101}):
        response = client.get("/api/v1/me/api-keys", params=params, headers=headers)
        assert response.status_code == 422, (params, response.text)
    error = assert_error_shape(
        client.get("/api/v1/tools", params={"cursor": "bm9wZQ"}, headers=headers),
        422,
        "invalid_cursor",
    )
    assert error["details"]["fields"][0]["field"] == "cursor"


def test_api_keys_page_newest_first(client, mailbox):
    headers = bearer(signed_in(client, mailbox, "quinn@example.com")["access_token"])
    for name in ("one", "two", "three"):
        client.post("/api/v1/me/api-keys", json={"name": name}, headers=headers)
    first = client.get("/api/v1/me/api-keys", params={"limit": 2}, headers=headers).json()
    assert [k["name"] for k in first["items"]] == ["three", "two"]
    rest = client.get(
        "/api/v1/me/api-keys", params={"limit": 2, "cursor": first["next_cursor"]}, headers=headers
    ).json()
    assert [k["name"] for k in rest["items"]] == ["one"] and rest["next_cursor"] is None


def test_admin_lists_page_and_user_search_is_literal(client, mailbox):
    headers = bearer(signed_in(client, mailbox, "admin@example.com")["access_token"])
    register(client, "a_b@example.com")
    register(client, "axb@example.com")
    found = client.get("/api/v1/admin/users", params={"q": "a_b"}, headers=headers).json()
    assert [u["email"] for u in found["items"]] == ["a_b@example.com"]
    newest = client.get("/api/v1/admin/users", params={"limit": 1}, headers=headers).json()
    assert newest["items"][0]["email"] == "axb@example.com" and newest["next_cursor"]
    dead = client.get("/api/v1/admin/events/dead", headers=headers).json()
    assert dead == {"items": [], "next_cursor": None}
    audit = client.get("/api/v1/admin/audit", params={"limit": 1}, headers=headers).json()
    assert len(audit["items"]) == 1 and audit["next_cursor"]
    big = client.get("/api/v1/admin/audit", params={"user_id": 10**26}, headers=headers)
    assert_error_shape(big, 422, "validation_error")


def test_the_me_routes_live_in_one_router_per_area_and_one_tag(client):
    """The account's /me routes are one router; the tools area adds the caller's tool settings
    under /me (accounts knows nothing of tools); the API's documents show them all as "me"."""
    from saasapp.accounts.api import admin, auth, me, oauth

    assert {"/me/api-keys", "/me/oauth", "/me/oauth/{provider}"} <= {
        route.path for route in me.router.routes
    }
    for other in (admin, auth, oauth):
        assert not [r.path for r in other.router.routes if r.path.startswith("/me")]
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    me_paths = {path for path in paths if path.startswith("/api/v1/me")}
    assert {"/api/v1/me/quota", "/api/v1/me/vercel-token", "/api/v1/me/api-keys"} <= me_paths
    for path in me_paths:
        for operation in paths[path].values():
            assert operation["tags"] == ["me"], path


def test_docs_load_their_assets_from_the_app(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
    urls += re.findall(r"""url:\s*['"]([^'"]+)['"]""", page.text)
    assert urls, page.text
    for url in urls:
        assert url.startswith("/"), f"{url} is not served by the app"
    scripts = [u for u in urls if u.endswith(".js")]
    styles = [u for u in urls if u.endswith(".css")]
    assert scripts and styles
    for url in scripts + styles:
        response = client.get(url)
        assert response.status_code == 200, url
        expected = "javascript" if url.endswith(".js") else "text/css"
        assert expected in response.headers["content-type"], url
        assert len(response.content) > 10_000, url
    assert client.get("/api/v1/openapi.json").status_code == 200
