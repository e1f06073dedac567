"""What every step page (steps 0-6, in the packages that own them) shows around its own
content: the step, its status form and the cycle. One room the step pages share, so no
package's routes import another's."""

from app.cycles import service as cycles_service
from app.cycles.models import Cycle, CycleStepBase
from app.cycles.steps import step_url
from app.forms import FormState

STEP_LABELS = {"status": "Status", "notes": "Aantekeningen"}


def step_context(cycle: Cycle, number: int) -> dict:
    """The template context around step `number` of `cycle`."""
    cycle_step = cycles_service.step_of(cycle, number)
    state = FormState.of(CycleStepBase.model_validate(cycle_step))
    state.id = f"step-{number}"
    state.labels = STEP_LABELS
    return {
        "cycle": cycle,
        "step_number": number,
        "cycle_step": cycle_step,
        "step_form": state,
        "next": step_url(cycle.id, number),
        "nav": "themes",
    }
