"""Parse a seed proposal response: one name (or GENE<TAB>disease pair) per line."""
import re
from typing import Any, Dict, Tuple

from ..util.markup import MarkupError, has_markup
from ..util.parsing import parse_items
from ..util.report import ParseResult
from ..util.responses import Candidate

MAX_WORDS = 10
MAX_CHARS = 100
_EXPLANATION_RE = re.compile(r"\s+[-\u2013\u2014]\s+|:\s+")
_PAIR_SEP_RE = re.compile(r"\s*\t\s*|\s+\|\s+|\s*;\s+|\s+[-\u2013\u2014]\s+")
_GENE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-./]{0,19}$")
_PROSE_RE = re.compile(r"^(here (are|is)|sure|certainly|note|these|below)\b", re.I)


def clean_name(text: str) -> str:
    """Strip list decoration and a trailing explanation ("Asthma - a chronic airway disease")."""
    text = text.strip().strip("*").strip()
    parts = _EXPLANATION_RE.split(text, maxsplit=1)
    if len(parts) == 2 and parts[0].strip():
        text = parts[0]
    return text.strip().rstrip(".,;").strip()


def check_name(name: str) -> str:
    if not name:
        raise MarkupError("bad_seed", "empty name")
    if has_markup(name) or "\t" in name:
        raise MarkupError("bad_seed", f"not a plain name: {name!r}")
    if _PROSE_RE.match(name) or name.endswith(":") or len(name) > MAX_CHARS or len(name.split()) > MAX_WORDS:
        raise MarkupError("bad_seed", f"prose, not a name: {name!r}")
    return name


def split_pair(candidate: Candidate) -> Tuple[str, str]:
    if candidate.obj is not None and "gene" in candidate.obj and "disease" in candidate.obj:
        gene, disease = str(candidate.obj["gene"]), str(candidate.obj["disease"])
    else:
        parts = _PAIR_SEP_RE.split(candidate.text.strip(), maxsplit=1)
        if len(parts) != 2:
            raise MarkupError("bad_seed", f"not a GENE<TAB>disease pair: {candidate.text!r}")
        gene, disease = parts
    gene = gene.strip().strip("*").strip()
    disease = clean_name(disease)
    if not _GENE_RE.match(gene):
        raise MarkupError("bad_seed", f"not a gene symbol: {gene!r}")
    check_name(disease)
    return gene, disease


def parse_seed_response(response: Any, meta: Dict[str, Any]) -> ParseResult:
    entity_type = meta["entity_type"]

    def parse_item(candidate: Candidate) -> Dict[str, Any]:
        if entity_type == "gene_disease":
            gene, disease = split_pair(candidate)
            return {"gene": gene, "disease": disease}
        name = candidate.obj.get("name") if candidate.obj else None
        return {"seed": check_name(clean_name(str(name or candidate.text)))}

    def annotate(example: Dict[str, Any], position: int, _: Candidate) -> None:
        example.update(entity_type=entity_type, category=meta["category"], category_index=meta.get("category_index"))

    return parse_items(response, int(meta["n_seeds"]), parse_item, annotate, check_truncation=False)
