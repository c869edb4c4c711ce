"""Errors that the CLI turns into one clear message (no traceback)."""
from pathlib import Path
from typing import Optional, Union


class SynthclinError(Exception):
    """Base class: an error the user can act on; its message is shown as is."""


class InputFormatError(SynthclinError):
    """Bad input data: names the file and the 1-based line."""

    def __init__(self, path: Union[str, Path], line: Optional[int], message: str):
        self.path = str(path)
        self.line = line
        self.reason = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


class ConfigError(SynthclinError):
    """Bad configuration (unreachable server, wrong gpu_id, missing asset...)."""
