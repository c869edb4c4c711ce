"""A tiny, fast pipeline for inference tests: rule-based NER + an initialised relation_extractor."""
from pathlib import Path

import spacy
from spacy.training import Example

REL_MODEL = {
    "@architectures": "synthclin.RelationModel.v2",
    "tok2vec": {"@architectures": "spacy.HashEmbedCNN.v2", "pretrained_vectors": None, "width": 16, "depth": 1,
                "embed_size": 200, "window_size": 1, "maxout_pieces": 2, "subword_features": False},
    "get_candidates": {"@misc": "synthclin.CandidatePairs.v1", "label_pairs": [["GENE", "DISEASE"]], "max_length": 50},
    "classification_layer": {"@architectures": "synthclin.RelationClassifier.v1", "hidden_width": 8},
}
PATTERNS = [
    {"label": "GENE", "pattern": "BRCA1"},
    {"label": "GENE", "pattern": "TP53"},
    {"label": "DISEASE", "pattern": [{"LOWER": "breast"}, {"LOWER": "cancer"}]},
    {"label": "DISEASE", "pattern": [{"LOWER": "asthma"}]},
]


def build_tiny_pipeline(out: Path, relations: bool = True) -> Path:
    """An entity_ruler (GENE, DISEASE) and, optionally, a relation_extractor; saved to ``out``."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(PATTERNS)
    if relations:
        # nlp.initialize() resets the ruler: label the examples with a copy, patterns go back after.
        labeller = spacy.blank("en").add_pipe("entity_ruler")
        labeller.add_patterns(PATTERNS)
        nlp.add_pipe("relation_extractor", config={"model": REL_MODEL})

        def examples():
            out = []
            for text, label in (("BRCA1 causes breast cancer .", 1.0), ("TP53 is unrelated to asthma .", 0.0)):
                gold = labeller(nlp.make_doc(text))
                gene, disease = gold.ents
                gold._.rel = {(gene.start, disease.start): {"ASSOCIATED": label}}
                out.append(Example(labeller(nlp.make_doc(text)), gold))
            return out

        nlp.initialize(examples)
        ruler.add_patterns(PATTERNS)
    out = Path(out)
    nlp.to_disk(out)
    return out
