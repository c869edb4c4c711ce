"""Config edits shared by the generation and zero-shot loaders: dotted overrides and the backend swap."""
import copy
from typing import Any, Dict, List

from .errors import ConfigError

PROMPTS_ONLY = "prompts_only"


def set_dotted(config: Dict[str, Any], key: str, value: Any) -> None:
    """Set ``a.b.c`` in a nested dict (creating sections); a dict value replaces a whole section."""
    parts = key.split(".")
    node = config
    for part in parts[:-1]:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    node[parts[-1]] = copy.deepcopy(value)


def llm_components(config: Dict[str, Any]) -> List[str]:
    """Names of the components built by the ``llm`` factory."""
    return [name for name, comp in (config.get("components") or {}).items()
            if isinstance(comp, dict) and comp.get("factory") == "llm"]


def swap_backend(raw: Dict[str, Any], synth: Dict[str, Any], backend: str, names: List[str], where: str = "") -> None:
    """Make the block of ``[synthclin.backends]`` that ``backend`` names (or ``prompts_only``)
    the model of each ``llm`` component in ``names``; ``where`` prefixes the unknown-backend error."""
    if backend == PROMPTS_ONLY:
        block: Dict[str, Any] = {"@llm_models": "synthclin.PromptsOnly.v1"}
    else:
        backends = synth.get("backends") or {}
        if backend not in backends:
            known = ", ".join(sorted(backends) + [PROMPTS_ONLY])
            raise ConfigError(f"{where}unknown backend {backend!r} (the config defines: {known})")
        block = backends[backend]
    for name in names:
        raw["components"][name]["model"] = copy.deepcopy(block)
