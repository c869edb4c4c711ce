"""Line-by-line JSONL reading whose errors name the file and the 1-based line."""
import json
from pathlib import Path
from typing import Any, Iterator, Optional, Tuple, Union

from .errors import InputFormatError


def iter_jsonl_lines(path: Union[str, Path], invalid: Optional[str] = None) -> Iterator[Tuple[int, Any]]:
    """``(line number, value)`` for each non-blank line of a JSONL file.

    A line that is not valid JSON raises :class:`InputFormatError` at ``path:line``
    with ``invalid`` as the message, or ``not valid JSON (<parser error>)`` by default.
    """
    with Path(path).open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except ValueError as err:
                raise InputFormatError(path, number, invalid if invalid is not None else f"not valid JSON ({err})") from None
            yield number, value
