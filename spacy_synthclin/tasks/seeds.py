"""Where seeds come from, and how each seed gets its conditioning.

Sources:
- a seed list (one name per line, ``#`` comments) or a pair list
  (``GENE<TAB>disease``), written by the user or by ``synthclin generate seeds``;
- for NER, the mentions of a corpus's *train* split (``seeds_source =
  "corpus_train"``), which mirrors the paper. A test split is refused.

Conditioning is a pure function of the seed index, so the same config always
renders the same prompts (and a cassette keeps matching):
- style: ``styles[i % len(styles)]`` (repeat an id in the list to weight it);
- context: a hash-spread pick from ``contexts`` (not locked to the style);
- sentence forms: ``n_sentences`` distinct ids, cycling through a per-cycle shuffled
  order of the list (every form used about equally often, combinations vary).
For relations the target label alternates (even index: 1, odd: 0) and a
positive/negative pair of indices shares style and context, so neither can
predict the label.
"""
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

from ..errors import ConfigError, InputFormatError
from .base import pick, rotate


def read_seed_list(path: Path) -> List[str]:
    """Names, one per line; blank lines and ``#`` comments skipped; case-insensitive duplicates dropped."""
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"seed list {path} not found (write it, or run `synthclin generate seeds` first)")
    seen = set()
    out: List[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        name = line.strip()
        if not name or name.startswith("#"):
            continue
        if "\t" in name:
            raise InputFormatError(path, number, "a seed list has one name per line (tabs belong to pair lists)")
        key = name.lower()
        if key not in seen:
            seen.add(key)
            out.append(name)
    if not out:
        raise InputFormatError(path, None, "no seeds in this file")
    return out


def read_pair_list(path: Path) -> List[Tuple[str, str]]:
    """``GENE<TAB>disease`` lines (optional header ``gene<TAB>disease``); duplicates dropped."""
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"pair list {path} not found (write it, or run `synthclin generate seeds` first)")
    seen = set()
    out: List[Tuple[str, str]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) != 2 or not all(cols):
            raise InputFormatError(path, number, f"expected GENE<TAB>disease, found {len(cols)} column(s)")
        if number == 1 and [c.lower() for c in cols] == ["gene", "disease"]:
            continue
        key = (cols[0].upper(), cols[1].lower())
        if key not in seen:
            seen.add(key)
            out.append((cols[0], cols[1]))
    if not out:
        raise InputFormatError(path, None, "no pairs in this file")
    return out


def corpus_train_seeds(path: Path, label: str) -> List[str]:
    """Unique mention strings of a NER corpus *train* split (BioBERT/MTL tsv or .spacy)."""
    path = Path(path)
    stem = path.name.lower()
    if "test" in stem or "train" not in stem:
        raise ConfigError(
            f"refusing to take seeds from {path}: only a corpus's train split may be used "
            "(the file name must contain 'train' and must not contain 'test')"
        )
    import spacy

    from ..corpora.readers import read_docs  # the lead's readers (BioBERT, MTL, .spacy)

    nlp = spacy.blank("en")
    seen = set()
    out: List[str] = []
    for doc in read_docs(path, nlp, "ner", label=label):
        for ent in doc.ents:
            if ent.label_.upper() != label.upper():
                continue
            key = ent.text.lower()
            if key not in seen:
                seen.add(key)
                out.append(ent.text)
    if not out:
        raise InputFormatError(path, None, f"no {label} mentions in this train split")
    return out


def _limit(items: Sequence[Any], max_seeds: int, n: Optional[int], skip: int = 0) -> Sequence[Any]:
    if skip > 0:  # a later template version on seeds the earlier ones did not use
        items = items[skip:]
    if max_seeds and max_seeds > 0:
        items = items[:max_seeds]
    if n is not None:
        items = items[: max(0, n)]
    return items


def ner_seed_conditioning(index: int, entity: str, label: str, styles: Sequence[str], contexts: Sequence[str],
                          forms: Sequence[str], n_sentences: int) -> Dict[str, Any]:
    return {
        "entity": entity,
        "label": label,
        "index": index,
        "style": styles[index % len(styles)],
        "context": pick(list(contexts), index, "context"),
        "forms": rotate(list(forms), index, n_sentences),
    }


