"""The app as the session benchmark serves it: the product's app plus one yardstick route.

`POST /bench/invoegen` stores one row with one INSERT, through the same middleware, the same
session dependency (BEGIN IMMEDIATE on SQLite) and the same threadpool as the vote endpoint,
so the ratio of the two says what the vote path costs beyond the bare minimum a stored vote
needs. It lives here and not in app/: uvicorn serves `bench.session_app:app` only in the
benchmark, so no installation of Kompas ever answers on this route, and no switch in the
product's settings could turn it on by mistake. Its table is a scratch table of the benchmark
database, made here, shaped like a vote (the same columns and the same unique key), and never
part of the schema the migrations build.
"""

from typing import Annotated

import sqlalchemy as sa
from fastapi import Form
from starlette.responses import Response

from app.db import SessionDep, engine
from app.main import app
from app.tables import utc_now
from bench.session_clients import BARE_PATH

_metadata = sa.MetaData()
bare_vote = sa.Table(
    "bench_bare_vote",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("round_id", sa.Integer, nullable=False, index=True),
    sa.Column("item_id", sa.Integer, nullable=False, index=True),
    sa.Column("participant_id", sa.Integer, nullable=False, index=True),
    sa.Column("key", sa.String(80), nullable=False),
    sa.Column("value", sa.Integer, nullable=False),
    sa.Column("cast_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("participant_id", "key"),
)
_metadata.create_all(engine)


@app.post(BARE_PATH, include_in_schema=False)
def insert_one(
    session: SessionDep,
    participant: Annotated[int, Form()],
    item: Annotated[int, Form()],
    key: Annotated[str, Form(max_length=80)],
) -> Response:
    session.execute(
        sa.insert(bare_vote).values(
            round_id=1,
            item_id=item,
            participant_id=participant,
            key=key,
            value=1,
            cast_at=utc_now(),
        )
    )
    session.commit()
    return Response(status_code=204)


# FastAPI tries the routes in order, and trying one costs a few microseconds; the app has some
# three hundred. First in line, the yardstick pays the least for finding its route, so it stays
# the bare minimum (at the end of the line it would pay a millisecond or more per request).
app.router.routes.insert(0, app.router.routes.pop())
