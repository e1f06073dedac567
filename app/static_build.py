"""Builds the static files at install time (`make assets`): `python -m app.static_build`.

The NL Design System CSS holds every Utrecht component (400 KB) and the example theme every
token of every design system (200 KB); Kompas uses a few dozen of each. The build keeps the
Utrecht rules whose classes the templates use and the tokens those rules (and Kompas's own
CSS) refer to, and bundles the three into one stylesheet. Every file is written under a name
with its content hash (`kompas.1a2b3c4d5e6f.css`), beside its Brotli and gzip variants, so that
it can be cached for a year and served compressed without work per request.
"""

import gzip
import hashlib
import itertools
import json
import re
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

import brotli
import tinycss2
from tinycss2 import ast

from app.config import ROOT

NODE_MODULES = ROOT / "node_modules"
OUTPUT = ROOT / "static" / "dist"
# Where the templates (and the Python code that names classes for them) live.
CLASS_SOURCES = (ROOT / "templates", ROOT / "app")

UTRECHT = "@utrecht/component-library-css"
THEME = "@nl-design-system-unstable/voorbeeld-design-tokens"
STYLESHEETS = (
    (UTRECHT, "dist/index.css"),
    (THEME, "dist/theme.css"),
    (None, "static/css/kompas.css"),
)
# Served name -> source: an npm package's file, or one of Kompas's own.
FILES = {
    "htmx.js": ("htmx.org", "dist/htmx.min.js"),
    "htmx-sse.js": ("htmx-ext-sse", "dist/sse.min.js"),
    "favicon.svg": (None, "static/favicon.svg"),
    "session-vote.js": (None, "static/js/session-vote.js"),
    "projector.js": (None, "static/js/projector.js"),
    "timer.js": (None, "static/js/timer.js"),
}
BUNDLE = "kompas.css"
HASH_LENGTH = 12  # what servestatic recognises as a fingerprint

_CLASS = re.compile(r"utrecht-[a-z0-9_-]+")
# The browser's `:invalid` matches a required field nobody has touched yet, so Utrecht's rules
# would paint an empty form red before anyone typed; `:user-invalid` waits for the person.
# (A form the server sent back with errors marks its fields with aria-invalid, as before.)
_INVALID = re.compile(r":invalid\b")
_VAR = re.compile(r"var\(\s*(--[A-Za-z0-9_-]+)")


def _source(package: str | None, path: str) -> Path:
    return NODE_MODULES / package / path if package else ROOT / path


def used_classes() -> set[str]:
    """Utrecht classes named anywhere in the templates or the code. A name cut off by a
    template expression (`utrecht-form-field--{{ kind }}`) counts as a prefix."""
    found: set[str] = set()
    for folder in CLASS_SOURCES:
        for path in folder.rglob("*"):
            if path.suffix in {".html", ".py"}:
                found.update(_CLASS.findall(path.read_text()))
    return found


def _is_used(name: str, used: set[str]) -> bool:
    return name in used or any(
        prefix.endswith(("-", "_")) and name.startswith(prefix) for prefix in used
    )


def _split_selectors(prelude: list) -> Iterator[list]:
    selector: list = []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            yield selector
            selector = []
        else:
            selector.append(token)
    yield selector


def _required_classes(selector: list) -> Iterator[str]:
    """Classes an element must carry for `selector` to match. Classes inside functions such as
    `:not(...)` or `:is(...)` do not count: a rule can apply without them."""
    for before, token in itertools.pairwise(selector):
        if before.type == "literal" and before.value == "." and token.type == "ident":
            yield token.value


def _compact(tokens: Iterable) -> str:
    """Tokens as CSS, with every run of white space one space and comments dropped."""
    out = []
    for token in tokens:
        if token.type == "comment":
            continue
        if token.type == "whitespace":
            out.append(" ")
        elif isinstance(token, ast.FunctionBlock):
            out.append(f"{token.name}({_compact(token.arguments)})")
        elif isinstance(token, ast.ParenthesesBlock | ast.SquareBracketsBlock):
            opening, closing = ("(", ")") if token.type == "() block" else ("[", "]")
            out.append(f"{opening}{_compact(token.content)}{closing}")
        else:
            out.append(token.serialize())
    return re.sub(r" +", " ", "".join(out)).strip()


class _Declaration:
    def __init__(self, name: str, value: str, important: bool) -> None:
        self.name, self.value, self.important = name, value, important

    def css(self) -> str:
        return f"{self.name}:{self.value}{'!important' if self.important else ''}"


