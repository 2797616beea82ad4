"""Every API error has one JSON shape with a request id, and leaks nothing."""

import json

from pydantic import BaseModel

from tests.utils.api import add_route, assert_error_shape


def test_unknown_api_path_is_a_json_404(client):
    error = assert_error_shape(client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert "/api/v1/no-such-thing" in error["message"]


def test_unknown_api_path_is_a_404_with_the_frontend_mounted(api, client):
    # As in the running app: Reflex mounts itself at "" inside the API, matching every path.
    from starlette.applications import Starlette

    api.mount("", Starlette())
    assert_error_shape(client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert_error_shape(client.post("/api/v1/health"), 405, "method_not_allowed")


def test_wrong_method_on_a_known_path_is_405_with_allow(client):
    response = client.post("/api/v1/health")
    assert_error_shape(response, 405, "method_not_allowed")
    assert "GET" in response.headers["allow"]


def test_request_id_from_the_caller_is_kept(client):
    response = client.get("/api/v1/nope", headers={"X-Request-ID": "abc-123.x"})
    assert response.headers["x-request-id"] == "abc-123.x"
    assert response.json()["error"]["request_id"] == "abc-123.x"


def test_request_id_that_could_inject_is_replaced(client):
    evil = "x" * 300
    response = client.get("/api/v1/nope", headers={"X-Request-ID": evil})
    assert response.headers["x-request-id"] != evil
    assert len(response.headers["x-request-id"]) == 32


def test_unhandled_exception_is_a_500_without_leaks_and_is_logged(api, client, capfd):
    secret_sql = "SELECT password_hash FROM users WHERE secret_key='s3cr3t-value'"

    def boom():
        raise RuntimeError(secret_sql)

    add_route(api, "GET", "/api/v1/boom", boom)

    response = client.get("/api/v1/boom")
    error = assert_error_shape(response, 500, "internal_error")
    assert "s3cr3t" not in response.text and "SELECT" not in response.text
    assert "Traceback" not in response.text and "RuntimeError" not in response.text
    lines = [
        json.loads(line) for line in capfd.readouterr().err.splitlines() if line.startswith("{")
    ]
    logged = [line for line in lines if line["event"] == "unhandled_error"]
    assert logged, "the error must be logged on the server"
    assert logged[0]["request_id"] == error["request_id"]
    assert (
        "Traceback" in logged[0]["exception"] and "RuntimeError: SELECT" in logged[0]["exception"]
    )


def test_validation_error_is_422_with_field_names(api, client):
    class Signup(BaseModel):
        email: str
        age: int

    def create(signup: Signup):
        return signup

    add_route(api, "POST", "/api/v1/signups", create)

    response = client.post("/api/v1/signups", json={"age": "not a number"})
    error = assert_error_shape(response, 422, "validation_error")
    fields = {f["field"] for f in error["details"]["fields"]}
    assert fields == {"email", "age"}
    assert "age" in error["message"] and "email" in error["message"]


def test_malformed_json_body_is_a_clear_422(api, client):
    class Item(BaseModel):
        name: str

    def create(item: Item):
        return item

    add_route(api, "POST", "/api/v1/items", create)

    response = client.post(
        "/api/v1/items", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert_error_shape(response, 422, "validation_error")


def test_body_that_is_not_utf8_is_a_422_like_other_malformed_json(client):
    # Found by the API fuzzer: FastAPI answered 400, undocumented, for undecodable bytes.
    response = client.post(
        "/api/v1/auth/refresh", content=b" \x82<", headers={"content-type": "application/json"}
    )
    error = assert_error_shape(response, 422, "validation_error")
    assert error["details"]["fields"] == [{"field": "body", "message": "not UTF-8 encoded JSON"}]


def test_openapi_document_is_served_and_documents_the_error_shape(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/health" in spec["paths"]
    assert "ErrorResponse" in spec["components"]["schemas"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
