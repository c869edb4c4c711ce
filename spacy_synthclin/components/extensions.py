"""Doc extensions shared by readers, generation tasks and the relation component.

Registered defensively (idempotent) so any import order works.
- ``Doc._.rel``: ``{(head.start, tail.start): {label: score}}``; gold or predicted.
- ``Doc._.synthetic``: parsed examples written by a generation task for a seed Doc
  (a list of dicts, see ``spacy_synthclin.tasks``).
- ``Doc._.synthetic_report``: how the response for a seed Doc parsed (counts by
  failure reason, rejected lines, the raw response), written by the same tasks.
- ``Doc._.synthclin_seed``: the conditioning of a seed Doc (entity, label, style,
  context, sentence forms, index), set by ``spacy_synthclin.tasks.runner``.
"""
from spacy.tokens import Doc

_EXTENSIONS = ("rel", "synthetic", "synthetic_report", "synthclin_seed")


def ensure_extensions() -> None:
    for name in _EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


ensure_extensions()
