"""One way to answer a list: ``{"items": [...], "next_cursor": ...}`` for ``?limit=&cursor=``.

Pages run by id, newest first, with a keyset cursor: the next page is the rows whose id is
below the last one seen, so rows added meanwhile never shift a page. The cursor is opaque to
clients (base64 of the position); one this API did not give out answers 422.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import Select
from sqlmodel import Session

from saasapp.http.bounds import MAX_INT
from saasapp.http.errors import ApiError

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
_CURSOR = re.compile(r"after:([1-9][0-9]{0,9})")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        None, description="Pass as ?cursor= for the next page; null on the last page."
    )


@dataclass(frozen=True)
class PageParams:
    limit: int
    before_id: int | None  # the last id of the previous page


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"after:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The id a cursor stands for; ApiError 422 ``invalid_cursor`` when it is not one of ours."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    match = _CURSOR.fullmatch(text)
    if match is None or int(match.group(1)) > MAX_INT:
        raise ApiError(
            422,
            "invalid_cursor",
            "Invalid input: cursor. Pass the next_cursor of a previous page, or no cursor.",
            details={"fields": [{"field": "cursor", "message": "not a cursor of this list"}]},
        )
    return int(match.group(1))


def page_params(
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description=f"Items per page (1 to {MAX_LIMIT}).")
    ] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None,
        Query(
            max_length=64,
            pattern=r"^[A-Za-z0-9_-]+$",
            description="The next_cursor of the previous page; none for the first page.",
        ),
    ] = None,
) -> PageParams:
    return PageParams(limit=limit, before_id=decode_cursor(cursor) if cursor else None)


PageQuery = Annotated[PageParams, Depends(page_params)]


def paginate(
    session: Session, statement: Select, page: PageParams, *, id_column: Any = None
) -> tuple[list[Any], str | None]:
    """One page of ``statement``'s rows (an unordered ``select(Model)``), by ``Model.id``
    descending; returns the rows and the cursor of the next page (None on the last)."""
    if id_column is None:
        id_column = statement.column_descriptions[0]["entity"].id
    if page.before_id is not None:
        statement = statement.where(id_column < page.before_id)
    statement = statement.order_by(id_column.desc()).limit(page.limit + 1)
    rows = list(session.scalars(statement).all())
    if len(rows) <= page.limit:
        return rows, None
    rows = rows[: page.limit]
    return rows, encode_cursor(getattr(rows[-1], id_column.key))
