"""Fake spacy-llm models for the task tests (hand-written fixture answers, not training data).

`test.Scripted.v1` answers each generation prompt from its meta with a response
built from a script; which faults are injected depends on the seed index, so
tests know exactly what went in. It also answers spacy.NER.v3 and spacy.REL.v1
prompts (generate-then-annotate) by looking for the seed names in the text.
"""
import json
import re
from typing import Dict, Iterable, List

from spacy_llm.registry import registry

CALLS: List[str] = []

# One NER answer: 3 good lines + the faults listed in FAULTS[index % len(FAULTS)].
NER_GOOD = [
    "Children with [[{e}]] were followed for five years in a tertiary clinic.",
    "No sign of [[{e}]] was seen on the follow-up scan, and CRP was normal.",
    "The biopsy was read as possible [[{e}]] by two pathologists, pending BRCA1 testing.",
]
NER_FAULTS = {
    "misaligned": "Several [[tumor]]s were found in a patient with [[{e}]].",
    "no_markup": "The team did not consider {e} likely in this case of fever and rash.",
    "wrong_label": "Patients with [[{e}]] were treated with [[CHEMICAL: methotrexate]] weekly.",
    "unbalanced_markup": "Relatives of patients with [[{e}] were screened for the condition.",
}
# per seed index: the faults injected (cycled), "empty" = empty answer, "short" = only two lines
SCRIPT = [["misaligned", "no_markup"], [], ["wrong_label"], "empty", ["unbalanced_markup"], "short"]


def ner_answer(index: int, entity: str, n: int) -> str:
    plan = SCRIPT[index % len(SCRIPT)]
    if plan == "empty":
        return ""
    good = [g.format(e=entity) + f" (cohort {index})" for g in NER_GOOD]
    if plan == "short":
        lines = good[:2]
    else:
        lines = good + [NER_FAULTS[f].format(e=entity) for f in plan]
        lines = lines[:n] if len(lines) >= n else lines
    return "Here are the sentences:\n" + "\n".join(f"{i}. {line}" for i, line in enumerate(lines, 1))


def expected_counts(indices: Iterable[int], n: int) -> Dict[str, int]:
    """What ner_answer injects, counted the way the parser must count it."""
    counts: Dict[str, int] = {}
    parsed = 0
    for index in indices:
        plan = SCRIPT[index % len(SCRIPT)]
        if plan == "empty":
            counts["empty"] = counts.get("empty", 0) + n
            continue
        if plan == "short":
            parsed += 2
            counts["missing"] = counts.get("missing", 0) + n - 2
            continue
        lines = 3 + len(plan)
        parsed += 3
        for f in plan:
            counts[f] = counts.get(f, 0) + 1
        if lines < n:
            counts["missing"] = counts.get("missing", 0) + n - lines
    counts["_parsed"] = parsed
    return counts


REL_TEMPLATES = {
    1: "Carriers of the [[G:{g}]] risk allele had a higher risk of [[D:{d}]] (OR 1.8, 95% CI 1.3-2.4; study {i}).",
    0: "No association was found between [[G:{g}]] polymorphisms and [[D:{d}]] in cohort {i} (P = 0.62).",
}


def rel_answer(index: int, gene: str, disease: str, target: int, n: int) -> str:
    lines = [REL_TEMPLATES[target].format(g=gene, d=disease, i=f"{index}-{k}") for k in range(n)]
    if index % 3 == 2:  # one sentence with the gene left untyped
        lines[-1] = f"The [[{gene}]] locus was also typed in [[D:{disease}]] patients of study {index}."
    return "\n".join(f"{k}. {line}" for k, line in enumerate(lines, 1))


def seed_answer(entity_type: str, category: str, n: int) -> str:
    if entity_type == "gene_disease":
        return "\n".join(f"G{abs(hash(category)) % 97}X{k}\t{category} disorder {k}" for k in range(n))
    return "\n".join(f"{category} item {k}" for k in range(n)) + "\n" + f"{category} item 0"  # one duplicate


def plain_answer(meta: Dict, n: int) -> str:
    if "gene" in meta:
        verb = "was associated with" if meta["target_label"] == 1 else "was not associated with"
        return "\n".join(f"{k}. The {meta['gene']} genotype {verb} {meta['disease']} in cohort {meta['pair_index']}-{k}." for k in range(1, n + 1))
    lines = [f"{k}. Patients with {meta['seed']} were seen in clinic {meta['seed_index']}-{k} for routine follow-up." for k in range(1, n)]
    lines.append(f"{n}. The clinic {meta['seed_index']} ran a separate survey on sleep habits of staff members.")  # no entity
    return "\n".join(lines)


KNOWN_GENES = set()
KNOWN_DISEASES = set()


def ner_v3_answer(prompt: str) -> str:
    paragraph = prompt.rsplit("Paragraph:", 1)[1].split("\nAnswer:", 1)[0].strip()
    out = []
    found = sorted((paragraph.find(name), name) for name in KNOWN_DISEASES | KNOWN_GENES if name in paragraph)
    for _, name in found:  # spacy.NER.v3 expects the entities in text order
        label = "GENE" if name in KNOWN_GENES else "DISEASE"
        out.append(f"{name} | True | {label} | is a {label.lower()} mentioned in the text")
    return "\n".join(f"{i}. {line}" for i, line in enumerate(out, 1))


def rel_v1_answer(prompt: str) -> str:
    text = prompt.rsplit("Text:", 1)[1]
    if "was associated with" in text:
        ids = re.findall(r"\[ENT(\d+):(GENE|DISEASE)\]", text)
        gene = next(i for i, lab in ids if lab == "GENE")
        disease = next(i for i, lab in ids if lab == "DISEASE")
        return json.dumps({"dep": int(gene), "dest": int(disease), "relation": "ASSOCIATED"})
    return ""


@registry.llm_models("test.Scripted.v1")
def scripted_model():
    def call(prompts: Iterable[Iterable[str]]) -> Iterable[Iterable[str]]:
        out = []
        for group in prompts:
            answers = []
            for prompt in group:
                CALLS.append(str(prompt))
                meta = getattr(prompt, "meta", {}) or {}
                if "seed" in meta and meta.get("mode") == "plain" or ("gene" in meta and meta.get("mode") == "plain"):
                    answers.append(plain_answer(meta, meta["n_sentences"]))
                elif "seed" in meta:
                    answers.append(ner_answer(meta["seed_index"], meta["seed"], meta["n_sentences"]))
                elif "gene" in meta:
                    answers.append(rel_answer(meta["pair_index"], meta["gene"], meta["disease"], meta["target_label"], meta["n_sentences"]))
                elif "category" in meta:
                    answers.append(seed_answer(meta["entity_type"], meta["category"], meta["n_seeds"]))
                elif "Paragraph:" in str(prompt):
                    answers.append(ner_v3_answer(str(prompt)))
                elif "[ENT" in str(prompt):
                    answers.append(rel_v1_answer(str(prompt)))
                else:
                    raise AssertionError(f"unexpected prompt: {str(prompt)[:200]}")
            out.append(answers)
        return out

    return call
