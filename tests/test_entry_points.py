"""Every entry point in pyproject.toml points at a callable that exists, so a plain
`pip install` makes each registered name resolvable from a user's config."""
import importlib
import tomllib
from pathlib import Path

import pytest

PYPROJECT = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
POINTS = [(group, name, target) for group, entries in PYPROJECT["project"]["entry-points"].items()
          for name, target in entries.items()]


@pytest.mark.parametrize("group,name,target", POINTS, ids=[f"{g}:{n}" for g, n, _ in POINTS])
def test_entry_point_target_is_callable(group, name, target):
    module, _, attr = target.partition(":")
    assert callable(getattr(importlib.import_module(module), attr)), (group, name, target)


def test_every_registered_synthclin_llm_name_has_an_entry_point():
    """Names registered in spacy-llm's registries by our modules are all listed."""
    import spacy_synthclin.zeroshot  # noqa: F401  (registers the baseline's names)
    from spacy_llm.registry import registry

    listed = {name for _, name, _ in POINTS}
    for reg in (registry.llm_models, registry.llm_tasks, registry.llm_misc):
        ours = {n for n in reg.get_all() if n.startswith("synthclin.")}
        assert ours <= listed, sorted(ours - listed)
