"""The zero-shot / few-shot LLM baseline: an LLM used directly as the annotator of real test text.

Reproduces the starting point of Tang et al. (2023): spacy-llm's ordinary ``llm``
component with its own tasks, through our backends, scored by the same
scorers as the trained models (``spacy_synthclin.evaluate``) on a fixed random
sample of the real test split, with a bootstrap confidence interval of F1.

Task choice:
- NER: ``spacy.NER.v3`` (chain-of-thought span listing) with the label DISEASE.
- RE: ``spacy.REL.v1`` is enough for the GAD binary setting, so no task of ours
  is needed. A GAD row is a sentence whose gene and disease are masked as
  ``@GENE$`` / ``@DISEASE$`` with one gold label (associated or not). The
  reader already turns the two masks into the row's only two entities, so
  REL.v1 renders them as ``@GENE$[ENT0:GENE]`` / ``@DISEASE$[ENT1:DISEASE]``
  and asks for ``{"dep", "dest", "relation"}`` lines with the one label
  ASSOCIATED. An ASSOCIATED line between the two entities, in either
  direction, means "associated"; no line means "not associated". That is
  exactly one binary decision per row. Two things of REL.v1's output do not
  fit our scorer: it returns the Doc it rendered into the prompt (a marker
  token inserted after each entity, so token offsets shift) and a list of
  ``RelationItem`` instead of our ``doc._.rel`` dict. The
  ``synthclin_llm_rel_scores`` component after it removes the markers and
  writes the ``{(gene.start, disease.start): {"ASSOCIATED": 0/1}}`` that
  ``evaluate_rel`` reads, in the input's token offsets.

Privacy: these prompts contain real corpus text, so every endpoint of the
configured model is checked by :mod:`spacy_synthclin.llm.privacy` before the
pipeline is built (loopback / private network only, unless allow_remote).

Few-shot examples are synthetic only (``synthclin.FewShotExamples.v1``):
sentences taken from the committed synthetic cassettes, never real corpus
sentences.
"""
from .bootstrap import bootstrap_f1
from .components import make_llm_rel_scores
from .examples import fewshot_examples_v1
from .sample import DEFAULT_SEED, sample_indices

__all__ = ["bootstrap_f1", "make_llm_rel_scores", "fewshot_examples_v1", "sample_indices", "DEFAULT_SEED"]
