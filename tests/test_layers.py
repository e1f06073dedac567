"""The layering written in README.md ("Where things live"), checked: no module imports a
package above its own, and the shared rooms import a domain package only where the README
says so. A new import upwards fails here; either it goes, or the README and this list say why.
"""

import ast
from collections import defaultdict

from app.config import ROOT

# README.md, "Where things live", point 2: lowest first; packages on one line may import each
# other.
LEVELS = [
    {"organisations"},
    {"cycles"},
    {"ambitions"},
    {"results"},
    {"activities"},
    {"partner_requests", "improvement"},
    {"sessions", "scenarios"},
    {"reports", "progress", "audit"},
    {"publications"},
]
LEVEL = {package: n for n, packages in enumerate(LEVELS) for package in packages}
TOP = {"app.main", "app.models", "app.cli", "app.jobs"}  # point 3, with the worker's list

# Modules that import from a package above their own, each named in the README.
UPWARDS = {
    # The audit log's recording half (its table, events, recorder) sits just above
    # organisations.models: sign-ins, SSO settings and role changes are logged from there.
    ("app.organisations.routes", "app.audit.events"),
    ("app.organisations.routes", "app.audit.models"),
    ("app.organisations.routes", "app.audit.recorder"),  # an erased person's pseudonym
    ("app.organisations.second_factor_routes", "app.audit.events"),
    ("app.organisations.second_factor_routes", "app.audit.models"),
    ("app.organisations.signin_routes", "app.audit.events"),
    ("app.organisations.signin_routes", "app.audit.models"),
    ("app.organisations.sso", "app.audit.events"),
    ("app.organisations.sso", "app.audit.models"),
    ("app.organisations.sso_routes", "app.audit.events"),
    ("app.organisations.sso_routes", "app.audit.models"),
    # The verslag's PDF and Word files are made by the report's renderers.
    ("app.sessions.record_files", "app.reports.pdf"),
    ("app.sessions.record_files", "app.reports.word"),
}
# Shared rooms (app/*.py) that import a domain package: the identity and web rooms.
SHARED = {
    "app.auth": {"organisations"},
    "app.resources": {"organisations"},
    "app.imports": {"organisations"},
    "app.templating": {"cycles"},
    "app.api_collections": {"organisations", "audit"},
}


def _imports() -> dict[str, set[str]]:
    """Each module of app/ and the app modules it imports (`from app.x import y` counts as
    app.x.y when that is a module, else as app.x)."""
    modules = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in (ROOT / "app").rglob("*.py")
    }
    found: dict[str, set[str]] = defaultdict(set)
    for path in (ROOT / "app").rglob("*.py"):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [
                    f"{node.module}.{a.name}"
                    if f"{node.module}.{a.name}" in modules
                    else node.module
                    for a in node.names
                ]
            else:
                continue
            found[module] |= {name for name in names if name.startswith("app.")}
    return found


def _package(module: str) -> str:
    return module.split(".")[1]


def test_no_domain_package_imports_one_above_it():
    upwards = {
        (module, imported)
        for module, imported_all in _imports().items()
        if _package(module) in LEVEL
        for imported in imported_all
        if _package(imported) in LEVEL and LEVEL[_package(imported)] > LEVEL[_package(module)]
    }
    assert upwards - UPWARDS == set(), "imports upwards, not in README.md"
    assert UPWARDS - upwards == set(), "no longer imported: take them off the list"


def test_the_shared_rooms_import_only_the_domain_packages_the_readme_names():
    shared = {
        module: {_package(i) for i in imported if _package(i) in LEVEL}
        for module, imported in _imports().items()
        if module.count(".") == 1 and module not in TOP and _package(module) not in LEVEL
    }
    assert {m: p for m, p in shared.items() if p} == SHARED


def test_the_lowest_rooms_import_no_domain_package_nor_identity():
    """Secrets, configuration and the database know nothing of who is signed in."""
    imports = _imports()
    for module in ("app.secret_hashing", "app.config", "app.db", "app.tables", "app.errors"):
        assert not {i for i in imports[module] if _package(i) in LEVEL | {"auth": 0}}, module
