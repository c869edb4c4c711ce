"""Readers for the real benchmark corpora, as spaCy readers and plain iterators.

Formats:
- BioBERT NER tsv: ``token<TAB>B|I|O``, blank line between sentences; the
  entity label is given by the caller (DISEASE, CHEMICAL).
- MTL typed IOB: the same with ``B-Disease`` / ``I-Disease`` / ``O`` tags.
- GAD / EU-ADR RE tsv: ``sentence<TAB>label`` (no header), or a header
  ``index<TAB>sentence<TAB>label``; the gene and disease are masked as
  ``@GENE$`` / ``@DISEASE$`` and become the GENE / DISEASE entities.

Bad input raises :class:`InputFormatError` naming the file and line; nothing
is skipped silently.
"""
import re
from pathlib import Path
from typing import Callable, Iterable, Iterator, List, Optional, Tuple, Union

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.training import Example

from ..components.extensions import ensure_extensions
from ..errors import InputFormatError

PathLike = Union[str, Path]
GENE_MASK = "@GENE$"
DISEASE_MASK = "@DISEASE$"
REL_LABEL = "ASSOCIATED"
I_AFTER_O_POLICIES = ("error", "begin")


def _lines(path: Path) -> Iterator[Tuple[int, str]]:
    """(1-based line number, line without newline); non-UTF-8 bytes name the line."""
    if not path.exists():
        raise InputFormatError(path, None, "file not found")
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                raise InputFormatError(
                    path, number, f"not valid UTF-8 (byte {raw[err.start]:#04x} at column {err.start + 1})"
                ) from None
            yield number, text.rstrip("\r\n")


# --- NER tsv -------------------------------------------------------------


def _iob_sentences(path: Path, typed: bool) -> Iterator[Tuple[int, List[Tuple[int, str, str, str]]]]:
    """Yield (first line, [(line, word, iob, type)]) per sentence."""
    sentence: List[Tuple[int, str, str, str]] = []
    seen_any = False
    for number, line in _lines(path):
        if not line.strip():
            if sentence:
                yield sentence[0][0], sentence
                sentence = []
            continue
        if line.startswith("-DOCSTART-"):
            continue
        cols = line.split("\t")
        if len(cols) != 2:
            raise InputFormatError(path, number, f"expected 2 tab-separated columns (token, tag), found {len(cols)}")
        word, tag = cols
        if not word:
            raise InputFormatError(path, number, "empty token")
        iob, ent_type = _split_tag(path, number, tag, typed)
        sentence.append((number, word, iob, ent_type))
        seen_any = True
    if sentence:
        yield sentence[0][0], sentence
    if not seen_any:
        raise InputFormatError(path, None, "empty file: no token lines")


def _split_tag(path: Path, number: int, tag: str, typed: bool) -> Tuple[str, str]:
    if tag == "O":
        return "O", ""
    if typed:
        if len(tag) > 2 and tag[0] in "BI" and tag[1] == "-":
            return tag[0], tag[2:]
        raise InputFormatError(path, number, f"unknown tag {tag!r}: expected O, B-<Type> or I-<Type> (MTL typed IOB)")
    if tag in ("B", "I"):
        return tag, ""
    hint = " (typed tags: use the MTL-IOB format)" if tag[:2] in ("B-", "I-") else ""
    raise InputFormatError(path, number, f"unknown tag {tag!r}: expected B, I or O{hint}")


def sniff_ner_format(path: PathLike) -> str:
    """'mtl' if the first tag is typed (B-X/I-X), else 'biobert'."""
    path = Path(path)
    for _, line in _lines(path):
        cols = line.split("\t")
        if len(cols) == 2 and cols[1] != "O":
            return "mtl" if cols[1][:2] in ("B-", "I-") else "biobert"
    return "biobert"


def read_ner_tsv(
    path: PathLike,
    vocab,
    label: Optional[str] = None,
    typed: bool = False,
    i_after_o: str = "error",
) -> Iterator[Doc]:
    """Docs with gold tokenisation and ``doc.ents`` from a BioBERT or MTL tsv.

    ``label``: entity label for untyped tags (required), or an override for
    typed ones (default: the type upper-cased, ``Disease`` -> ``DISEASE``).
    ``i_after_o``: an ``I`` tag that follows ``O`` (or starts a sentence) is
    an error by default; "begin" reads it as the start of a mention, as
    conlleval does. Either way nothing is dropped silently.
    """
    path = Path(path)
    if i_after_o not in I_AFTER_O_POLICIES:
        raise ValueError(f"i_after_o must be one of {I_AFTER_O_POLICIES}, not {i_after_o!r}")
    if not typed and not label:
        raise ValueError("an entity label is required for untyped B/I/O tags (e.g. label='DISEASE')")
    for _, sentence in _iob_sentences(path, typed):
        words = [w for _, w, _, _ in sentence]
        doc = Doc(vocab, words=words, spaces=[True] * (len(words) - 1) + [False])
        spans: List[Span] = []
        start: Optional[int] = None
        current = ""
        for i, (number, _, iob, ent_type) in enumerate(sentence):
            ent_label = (label or ent_type.upper()) if iob != "O" else ""
            if iob == "I" and (start is None or ent_label != current):
                if i_after_o == "error":
                    prev = sentence[i - 1][2] if i else "sentence start"
                    raise InputFormatError(
                        path, number,
                        f"'I' tag after {prev!r} (no open mention to continue); "
                        "pass i_after_o='begin' (--i-after-o begin) to read it as a mention start",
                    )
                iob = "B"
            if iob in ("B", "O") and start is not None:
                spans.append(Span(doc, start, i, label=current))
                start = None
            if iob == "B":
                start, current = i, ent_label
        if start is not None:
            spans.append(Span(doc, start, len(sentence), label=current))
        doc.ents = spans
        yield doc


