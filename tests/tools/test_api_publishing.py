"""Publishing: validation, slugs, /t/{slug} headers and cache, previews, export, Vercel."""

import io
import json
import zipfile

import pytest

from saasapp.core.cache import NAMESPACE
from saasapp.core.crypto import decrypt
from saasapp.db import new_session
from saasapp.settings import get_settings
from saasapp.tools import publishing, tools
from saasapp.tools.models import Tool, VercelCredential, VersionSource
from tests.utils.tools import FOREIGN_SCRIPT, run_jobs
from tests.utils.vercel_server import TOKEN

CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:; form-action 'none'; base-uri 'none'; "
    "sandbox allow-scripts allow-modals allow-popups; frame-ancestors 'self'"
)


@pytest.fixture
def tool_id(client, maker):
    response = client.post(
        "/api/v1/tools", json={"prompt": "A loan calculator for students"}, headers=maker
    )
    run_jobs()
    return response.json()["tool_id"]


def add_foreign_script_version(tool_id):
    with new_session() as session:
        tool = session.get(Tool, tool_id)
        html = tools.current_version(session, tool).html.replace(
            "</head>", FOREIGN_SCRIPT + "</head>"
        )
        version = tools.add_version(
            session, tool, html=html, manifest=tool.manifest, source=VersionSource.REFINE
        )
        session.commit()
        return version.number


def test_publish_serves_the_page_with_strict_headers(client, maker, tool_id):
    response = client.post(f"/api/v1/tools/{tool_id}/publish", headers=maker)
    assert response.status_code == 200, response.text
    tool = response.json()
    assert tool["status"] == "published" and tool["published_version"] == 1
    assert tool["public_path"] == f"/t/{tool['slug']}"
    page = client.get(tool["public_path"])
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"] == CSP
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'self'" in page.headers["content-security-policy"]
    assert 'id="tool-root"' in page.text


def test_published_page_is_cached_and_unpublish_invalidates(
    client, maker, tool_id, redis_client, monkeypatch
):
    slug = client.post(f"/api/v1/tools/{tool_id}/publish", headers=maker).json()["slug"]
    loads = []
    real_loader = publishing.load_published_html

    def counting_loader(session, wanted):
        loads.append(wanted)
        return real_loader(session, wanted)

    monkeypatch.setattr(publishing, "load_published_html", counting_loader)
    first, second = client.get(f"/t/{slug}"), client.get(f"/t/{slug}")
    assert first.text == second.text and first.status_code == 200
    assert loads == [slug]  # the second answer came from Redis
    assert redis_client.exists(f"{NAMESPACE}tool-page:{slug}")

    assert client.post(f"/api/v1/tools/{tool_id}/unpublish", headers=maker).status_code == 200
    assert not redis_client.exists(f"{NAMESPACE}tool-page:{slug}")
    gone = client.get(f"/t/{slug}")
    assert gone.status_code == 404
    assert gone.headers["content-type"].startswith("text/html")
    assert "Tool not found" in gone.text
    assert gone.headers["content-security-policy"] == CSP


def test_unknown_slug_is_a_plain_html_404(client):
    response = client.get("/t/no-such-tool")
    assert response.status_code == 404 and "<h1>Tool not found</h1>" in response.text


def test_publish_refuses_a_foreign_script_until_fixed_or_allowed(
    client, maker, tool_id, monkeypatch
):
    add_foreign_script_version(tool_id)
    check = client.get(f"/api/v1/tools/{tool_id}/publish-check", headers=maker).json()
    assert check["publishable"] is False
    response = client.post(f"/api/v1/tools/{tool_id}/publish", headers=maker)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "not_publishable"
    [problem] = error["details"]["problems"]
    assert problem["code"] == "external_script" and "cdn.evil.example" in problem["message"]
    tool = client.get(f"/api/v1/tools/{tool_id}", headers=maker).json()
    assert tool["status"] == "draft"

    # Allowlisting the host lets it through, and the CSP names the host.
    monkeypatch.setenv("TOOL_ALLOWED_HOSTS", "cdn.evil.example, *.fonts.example")
    get_settings.cache_clear()
    try:
        published = client.post(f"/api/v1/tools/{tool_id}/publish", headers=maker).json()
        assert published["published_version"] == 2
        csp = client.get(f"/t/{published['slug']}").headers["content-security-policy"]
        assert "script-src 'unsafe-inline' https://cdn.evil.example https://*.fonts.example;" in csp
        assert csp.startswith("default-src 'none';") and csp.endswith("frame-ancestors 'self'")
    finally:
        monkeypatch.delenv("TOOL_ALLOWED_HOSTS")
        get_settings.cache_clear()

    # Without the allowlist, reverting to the clean version makes it publishable again.
    client.post(f"/api/v1/tools/{tool_id}/unpublish", headers=maker)
    assert client.post(f"/api/v1/tools/{tool_id}/publish", headers=maker).status_code == 400
    client.post(f"/api/v1/tools/{tool_id}/revert", json={"version": 1}, headers=maker)
    response = client.post(f"/api/v1/tools/{tool_id}/publish", headers=maker)
    assert response.status_code == 200 and response.json()["published_version"] == 3


