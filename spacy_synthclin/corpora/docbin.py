"""Streamed DocBin writing: memory stays flat in corpus size (sharded output)."""
from pathlib import Path
from typing import Iterable, List, Union

from spacy.tokens import Doc, DocBin


class ShardedDocBinWriter:
    """Write Docs to ``out.spacy`` (one file) or to ``out/`` as numbered shards.

    A path ending in ``.spacy`` gets a single file (the whole corpus is held
    once in memory, as spaCy's own converter does); any other path is a
    directory of ``shard-00000.spacy`` files of ``shard_size`` Docs each.
    """

    def __init__(self, out: Union[str, Path], shard_size: int = 5000):
        self.out = Path(out)
        self.single = self.out.suffix == ".spacy"
        self.shard_size = shard_size
        self.n_docs = 0
        self.paths: List[Path] = []
        self._bin = DocBin(store_user_data=True)
        if self.single:
            self.out.parent.mkdir(parents=True, exist_ok=True)
        else:
            self.out.mkdir(parents=True, exist_ok=True)
            for old in self.out.glob("shard-*.spacy"):  # a re-run replaces, never mixes
                old.unlink()

    def add(self, doc: Doc) -> None:
        self._bin.add(doc)
        self.n_docs += 1
        if not self.single and len(self._bin) >= self.shard_size:
            self._flush()

    def _flush(self) -> None:
        if len(self._bin) == 0:
            return
        path = self.out if self.single else self.out / f"shard-{len(self.paths):05d}.spacy"
        self._bin.to_disk(path)
        self.paths.append(path)
        self._bin = DocBin(store_user_data=True)

    def close(self) -> List[Path]:
        if self.single and self.n_docs == 0:
            DocBin(store_user_data=True).to_disk(self.out)
            self.paths.append(self.out)
        self._flush()
        return self.paths

    def __enter__(self) -> "ShardedDocBinWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()


def write_docs(docs: Iterable[Doc], out: Union[str, Path], shard_size: int = 5000) -> int:
    with ShardedDocBinWriter(out, shard_size) as writer:
        for doc in docs:
            writer.add(doc)
    return writer.n_docs
