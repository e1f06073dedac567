"""Live theme sessions: participants on their phones, results on the projector.

Participant HTTP flow (no account; all under /doe-mee, cookies bound to one session):

1. Join: GET /doe-mee/{code} gives the join form (and a pre-session cookie whose token the
   form carries as `_csrf`). POST /doe-mee/{code} with `_csrf`, `perspectief` (municipality,
   provider, resident, other) and optional `naam` sets the cookie `kompas_deelnemer`
   (path /doe-mee/{code}, HttpOnly, SameSite=Strict; only a keyed hash is stored) and
   redirects (303) to GET /doe-mee/{code}/ronde, the participant's page. That page carries the
   participant's form token in `<meta name="kompas-csrf">` and in every form's `_csrf`.
2. Vote: POST /doe-mee/{code}/stemmen with `_csrf` (or header X-CSRF-Token), `ronde` (round
   id), `keuze` (item id) and `sleutel`, a key made by the page (a UUID; the form without
   JavaScript carries one made by the server). With `Accept: application/json` the answer is
   200 {"sleutel", "ronde", "keuze", "gebruikt", "toegestaan", "herhaald"}; the same key sent
   again answers the same confirmation and counts once. Refusals: 409 (round not open,
   allowance used up) or 422 (not a choice of this round), {"melding": "..."} in Dutch;
   nothing changes. Proposals: POST /doe-mee/{code}/inbreng (`ronde`, `tekst`, `sleutel`);
   rankings and scores: POST /doe-mee/{code}/rangorde and /doe-mee/{code}/scores.
3. Live: the projector follows GET /sessies/{id}/live (server-sent events, signed-in member;
   event `uitslag` carries the results as HTML); phones follow GET /doe-mee/{code}/live (event
   `ronde` when the round changes). Across app processes the events travel through
   PostgreSQL LISTEN/NOTIFY (see live.py).

A facilitator's API token prepares and runs a session: POST /api/v2/cycles/{id}/sessions,
POST /api/v2/sessions/{id}/rounds, POST /api/v2/rondes/{id}/keuzes, PUT
/api/v2/rondes/{id}/status {"status": "open"}, GET /api/v2/rondes/{id}/uitslag; the join code
is in the session's JSON (`join_code`).
"""

# Every flush of session data moves the session's live revision on: registered with the models.
from app.sessions import revision as revision
