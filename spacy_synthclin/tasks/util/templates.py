"""Versioned jinja prompt templates.

Each task keeps its prompts in ``tasks/<task>/templates/<name>.<version>.jinja``.
A template is the whole prompt a reader can open and judge: the instructions,
the annotation guidelines, and the vocabularies of the conditioning (styles,
contexts, sentence forms) as top-level ``{% set NAME = {...} %}`` dicts. Those
dicts are read back here so that configs are checked against the ids a
template actually describes. A changed prompt is a new file (a new version),
so cassette entries of the old one stay valid.
"""
import hashlib
from pathlib import Path
from typing import Any, Dict, List, Optional

import jinja2
import jinja2.sandbox

from ...errors import ConfigError


def _environment(strict: bool) -> jinja2.Environment:
    return jinja2.sandbox.SandboxedEnvironment(
        undefined=jinja2.StrictUndefined if strict else jinja2.Undefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,
    )


def template_path(directory: Path, name: str, version: str) -> Path:
    return directory / f"{name}.{version}.jinja"


def available_versions(directory: Path, name: str) -> List[str]:
    return sorted(p.name[len(name) + 1 : -len(".jinja")] for p in directory.glob(f"{name}.*.jinja"))


def load_template(directory: Path, name: str, version: str) -> str:
    path = template_path(directory, name, version)
    if not path.exists():
        known = ", ".join(available_versions(directory, name)) or "none"
        raise ConfigError(f"no prompt template {name!r} version {version!r} (available: {known})")
    return path.read_text(encoding="utf-8")


class TemplateSet:
    """One compiled template plus its exported vocabularies and version string."""

    def __init__(self, source: str, version: str):
        self.source = source
        self.version = version
        self._template = _environment(strict=True).from_string(source)
        # Rendering the module with no variables only evaluates the top-level sets.
        module = _environment(strict=False).from_string(source).module
        self.vocab: Dict[str, Any] = {k: getattr(module, k) for k in dir(module) if k.isupper()}

    @classmethod
    def bundled_or_custom(cls, directory: Path, name: str, version: str, template: Optional[str]) -> "TemplateSet":
        """The bundled file for ``version``, or a custom template text (version "custom-<sha8>")."""
        if template:
            digest = hashlib.sha256(template.encode("utf-8")).hexdigest()[:8]
            return cls(template, f"custom-{digest}")
        return cls(load_template(directory, name, version), version)

    def options(self, name: str) -> Dict[str, Any]:
        return dict(self.vocab.get(name, {}) or {})

    def render(self, **data: Any) -> str:
        try:
            text = self._template.render(**data)
        except jinja2.UndefinedError as err:
            raise ConfigError(f"prompt template {self.version}: {err}") from None
        # Stable text: no trailing spaces, at most one blank line in a row, one final newline-free end.
        lines = [line.rstrip() for line in text.strip().splitlines()]
        out: List[str] = []
        for line in lines:
            if not line and out and not out[-1]:
                continue
            out.append(line)
        return "\n".join(out)