def rel_seed_conditioning(index: int, gene: str, disease: str, styles: Sequence[str], contexts: Sequence[str],
                          positive_forms: Sequence[str], negative_forms: Sequence[str], n_sentences: int,
                          target_label: Optional[int] = None) -> Dict[str, Any]:
    """Alternating targets (even index 1, odd 0; a positive and a negative pair share style and
    context), or one ``target_label`` for every pair (each pair then has its own slot)."""
    if target_label is None:
        target, slot = (1 if index % 2 == 0 else 0), index // 2
    else:
        target, slot = int(target_label), index
    forms = positive_forms if target == 1 else negative_forms
    return {
        "gene": gene,
        "disease": disease,
        "index": index,
        "target_label": target,
        "style": styles[slot % len(styles)],
        "context": pick(list(contexts), slot, "context"),
        "forms": rotate(list(forms), slot, n_sentences),
    }


def iter_ner_seeds(settings: Dict[str, Any], label: str, n_sentences: int, n: Optional[int]) -> Iterator[Dict[str, Any]]:
    source = settings.get("seeds_source", "list")
    path = Path(_required(settings, "seeds_path"))
    if source == "list":
        names = read_seed_list(path)
    elif source == "corpus_train":
        names = corpus_train_seeds(path, label)
    else:
        raise ConfigError(f"seeds_source must be 'list' or 'corpus_train', not {source!r}")
    styles, contexts, forms = (_required_list(settings, k) for k in ("styles", "contexts", "forms"))
    skip = int(settings.get("skip_seeds", 0) or 0)
    for i, name in enumerate(_limit(names, int(settings.get("max_seeds", 0) or 0), n, skip), start=skip):
        yield ner_seed_conditioning(i, name, label, styles, contexts, forms, n_sentences)


def iter_rel_seeds(settings: Dict[str, Any], n_sentences: int, n: Optional[int]) -> Iterator[Dict[str, Any]]:
    pairs = read_pair_list(Path(_required(settings, "pairs_path")))
    styles, contexts = _required_list(settings, "styles"), _required_list(settings, "contexts")
    target = settings.get("target_label")
    if target not in (None, "", 0, 1):
        raise ConfigError(f"[synthclin] target_label must be 0, 1 or unset (alternate), not {target!r}")
    target = None if target in (None, "") else int(target)
    # With one target label only its form list is used (and needed).
    pos = _required_list(settings, "positive_forms") if target != 0 else list(settings.get("positive_forms") or [])
    neg = _required_list(settings, "negative_forms") if target != 1 else list(settings.get("negative_forms") or [])
    skip = int(settings.get("skip_seeds", 0) or 0)
    for i, (gene, disease) in enumerate(_limit(pairs, int(settings.get("max_seeds", 0) or 0), n, skip), start=skip):
        yield rel_seed_conditioning(i, gene, disease, styles, contexts, pos, neg, n_sentences, target)


def iter_category_seeds(settings: Dict[str, Any], n: Optional[int]) -> Iterator[Dict[str, Any]]:
    categories = settings.get("categories")
    if not isinstance(categories, dict) or not categories:
        raise ConfigError("[synthclin.categories] must map entity types (disease, chemical, gene_disease) to lists of categories")
    items = [(etype, cat) for etype, cats in categories.items() for cat in cats]
    for i, (etype, category) in enumerate(_limit(items, int(settings.get("max_seeds", 0) or 0), n)):
        yield {"entity_type": etype, "category": category, "index": i}


def _required(settings: Dict[str, Any], key: str) -> Any:
    if settings.get(key) in (None, ""):
        raise ConfigError(f"[synthclin] needs `{key}`")
    return settings[key]


def _required_list(settings: Dict[str, Any], key: str) -> List[str]:
    value = settings.get(key)
    if not isinstance(value, (list, tuple)) or not value:
        raise ConfigError(f"[synthclin] needs a non-empty list `{key}`")
    return [str(v) for v in value]
