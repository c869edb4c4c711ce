"""`synthclin` console script. Each module attaches its commands to the shared app."""
import importlib
import sys

from ..errors import SynthclinError
from ._app import app

# Command groups, in data-flow order. Each module registers its commands on import.
_COMMAND_MODULES = [
    "doctor",
    "assets",
    "prompts",
    "generate",
    "convert",
    "stats",
    "contamination",
    "evaluate",
    "zeroshot",
    "report",
    "annotate",
    "bench",
]

for _name in _COMMAND_MODULES:
    try:
        importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as err:  # a command group not built yet
        if err.name != f"{__name__}.{_name}":
            raise


def main() -> None:
    try:
        app()
    except SynthclinError as err:
        print(f"✘ {err}", file=sys.stderr)
        sys.exit(1)


__all__ = ["app", "main"]
