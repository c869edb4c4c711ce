"""spacy-synthclin: an LLM as a labelled-data factory for clinical/biomedical text mining."""
from .about import __version__

__all__ = ["__version__"]
