"""Small helpers shared by the CLI commands: model loading and device setup."""
from pathlib import Path
from typing import Union

import spacy
from spacy.language import Language

from .errors import ConfigError


def use_gpu(gpu_id: int) -> None:
    """Select the device; a GPU id on a machine without one is a clear error."""
    if gpu_id < 0:
        return
    try:
        spacy.require_gpu(gpu_id)
    except Exception as err:  # thinc raises ValueError/ImportError depending on what is missing
        raise ConfigError(
            f"gpu_id={gpu_id} was requested but no usable GPU was found ({err.__class__.__name__}: {err}). "
            "Install torch/cupy with CUDA support, or set gpu_id to -1 to run on the CPU."
        ) from None


def load_model(name: Union[str, Path]) -> Language:
    """``spacy.load`` with a clear error for a missing package or path."""
    try:
        return spacy.load(name)
    except OSError as err:
        if "E050" in str(err) or "E053" in str(err):
            raise ConfigError(
                f"cannot load the pipeline {str(name)!r}: it is neither an installed package nor a pipeline directory"
            ) from None
        raise
