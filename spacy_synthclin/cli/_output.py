"""CLI contract helpers: progress on stderr, last stdout line = one JSON object."""
import json
import sys
from pathlib import Path
from typing import Any, Dict, Iterable, Optional, TypeVar

from tqdm import tqdm

T = TypeVar("T")


def info(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def emit_result(result: Dict[str, Any], output: Optional[Path] = None) -> None:
    """Print the command's result as the last stdout line (one JSON object); also save it to ``output``."""
    if output is not None:
        output = Path(output)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
        info(f"✔ saved to {output}")
    sys.stdout.write(json.dumps(result, sort_keys=False, default=str) + "\n")
    sys.stdout.flush()


def progress(iterable: Iterable[T], desc: str, total: Optional[int] = None, unit: str = "it") -> Iterable[T]:
    """A progress bar on stderr (quiet when stderr is not a terminal and CI is set)."""
    return tqdm(iterable, desc=desc, total=total, unit=unit, file=sys.stderr, dynamic_ncols=True, mininterval=1.0)
