"""Bounded input types shared by the routes: out of range is a 422, never a database error.

Every id and number column is a PostgreSQL ``integer``, so no id or number above
``MAX_INT`` can exist; refusing it up front also keeps it out of SQL.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from pydantic import Field

MAX_INT = 2**31 - 1

# Ids and version numbers in paths.
IdPath = Annotated[int, Path(ge=1, le=MAX_INT, description="A resource id.")]
NumberPath = Annotated[int, Path(ge=1, le=MAX_INT, description="A version number (1, 2, ...).")]
# Optional ids and version numbers in queries.
IdQuery = Annotated[int | None, Query(ge=1, le=MAX_INT)]
NumberQuery = Annotated[int | None, Query(ge=1, le=MAX_INT)]
# A version number in a body.
Number = Annotated[int, Field(ge=1, le=MAX_INT)]
# An OAuth provider's name (google, github, x); unknown names answer 404.
ProviderPath = Annotated[str, Path(max_length=40, description="google, github or x.")]
