"""Shared checks on parsed items: mentions left unmarked, JSON spans, example records."""
import re
from typing import Any, Dict, List, Optional, Sequence, Tuple

from .markup import MarkupError

_PAREN_RE = re.compile(r"^(.*?)\s*\(([^()]+)\)\s*$")


def name_variants(name: str) -> List[str]:
    """The strings a seed may appear as: "Duchenne muscular dystrophy (DMD)" -> both parts."""
    name = name.strip()
    m = _PAREN_RE.match(name)
    parts = [m.group(1), m.group(2)] if m else [name]
    return [p.strip() for p in parts if len(p.strip()) >= 2]


def _occurrences(text: str, variant: str) -> List[Tuple[int, int]]:
    # Abbreviations (all capitals) match case-sensitively: "MS" must not hit "ms".
    flags = 0 if (variant.isupper() and len(variant) <= 6) else re.I
    pattern = re.compile(r"(?<![\w-])" + re.escape(variant) + r"(?![\w])", flags)
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def unmarked_occurrence(text: str, spans: Sequence[Tuple[int, int]], names: Sequence[str]) -> Optional[str]:
    """An occurrence of one of ``names`` that is not wholly inside a marked span, if any.

    Such a sentence would teach the model that the entity is *not* an entity
    (or that only part of it is), so it is dropped rather than trusted.
    """
    for name in names:
        for variant in name_variants(name):
            for start, end in _occurrences(text, variant):
                if not any(s <= start and end <= e for s, e in spans):
                    return text[start:end]
    return None


def spans_from_json(obj: Dict[str, Any], text: str, default_label: str) -> List[Tuple[int, int, Optional[str]]]:
    """(start, end, label) spans from a JSON item: offsets, mention strings, or {text, label} dicts.

    Offsets must point at the text they claim; a mention string must occur in
    the text (every occurrence is taken, as inline markup would mark each).
    """
    items = None
    for key in ("spans", "entities", "mentions", "ents"):
        if isinstance(obj.get(key), list):
            items = obj[key]
            break
    if items is None:
        raise MarkupError("no_markup", "JSON item without marks or spans")
    out: List[Tuple[int, int, Optional[str]]] = []
    for item in items:
        if isinstance(item, str):
            mention, label = item, default_label
            start = end = None
        elif isinstance(item, dict):
            mention = item.get("text") or item.get("mention")
            label = item.get("label") or item.get("type") or default_label
            start, end = item.get("start"), item.get("end")
        else:
            raise MarkupError("span_not_in_text", f"unreadable span {item!r}")
        if isinstance(start, int) and isinstance(end, int):
            if not (0 <= start < end <= len(text)):
                raise MarkupError("span_not_in_text", f"offsets {start}-{end} outside the text")
            if mention is not None and text[start:end] != mention:
                raise MarkupError("span_not_in_text", f"offsets {start}-{end} hold {text[start:end]!r}, not {mention!r}")
            out.append((start, end, str(label)))
            continue
        if not isinstance(mention, str) or not mention.strip():
            raise MarkupError("span_not_in_text", f"span without text or offsets: {item!r}")
        hits = [m.start() for m in re.finditer(re.escape(mention.strip()), text)]
        if not hits:
            raise MarkupError("span_not_in_text", f"{mention!r} does not occur in the sentence")
        out.extend((h, h + len(mention.strip()), str(label)) for h in hits)
    if not out:
        raise MarkupError("no_markup", "JSON item with an empty span list")
    out.sort()
    for (s1, e1, _), (s2, _e2, _) in zip(out, out[1:]):
        if s2 < e1:
            raise MarkupError("span_not_in_text", "overlapping spans")
    return out