def test_slugs_reserved_taken_and_renamed(client, maker, tool_id):
    for slug, status, code in [
        ("admin", 400, "slug_reserved"),
        ("api", 400, "slug_reserved"),
        ("Not A Slug!", 400, "invalid_slug"),
    ]:
        response = client.post(
            f"/api/v1/tools/{tool_id}/publish", json={"slug": slug}, headers=maker
        )
        assert (response.status_code, response.json()["error"]["code"]) == (status, code)
    other = client.post("/api/v1/tools", json={"prompt": "A quiz"}, headers=maker).json()
    run_jobs()
    other_slug = client.get(f"/api/v1/tools/{other['tool_id']}", headers=maker).json()["slug"]
    taken = client.post(
        f"/api/v1/tools/{tool_id}/publish", json={"slug": other_slug}, headers=maker
    )
    assert taken.status_code == 409 and taken.json()["error"]["code"] == "slug_taken"
    old_slug = client.post(f"/api/v1/tools/{tool_id}/publish", headers=maker).json()["slug"]
    assert client.get(f"/t/{old_slug}").status_code == 200
    renamed = client.post(
        f"/api/v1/tools/{tool_id}/publish", json={"slug": "student-loans"}, headers=maker
    )
    assert renamed.json()["slug"] == "student-loans"
    assert client.get("/t/student-loans").status_code == 200
    assert client.get(f"/t/{old_slug}").status_code == 404


def test_previews_for_the_owner_and_the_sandboxed_iframe(client, maker, tool_id):
    preview = client.get(f"/api/v1/tools/{tool_id}/versions/1/preview", headers=maker)
    # A preview may also be framed by the app's pages at PUBLIC_URL.
    preview_csp = CSP.replace(
        "frame-ancestors 'self'", "frame-ancestors 'self' http://localhost:3000"
    )
    assert preview.status_code == 200 and preview.headers["content-security-policy"] == preview_csp
    link = client.get(f"/api/v1/tools/{tool_id}/versions/1/preview-url", headers=maker).json()
    assert link["url"].startswith("/t-preview/") and link["expires_in"] == 600
    framed = client.get(link["url"])  # no credentials: the iframe sends none
    assert framed.status_code == 200 and framed.text == preview.text
    assert framed.headers["content-security-policy"] == preview_csp
    tampered = link["url"][:-2] + ("AA" if not link["url"].endswith("AA") else "BB")
    assert client.get(tampered).status_code == 404
    version_id, _expiry, _sig = link["url"].removeprefix("/t-preview/").split(".")
    expired = publishing.preview_token(int(version_id), seconds=-1)
    assert client.get(f"/t-preview/{expired}").status_code == 404


def test_export_zip_is_a_static_site(client, maker, tool_id):
    response = client.get(f"/api/v1/tools/{tool_id}/export.zip", headers=maker)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert ".zip" in response.headers["content-disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == sorted(
        ["index.html", "manifest.json", "vercel.json", "README.md", ".replit"]
    )
    version = client.get(f"/api/v1/tools/{tool_id}/versions/1", headers=maker).json()
    assert archive.read("index.html").decode() == version["html"]
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["generator"] == "offline" and manifest["version"] == 1
    assert manifest["inputs"] and manifest["seo"]["title"]
    vercel = json.loads(archive.read("vercel.json"))
    assert vercel["cleanUrls"] is True
    [rule] = vercel["headers"]
    headers = {h["key"]: h["value"] for h in rule["headers"]}
    assert rule["source"] == "/(.*)" and headers["Content-Security-Policy"] == CSP
    assert headers["X-Content-Type-Options"] == "nosniff"
    replit = archive.read(".replit").decode()
    assert 'deploymentTarget = "static"' in replit and "run =" in replit
    assert manifest["name"] in archive.read("README.md").decode()


