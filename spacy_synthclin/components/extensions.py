"""Doc extensions shared by readers, generation tasks and the relation component.

Registered defensively (idempotent) so any import order works.
- ``Doc._.rel``: ``{(head.start, tail.start): {label: score}}``; gold or predicted.
- ``Doc._.synthetic``: parsed examples written by a generation task for a seed Doc.
"""
from spacy.tokens import Doc


def ensure_extensions() -> None:
    if not Doc.has_extension("rel"):
        Doc.set_extension("rel", default=None)
    if not Doc.has_extension("synthetic"):
        Doc.set_extension("synthetic", default=None)


ensure_extensions()
