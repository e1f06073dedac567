"""Templates are compiled when the app starts, not on someone's first page."""

from app.templating import load_templates, templates


def test_every_template_is_compiled_at_start_up():
    env = templates.env
    env.cache.clear()
    load_templates()
    compiled = {name for _loader, name in env.cache}
    assert set(env.list_templates(extensions=["html"])) <= compiled
    assert "sessions/control.html" in compiled