def test_vercel_token_is_stored_encrypted_and_never_returned(client, maker):
    assert client.get("/api/v1/me/vercel-token", headers=maker).json() == {"configured": False}
    response = client.put("/api/v1/me/vercel-token", json={"token": TOKEN}, headers=maker)
    assert response.json() == {"configured": True}
    assert TOKEN not in response.text
    with new_session() as session:
        [credential] = session.query(VercelCredential).all()
    assert TOKEN not in credential.token_encrypted
    assert decrypt(credential.token_encrypted) == TOKEN
    assert client.put("/api/v1/me/vercel-token", json={"token": ""}, headers=maker).json() == {
        "configured": False
    }


def test_deploy_to_vercel(client, maker, tool_id, vercel_server):
    missing = client.post(f"/api/v1/tools/{tool_id}/deploy/vercel", headers=maker)
    assert missing.status_code == 400
    assert missing.json()["error"]["code"] == "vercel_token_missing"

    client.put("/api/v1/me/vercel-token", json={"token": "wrong-token"}, headers=maker)
    refused = client.post(f"/api/v1/tools/{tool_id}/deploy/vercel", headers=maker)
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "vercel_unauthorized"

    client.put("/api/v1/me/vercel-token", json={"token": TOKEN}, headers=maker)
    response = client.post(f"/api/v1/tools/{tool_id}/deploy/vercel", headers=maker)
    assert response.status_code == 200, response.text
    tool = response.json()
    assert tool["vercel"]["deployment_id"] == "dpl_test2"
    assert tool["vercel"]["url"] == f"https://{tool['slug']}-abc2.vercel.app"
    assert tool["vercel"]["status"] == "QUEUED"
    request = vercel_server.requests[-1]
    assert request["path"] == "/v13/deployments"
    assert request["headers"]["authorization"] == f"Bearer {TOKEN}"
    body = request["json"]
    assert body["name"] == tool["slug"] and body["target"] == "production"
    assert body["projectSettings"] == {"framework": None}
    files = {f["file"]: f["data"] for f in body["files"]}
    assert {"index.html", "vercel.json", "manifest.json"} <= set(files)
    assert json.loads(files["vercel.json"])["cleanUrls"] is True

    shown = client.get(f"/api/v1/tools/{tool_id}", headers=maker).json()
    assert shown["vercel"]["url"] == tool["vercel"]["url"]
    refreshed = client.post(f"/api/v1/tools/{tool_id}/deploy/vercel/refresh", headers=maker)
    assert refreshed.json()["vercel"]["status"] == "READY"


def test_deploy_refuses_an_unpublishable_page(client, maker, tool_id, vercel_server):
    client.put("/api/v1/me/vercel-token", json={"token": TOKEN}, headers=maker)
    add_foreign_script_version(tool_id)
    response = client.post(f"/api/v1/tools/{tool_id}/deploy/vercel", headers=maker)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "not_publishable"
    assert vercel_server.requests == []


def test_tool_pages_win_over_the_frontend_mounted_behind_the_api(client, maker, tool_id):
    """Reflex mounts its whole app (frontend included) at "" inside the API app, as here."""
    from fastapi.testclient import TestClient
    from starlette.responses import PlainTextResponse

    from saasapp.http.app import create_api

    async def frontend(scope, receive, send):
        await PlainTextResponse("frontend")(scope, receive, send)

    slug = client.post(f"/api/v1/tools/{tool_id}/publish", headers=maker).json()["slug"]
    app = create_api()
    app.mount("", frontend)
    with TestClient(app) as mounted:
        assert 'id="tool-root"' in mounted.get(f"/t/{slug}").text
        assert mounted.get("/t/unknown").status_code == 404
        assert mounted.get("/tools").text == "frontend"
