"""Random values of every type (huge numbers, any Unicode, control characters, empty, very
long) sent to every route, through the API and the forms: never a server error, and a write
that is refused leaves everything as it was."""

import re
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.api_names import dutch
from app.main import app
from app.organisations.models import Role
from tests import factories
from tests.organisations.test_access import ROUTES
from tests.resource_specs import SPECS, make_item

TRICKY = [
    "",
    " ",
    "\x00",
    "\r\n",
    "\u202e",
    "²",
    "٣",
    "9" * 25,
    "-1",
    "0",
    "1e309",
    "NaN",
    "12.500,50",
    "31-02-2024",
    "<script>alert(1)</script>",
    "=1+1",
    "Ærø",
    "🚀",
    "null",
    "true",
    "[]",
]
SCALARS = st.one_of(
    st.integers(min_value=-(2**80), max_value=2**80),
    st.text(max_size=40),
    st.text(min_size=3000, max_size=5000),
    st.sampled_from(TRICKY),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
)
VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=3),
    st.dictionaries(st.text(max_size=5), SCALARS, max_size=2),
)
FIELDS = sorted(
    {name for spec in SPECS for name in spec.resource.write.model_fields}
    | {"email", "role", "status", "_versie", "_next", "notes", "text"}
)
FUZZ = settings(
    max_examples=80, deadline=None, suppress_health_check=list(HealthCheck), database=None
)


def as_text(value) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def fill(path: str, values: list) -> str:
    parts = iter(values)
    return re.sub(r"\{[^}]+\}", lambda _: quote(as_text(next(parts)), safe="") or "0", path)


@FUZZ
@given(
    route=st.sampled_from(ROUTES),
    path_values=st.lists(SCALARS, min_size=3, max_size=3),
    body=st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=6),
    query=st.dictionaries(
        st.sampled_from(["ouder-dan", "next", "sectie", "volgende"]), SCALARS, max_size=2
    ),
)
def test_no_route_ever_answers_with_a_server_error(client, route, path_values, body, query):
    method, path = route
    url = fill(path, path_values)
    params = {key: as_text(value) for key, value in query.items()}
    if path.startswith("/api/"):
        response = client.request(method, url, json=body, params=params)
    else:
        form = {key: as_text(value) for key, value in body.items()}
        response = client.request(method, url, data=form, params=params, follow_redirects=False)
    assert response.status_code < 500, (method, url, body, response.text[:500])


def snapshot(spec, session, organisation, item):
    session.expire_all()
    return spec.resource.write_values(spec.resource.get(session, organisation, item.id))


@FUZZ
@given(data=st.data())
def test_a_refused_write_changes_nothing(client_as, session, data):
    organisation = factories.make_organisation(session)  # each example starts afresh
    client = client_as(Role.ADMIN, of=organisation)
    spec = data.draw(st.sampled_from(SPECS), label="record")
    parent, item = make_item(spec, session, organisation)
    valid = spec.valid_for(session, parent)  # before any request detaches the parent
    field = data.draw(st.sampled_from(sorted(spec.resource.write.model_fields)), label="field")
    value = data.draw(VALUES, label="value")
    before = snapshot(spec, session, organisation, item)
    api = client.patch(
        app.url_path_for(
            f"api:{spec.resource.name}:update", **{dutch(f"{spec.resource.name}_id"): item.id}
        ),
        json={dutch(field): value},
    )
    assert api.status_code < 500, api.text[:500]
    if api.status_code >= 400:
        assert snapshot(spec, session, organisation, item) == before
    before = snapshot(spec, session, organisation, item)
    version = str(spec.resource.get(session, organisation, item.id).version)
    form = {**valid, field: as_text(value), "_versie": version}
    page = client.post(
        app.url_path_for(f"{spec.resource.name}:update", **{f"{spec.resource.name}_id": item.id}),
        data=form,
        follow_redirects=False,
    )
    assert page.status_code < 500, page.text[:500]
    if page.status_code >= 400:
        assert snapshot(spec, session, organisation, item) == before
        assert page.status_code in (403, 404, 409, 422, 428)
