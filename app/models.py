"""Imports every table model, so that SQLAlchemy and Alembic see the whole schema."""

from app import outbox, worker
from app.activities import models as activities_models
from app.ambitions import models as ambitions_models
from app.audit import models as audit_models
from app.cycles import models as cycles_models
from app.improvement import models as improvement_models
from app.organisations import models as organisations_models
from app.partner_requests import models as partner_requests_models
from app.publications import models as publications_models
from app.results import models as results_models
from app.scenarios import models as scenarios_models
from app.sessions import models as sessions_models

__all__ = [
    "activities_models",
    "ambitions_models",
    "audit_models",
    "cycles_models",
    "improvement_models",
    "organisations_models",
    "outbox",
    "partner_requests_models",
    "publications_models",
    "results_models",
    "scenarios_models",
    "sessions_models",
    "worker",
]