# --- RE tsv --------------------------------------------------------------


_RE_NLP: Optional[Language] = None


def mask_tokenizer() -> Language:
    """A blank English pipeline whose tokenizer keeps the masks as one token each."""
    global _RE_NLP
    if _RE_NLP is None:
        nlp = spacy.blank("en")
        add_mask_special_cases(nlp)
        _RE_NLP = nlp
    return _RE_NLP


def add_mask_special_cases(nlp: Language) -> None:
    for mask in (GENE_MASK, DISEASE_MASK):
        nlp.tokenizer.add_special_case(mask, [{"ORTH": mask}])


def read_re_tsv(path: PathLike, nlp: Optional[Language] = None) -> Iterator[Doc]:
    """Docs with the two masks as GENE / DISEASE entities and the gold relation.

    Both layouts are accepted: ``sentence<TAB>label`` and, after a header
    ``index<TAB>sentence<TAB>label``, ``idx<TAB>sentence<TAB>label``.
    """
    ensure_extensions()
    path = Path(path)
    tokenizer_nlp = nlp or mask_tokenizer()
    header: Optional[bool] = None
    seen = False
    for number, line in _lines(path):
        if not line.strip():
            continue
        cols = line.split("\t")
        if header is None:
            header = cols == ["index", "sentence", "label"]
            if header:
                continue
        expected = 3 if header else 2
        if len(cols) != expected:
            layout = "index<TAB>sentence<TAB>label" if header else "sentence<TAB>label"
            raise InputFormatError(path, number, f"expected {expected} tab-separated columns ({layout}), found {len(cols)}")
        sentence, label = cols[-2], cols[-1].strip()
        if label not in ("0", "1"):
            raise InputFormatError(path, number, f"label must be 0 or 1, found {label!r}")
        for mask in (GENE_MASK, DISEASE_MASK):
            count = sentence.count(mask)
            if count != 1:
                what = "missing" if count == 0 else f"found {count} times"
                raise InputFormatError(path, number, f"mask {mask} {what}: each row needs exactly one {GENE_MASK} and one {DISEASE_MASK}")
        doc = make_re_doc(tokenizer_nlp, sentence, int(label), path=path, line=number)
        seen = True
        yield doc
    if not seen:
        raise InputFormatError(path, None, "empty file: no rows")


_PLACEHOLDERS = {GENE_MASK: "Xgenemaskx", DISEASE_MASK: "Xdiseasemaskx"}
_PLACEHOLDER_RE = re.compile("(" + "|".join(_PLACEHOLDERS.values()) + ")")


def tokenize_masked(nlp: Language, sentence: str) -> Doc:
    """Tokenise so that each mask is exactly one token, whatever punctuation touches it.

    The masks are swapped for word-like placeholders (which the tokenizer splits
    cleanly from punctuation), then swapped back; a placeholder glued to other
    characters (``@GENE$-related``) is split off explicitly.
    """
    text = sentence
    for mask, placeholder in _PLACEHOLDERS.items():
        text = text.replace(mask, placeholder)
    back = {v: k for k, v in _PLACEHOLDERS.items()}
    words: List[str] = []
    spaces: List[bool] = []
    for token in nlp.make_doc(text):
        pieces = [p for p in _PLACEHOLDER_RE.split(token.text) if p]
        for j, piece in enumerate(pieces):
            words.append(back.get(piece, piece))
            spaces.append(bool(token.whitespace_) if j == len(pieces) - 1 else False)
    return Doc(nlp.vocab, words=words, spaces=spaces)