class _Rule:
    """A style rule (selector and declarations) or an at-rule with its nested rules."""

    def __init__(self, prelude: str, declarations=(), children=(), raw: str | None = None):
        self.prelude = prelude
        self.declarations: list[_Declaration] = list(declarations)
        self.children: list[_Rule] = list(children)
        self.raw = raw  # kept as it is (@keyframes, @font-face, @charset)

    def walk(self) -> Iterator["_Rule"]:
        yield self
        for child in self.children:
            yield from child.walk()

    def css(self, needed: set[str]) -> str:
        if self.raw is not None:
            return self.raw
        if self.children:
            inner = "".join(child.css(needed) for child in self.children)
            return f"{self.prelude}{{{inner}}}" if inner else ""
        kept = [
            d.css() for d in self.declarations if not d.name.startswith("--") or d.name in needed
        ]
        return f"{self.prelude}{{{';'.join(kept)}}}" if kept else ""


def _declarations(content: list) -> list[_Declaration]:
    return [
        _Declaration(
            item.name if item.name.startswith("--") else item.lower_name,
            _compact(item.value),
            item.important,
        )
        for item in tinycss2.parse_blocks_contents(
            content, skip_comments=True, skip_whitespace=True
        )
        if item.type == "declaration"
    ]


def _rules(nodes: list, used: set[str]) -> Iterator[_Rule]:
    for node in nodes:
        if node.type == "qualified-rule":
            selectors = [
                _INVALID.sub(":user-invalid", _compact(selector))
                for selector in _split_selectors(node.prelude)
                if all(
                    _is_used(name, used)
                    for name in _required_classes(selector)
                    if name.startswith("utrecht-")
                )
            ]
            if selectors:
                yield _Rule(",".join(selectors), _declarations(node.content))
        elif node.type == "at-rule":
            prelude = f"@{node.at_keyword} {_compact(node.prelude)}".strip()
            if (
                node.lower_at_keyword in {"media", "supports", "container", "layer"}
                and node.content
            ):
                children = tinycss2.parse_rule_list(node.content, True, True)
                yield _Rule(prelude, children=_rules(children, used))
            elif node.lower_at_keyword != "charset":
                yield _Rule(prelude, raw=node.serialize())


def _needed_properties(rules: list[_Rule]) -> set[str]:
    """Custom properties that some property refers to, directly or through other ones."""
    definitions: dict[str, list[str]] = {}
    needed: set[str] = set()
    for rule in rules:
        for style in rule.walk():
            for d in style.declarations:
                references = _VAR.findall(d.value)
                if d.name.startswith("--"):
                    definitions.setdefault(d.name, []).extend(references)
                else:
                    needed.update(references)
            if style.raw:
                needed.update(_VAR.findall(style.raw))
    queue = list(needed)
    while queue:
        for reference in definitions.get(queue.pop(), ()):
            if reference not in needed:
                needed.add(reference)
                queue.append(reference)
    return needed


def _version(package: str) -> str:
    return json.loads((NODE_MODULES / package / "package.json").read_text())["version"]


def bundle_css(used: set[str]) -> str:
    rules: list[_Rule] = []
    for package, path in STYLESHEETS:
        sheet = tinycss2.parse_stylesheet(
            _source(package, path).read_text(), skip_comments=True, skip_whitespace=True
        )
        rules.extend(_rules(sheet, used))
    needed = _needed_properties(rules)
    licence = (
        f"/* {UTRECHT} {_version(UTRECHT)} and {THEME} {_version(THEME)} (EUPL-1.2), "
        "trimmed to what Kompas uses; then Kompas's own CSS. */\n"
    )
    return licence + "\n".join(css for rule in rules if (css := rule.css(needed)))


def _write(name: str, content: bytes) -> str:
    """`content` as `name` with its hash in it, beside its .br and .gz; the hashed name."""
    stem, _, suffix = name.rpartition(".")
    digest = hashlib.sha256(content).hexdigest()[:HASH_LENGTH]
    hashed = f"{stem}.{digest}.{suffix}"
    path = OUTPUT / hashed
    path.write_bytes(content)
    Path(f"{path}.br").write_bytes(brotli.compress(content, mode=brotli.MODE_TEXT, quality=11))
    Path(f"{path}.gz").write_bytes(gzip.compress(content, compresslevel=9, mtime=0))
    return hashed


def build() -> dict[str, str]:
    shutil.rmtree(OUTPUT, ignore_errors=True)
    OUTPUT.mkdir(parents=True)
    written = {BUNDLE: _write(BUNDLE, bundle_css(used_classes()).encode())}
    for name, (package, path) in FILES.items():
        written[name] = _write(name, _source(package, path).read_bytes())
    return written


if __name__ == "__main__":
    for hashed in build().values():
        size = (OUTPUT / hashed).stat().st_size
        brotli_size = (OUTPUT / f"{hashed}.br").stat().st_size
        print(
            f"static/dist/{hashed}: {size / 1024:.1f} KB, {brotli_size / 1024:.1f} KB with Brotli"
        )
