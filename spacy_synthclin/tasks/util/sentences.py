"""Seed fields shared by the sentence-generation tasks (NER and RE): style, context and sentence forms."""
from typing import Any, Dict, Iterable

from ...errors import ConfigError


def sentence_fields(seed: Dict[str, Any]) -> Dict[str, Any]:
    """The style, context and sentence forms of a seed, for the prompt data and the prompt meta."""
    return {"style": seed["style"], "context": seed["context"], "forms": list(seed["forms"])}


def check_style(seed: Dict[str, Any], styles: Iterable[str], template_version: str) -> None:
    """The seed's style must be one the template knows."""
    if seed["style"] not in styles:
        raise ConfigError(f"unknown style {seed['style']!r} for template {template_version} (known: {', '.join(styles)})")