def make_re_doc(nlp: Language, sentence: str, label: Optional[int], path: PathLike = "<text>", line: Optional[int] = None) -> Doc:
    """Tokenise a masked sentence; masks become entities, ``label`` the gold relation."""
    ensure_extensions()
    doc = tokenize_masked(nlp, sentence)
    ents = []
    for mask, ent_label in ((GENE_MASK, "GENE"), (DISEASE_MASK, "DISEASE")):
        positions = [t.i for t in doc if t.text == mask]
        if len(positions) != 1:
            raise InputFormatError(path, line, f"cannot align {mask} to exactly one token")
        ents.append(Span(doc, positions[0], positions[0] + 1, label=ent_label))
    gene, disease = ents
    doc.ents = sorted(ents, key=lambda s: s.start)
    if label is not None:
        doc._.rel = {(gene.start, disease.start): {REL_LABEL: float(label)}}
    return doc


# --- generic entry points ------------------------------------------------


def read_docs(path: PathLike, nlp: Language, kind: str, label: Optional[str] = None, i_after_o: str = "error") -> Iterator[Doc]:
    """Docs from any supported format: .spacy, NER tsv (BioBERT or MTL), RE tsv.

    ``kind`` is "ner" or "rel"; a directory is read as .spacy shards.
    """
    path = Path(path)
    if path.is_dir() or path.suffix == ".spacy":
        yield from read_docbin(path, nlp)
    elif kind == "rel":
        yield from read_re_tsv(path, nlp)
    else:
        typed = sniff_ner_format(path) == "mtl"
        yield from read_ner_tsv(path, nlp.vocab, label=label, typed=typed, i_after_o=i_after_o)


def read_docbin(path: PathLike, nlp: Language) -> Iterator[Doc]:
    """Stream Docs from a .spacy file or a directory of .spacy shards (sorted)."""
    ensure_extensions()
    path = Path(path)
    if not path.exists():
        raise InputFormatError(path, None, "file not found")
    files = sorted(path.rglob("*.spacy")) if path.is_dir() else [path]
    if not files:
        raise InputFormatError(path, None, "no .spacy files in this directory")
    for file in files:
        try:
            docbin = DocBin(store_user_data=True).from_disk(file)
        except Exception as err:  # srsly/msgpack errors carry no file name
            raise InputFormatError(file, None, f"not a readable DocBin ({err.__class__.__name__}: {err})") from None
        yield from docbin.get_docs(nlp.vocab)


# --- spaCy readers -------------------------------------------------------


def _examples(docs: Iterable[Doc], copy_ents: bool) -> Iterator[Example]:
    for ref in docs:
        pred = Doc(ref.vocab, words=[t.text for t in ref], spaces=[bool(t.whitespace_) for t in ref])
        if copy_ents:  # given entities (e.g. GAD masks) are inputs of a relation model
            pred.ents = [Span(pred, e.start, e.end, label=e.label_) for e in ref.ents]
        yield Example(pred, ref)


@spacy.registry.readers("synthclin.BioBERTNER.v1")
def biobert_ner_reader(path: Path, label: str = "DISEASE", i_after_o: str = "error") -> Callable[[Language], Iterable[Example]]:
    """BioBERT NER tsv (token<TAB>B|I|O) as training/evaluation Examples."""

    def reader(nlp: Language) -> Iterator[Example]:
        yield from _examples(read_ner_tsv(path, nlp.vocab, label=label, i_after_o=i_after_o), copy_ents=False)

    return reader


@spacy.registry.readers("synthclin.MTLIOB.v1")
def mtl_iob_reader(path: Path, label: Optional[str] = None, i_after_o: str = "error") -> Callable[[Language], Iterable[Example]]:
    """MTL typed IOB tsv (token<TAB>B-Type|I-Type|O) as Examples."""

    def reader(nlp: Language) -> Iterator[Example]:
        yield from _examples(read_ner_tsv(path, nlp.vocab, label=label, typed=True, i_after_o=i_after_o), copy_ents=False)

    return reader


@spacy.registry.readers("synthclin.RETsv.v1")
def re_tsv_reader(path: Path) -> Callable[[Language], Iterable[Example]]:
    """GAD / EU-ADR tsv as Examples; the masks are given entities on both sides."""

    def reader(nlp: Language) -> Iterator[Example]:
        yield from _examples(read_re_tsv(path), copy_ents=True)

    return reader


@spacy.registry.readers("synthclin.DocBinShards.v1")
def docbin_shards_reader(path: Path, gold_ents: bool = False, limit: int = 0) -> Callable[[Language], Iterable[Example]]:
    """A .spacy file or directory of shards, streamed, keeping gold tokenisation.

    ``gold_ents=True`` copies the reference entities onto the predicted Doc, for
    training a relation model on given entities. ``limit`` > 0 caps the count.
    """

    def reader(nlp: Language) -> Iterator[Example]:
        docs = read_docbin(path, nlp)
        for i, eg in enumerate(_examples(docs, copy_ents=gold_ents)):
            if limit and i >= limit:
                break
            yield eg

    return reader
