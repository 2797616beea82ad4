"""A tool as a static site: a zip that deploys as is on Vercel and imports into Replit.

Files: ``index.html`` (the page), ``manifest.json`` (name, slug, inputs/outputs, SEO),
``vercel.json`` (clean URLs and the same security headers the platform serves), ``README.md``
and ``.replit`` (a static deployment serving the folder).
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from sqlmodel import Session

from saasapp.accounts.models import User
from saasapp.core.errors import ServiceError
from saasapp.tools.models import Tool, ToolVersion
from saasapp.tools.publishing import content_security_policy
from saasapp.tools.tools import current_version, get_tool, get_version

REPLIT = """run = "python3 -m http.server 8080"
entrypoint = "index.html"

[[ports]]
localPort = 8080
externalPort = 80

[deployment]
deploymentTarget = "static"
publicDir = "/"
"""


def vercel_config() -> dict[str, Any]:
    """vercel.json: a static site (no build) with the platform's security headers."""
    return {
        "cleanUrls": True,
        "trailingSlash": False,
        "headers": [
            {
                "source": "/(.*)",
                "headers": [
                    {"key": "Content-Security-Policy", "value": content_security_policy()},
                    {"key": "X-Content-Type-Options", "value": "nosniff"},
                    {"key": "Referrer-Policy", "value": "no-referrer"},
                ],
            }
        ],
    }


def _readme(tool: Tool, version: ToolVersion) -> str:
    tagline = f"\n{tool.tagline}\n" if tool.tagline else ""
    return f"""# {tool.name}
{tagline}
A self-contained web tool (one HTML file with inline CSS and JavaScript, no build step and no
server code), exported from saasapp (version {version.number}, generator: {tool.generator}).

## Run it locally

    python3 -m http.server 8080    # then open http://localhost:8080

## Deploy on Vercel

Import this folder as a project (framework preset: Other, no build command) or run
`vercel deploy` in it. `vercel.json` sets clean URLs and the security headers.

## Replit

Import the folder (or the zip) into a Repl: `.replit` serves it with Run and deploys it as a
static site.

`manifest.json` describes the tool: name, inputs, outputs and SEO fields.
"""


def site_files(tool: Tool, version: ToolVersion) -> dict[str, str]:
    """Every file of the static site, by name (also what a Vercel deployment uploads)."""
    manifest = {**version.manifest, "version": version.number}
    return {
        "index.html": version.html,
        "manifest.json": json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
        "vercel.json": json.dumps(vercel_config(), indent=2) + "\n",
        "README.md": _readme(tool, version),
        ".replit": REPLIT,
    }


def export_zip(
    session: Session, user: User, *, tool_id: int, version_number: int | None = None
) -> tuple[str, bytes]:
    """``(file name, zip bytes)`` of the tool's current version (or ``version_number``)."""
    tool = get_tool(session, user, tool_id)
    if version_number is not None:
        version = get_version(session, user, tool_id=tool_id, number=version_number)
    else:
        version = current_version(session, tool)
    if version is None:
        raise ServiceError("no_version", "Build the tool before exporting it.")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in site_files(tool, version).items():
            archive.writestr(name, content)
    return f"{tool.slug}-v{version.number}.zip", buffer.getvalue()
