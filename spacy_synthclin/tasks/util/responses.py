"""Split an LLM response into candidate items (numbered lines, bullets, or JSON).

The prompts ask for numbered lines and nothing else; models still add a
preamble ("Here are five sentences:"), a closing remark, code fences, bullets
instead of numbers, or answer with a JSON list. Those wrappers are removed
here (and recorded as ignored prose); the items themselves are never edited
beyond stripping the list numbering and wrapping quotes.
"""
import json
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

# "1. text", "1) text", "(1) text", "1: text", "**1.** text", "Sentence 1: text".
# The separator must be followed by whitespace, so "5-Fluorouracil ..." or
# "1.5 mg ..." are never read as numbering.
_NUMBERED_RE = re.compile(
    r"^\s*(?:\*\*)?\(?(?:(?:sentence|example|item|seed|pair)\s*)?#?(\d{1,3})\s*(?:\*\*)?\s*[.):\]](?:\*\*)?\s+(?:\*\*\s*)?(.*)$",
    re.I,
)
_BULLET_RE = re.compile(r"^\s*[-*\u2022\u2013]\s+(.*)$")
_FENCE_RE = re.compile(r"^\s*```[\w-]*\s*$")
_QUOTES = [('"', '"'), ("\u201c", "\u201d"), ("'", "'"), ("\u2018", "\u2019")]
_TERMINAL_RE = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*$")
# Where a JSON value may start: '[' followed by '{', '"' or ']' (not our '[[' markup), or '{"'.
_JSON_START_RE = re.compile(r"\[\s*[{\"\]]|\{\s*[\"}]")
_JSON_LIST_KEYS = ("sentences", "examples", "items", "data", "results", "seeds", "pairs", "output")


@dataclass
class Candidate:
    text: str  # the item without list numbering / quotes (markup kept)
    number: Optional[int] = None  # the list number the model wrote, if any
    obj: Optional[Dict[str, Any]] = None  # a JSON object item (text + spans/entities)
    source: str = "line"  # "line" | "json"


@dataclass
class SplitResponse:
    candidates: List[Candidate]
    ignored: List[str]
    error: Optional[str] = None  # a response-level failure reason ("empty", "malformed_json")


def _unquote(text: str) -> str:
    text = text.strip()
    for left, right in _QUOTES:
        if len(text) >= 2 and text.startswith(left) and text.endswith(right):
            inner = text[len(left) : -len(right)]
            if left not in inner and right not in inner:
                return inner.strip()
    return text


def _strip_emphasis(text: str) -> str:
    # "**1.** text**" leftovers of markdown bold around the whole item
    if text.startswith("**") and text.endswith("**") and text.count("**") == 2:
        return text[2:-2].strip()
    return text


def _find_json(text: str) -> Tuple[Optional[Any], bool]:
    """(decoded value, whether something JSON-like was seen).

    Only the first JSON-looking start is decoded: if that fails (typically a
    truncated answer) the response is malformed as a whole, rather than
    salvaged from whatever inner object happens to be complete.
    """
    m = _JSON_START_RE.search(text)
    if m is None:
        return None, False
    try:
        value, _ = json.JSONDecoder().raw_decode(text, m.start())
    except ValueError:
        return None, True
    if isinstance(value, dict):
        for key in _JSON_LIST_KEYS:
            if isinstance(value.get(key), list) and value[key]:
                return value[key], True
        return [value], True
    if isinstance(value, list) and value:
        return value, True
    return None, True


def _json_candidates(items: List[Any]) -> List[Candidate]:
    out: List[Candidate] = []
    for item in items:
        if isinstance(item, str):
            out.append(Candidate(text=_unquote(item), source="json"))
        elif isinstance(item, dict):
            text = next((item[k] for k in ("text", "sentence", "name", "seed") if isinstance(item.get(k), str)), "")
            out.append(Candidate(text=text.strip(), obj=item, source="json"))
        else:
            out.append(Candidate(text=json.dumps(item), source="json"))
    return out


def split_response(response: Any) -> SplitResponse:
    """Candidate items of a response, prose lines ignored, or a response-level error."""
    if isinstance(response, (list, tuple)):  # non-sharding tasks get a 1-list per doc
        response = response[0] if len(response) == 1 else "\n".join(map(str, response))
    raw = "" if response is None else str(response)
    if not raw.strip():
        return SplitResponse([], [], "empty")
    lines = [line for line in raw.splitlines() if not _FENCE_RE.match(line)]
    body = "\n".join(lines)

    numbered: List[Candidate] = []
    bullets: List[Candidate] = []
    plain: List[str] = []
    for line in lines:
        if not line.strip():
            continue
        m = _NUMBERED_RE.match(line)
        if m:
            numbered.append(Candidate(text=_unquote(_strip_emphasis(m.group(2).strip())), number=int(m.group(1))))
            continue
        b = _BULLET_RE.match(line)
        if b:
            bullets.append(Candidate(text=_unquote(_strip_emphasis(b.group(1).strip()))))
            continue
        plain.append(line.strip())

    if not numbered:
        value, json_seen = _find_json(body)
        if value is not None:
            return SplitResponse(_json_candidates(value), [])
        if json_seen and not bullets:
            return SplitResponse([], [body], "malformed_json")
    if numbered:
        ignored = [c.text for c in bullets] + plain
        return SplitResponse([c for c in numbered if c.text], ignored)
    if bullets:
        return SplitResponse([c for c in bullets if c.text], plain)
    # No list at all: every line is an item, except introductions ("...:").
    items = [Candidate(text=_unquote(line)) for line in plain if not line.rstrip().endswith(":")]
    ignored = [line for line in plain if line.rstrip().endswith(":")]
    return SplitResponse(items, ignored)


def ends_like_sentence(text: str) -> bool:
    return bool(_TERMINAL_RE.search(text.rstrip()))


def last_is_truncated(candidates: List[Candidate]) -> bool:
    """The last item was cut off: an unclosed mark, or no final punctuation where the others have it."""
    if not candidates:
        return False
    last = candidates[-1].text
    if ends_like_sentence(last):  # an unclosed mark in a finished sentence is bad markup, not truncation
        return False
    if last.count("[[") > last.count("]]"):
        return True
    others = candidates[:-1]
    if not others:
        return False
    closed = sum(ends_like_sentence(c.text) for c in others)
    return closed >= max(1, (len(others) + 1) // 2)
