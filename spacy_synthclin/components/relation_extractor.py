"""``relation_extractor``: a trainable pipe that scores relations between entity pairs.

Candidates come from the model's ``get_candidates`` (entity label pairs and a
maximum distance, see ``synthclin.CandidatePairs.v1``), so the pipe works after
any NER that yields both entity types, and on GAD/EU-ADR Docs whose masks are
the entities. Output: ``doc._.rel[(head.start, tail.start)] = {label: score}``
for every candidate; a relation holds when its score reaches ``threshold``.

Gold relations live in ``example.reference._.rel`` in the same format (1.0 /
0.0); candidate pairs missing from it count as negatives. During training the
candidates are built from the *reference* entities (``use_gold_ents``), so the
standard ``spacy.Corpus.v1`` reader is enough.
"""
from itertools import islice
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import numpy
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.tokens import Doc, Span
from spacy.training import Example, validate_get_examples
from thinc.api import Config, Model, Optimizer, set_dropout_rate
from thinc.types import Floats2d

from ..errors import ConfigError
from .extensions import ensure_extensions
from .architectures import candidate_pairs, pair_instances, relation_classifier, relation_model  # noqa: F401 (registrations)
from .scoring import reference_index, score_relations

DEFAULT_REL_MODEL = """
[model]
@architectures = "synthclin.RelationModel.v2"

[model.tok2vec]
@architectures = "spacy.HashEmbedCNN.v2"
pretrained_vectors = null
width = 96
depth = 4
embed_size = 2000
window_size = 1
maxout_pieces = 3
subword_features = true

[model.get_candidates]
@misc = "synthclin.CandidatePairs.v1"
label_pairs = [["GENE", "DISEASE"]]
max_length = 100

[model.classification_layer]
@architectures = "synthclin.RelationClassifier.v1"
hidden_width = 64
"""
DEFAULT_MODEL = Config().from_str(DEFAULT_REL_MODEL)["model"]


@Language.factory(
    "relation_extractor",
    requires=["doc.ents"],
    assigns=["doc._.rel"],
    default_config={"model": DEFAULT_MODEL, "threshold": 0.5, "use_gold_ents": True,
                    "scorer": {"@scorers": "synthclin.RelationScorer.v1"}},
    default_score_weights={"rel_micro_f": 1.0, "rel_micro_p": 0.0, "rel_micro_r": 0.0},
)
def make_relation_extractor(nlp: Language, name: str, model: Model, threshold: float, use_gold_ents: bool,
                            scorer: Optional[Callable]) -> "RelationExtractor":
    return RelationExtractor(nlp.vocab, model, name, threshold=threshold, use_gold_ents=use_gold_ents, scorer=scorer)


class RelationExtractor(TrainablePipe):
    def __init__(self, vocab, model: Model, name: str = "relation_extractor", *, threshold: float = 0.5,
                 use_gold_ents: bool = True, scorer: Optional[Callable] = score_relations) -> None:
        ensure_extensions()
        if not 0.0 <= threshold <= 1.0:
            raise ConfigError(f"relation_extractor: threshold must be in [0, 1], got {threshold}")
        self.vocab = vocab
        self.model = model
        self.name = name
        self.scorer = scorer
        self.cfg = {"labels": [], "threshold": threshold, "use_gold_ents": use_gold_ents}

    # --- labels and settings -------------------------------------------------

    @property
    def labels(self) -> Tuple[str, ...]:
        return tuple(self.cfg["labels"])

    @property
    def threshold(self) -> float:
        return float(self.cfg["threshold"])

    @threshold.setter
    def threshold(self, value: float) -> None:
        self.cfg["threshold"] = float(value)

    @property
    def get_candidates(self) -> Callable[[Doc], List[Tuple[Span, Span]]]:
        return self.model.attrs["get_candidates"]

    def add_label(self, label: str) -> int:
        if not isinstance(label, str):
            raise ValueError(f"relation_extractor: labels are strings, got {label!r}")
        if label in self.labels:
            return 0
        self._allow_extra_label()
        self.cfg["labels"].append(label)
        self.vocab.strings.add(label)
        return 1

    # --- prediction ----------------------------------------------------------

    def predict(self, docs: Iterable[Doc]) -> Floats2d:
        docs = list(docs)
        if not any(self.get_candidates(doc) for doc in docs):
            return self.model.ops.alloc2f(0, len(self.labels))
        return self.model.predict(docs)

    def set_annotations(self, docs: Iterable[Doc], scores: Floats2d) -> None:
        scores = self.model.ops.to_numpy(scores)
        row = 0
        for doc in docs:
            rel = {}
            for head, tail in self.get_candidates(doc):
                rel[(head.start, tail.start)] = {label: float(scores[row, i]) for i, label in enumerate(self.labels)}
                row += 1
            doc._.rel = rel

    # --- training --------------------------------------------------------------

    def _training_docs(self, examples: Iterable[Example]) -> List[Doc]:
        """The predicted Docs, with the reference entities on them when ``use_gold_ents``."""
        docs = []
        for eg in examples:
            doc = eg.predicted
            if self.cfg["use_gold_ents"] and eg.reference.ents:
                doc = doc.copy()
                doc.ents = eg.get_aligned_spans_y2x(eg.reference.ents, allow_overlap=True)
            docs.append(doc)
        return docs

    def _truth(self, examples: Sequence[Example], docs: Sequence[Doc]) -> Floats2d:
        rows = []
        for eg, doc in zip(examples, docs):
            gold = eg.reference._.rel or {}
            for head, tail in self.get_candidates(doc):
                labels = gold.get((reference_index(eg, head.start), reference_index(eg, tail.start)), {})
                rows.append([float(labels.get(label, 0.0)) for label in self.labels])
        return numpy.asarray(rows, dtype="float32").reshape(-1, len(self.labels))

    def update(self, examples: Iterable[Example], *, drop: float = 0.0, sgd: Optional[Optimizer] = None,
               losses: Optional[Dict[str, float]] = None) -> Dict[str, float]:
        losses = {} if losses is None else losses
        losses.setdefault(self.name, 0.0)
        examples = list(examples)
        validate_examples_list(examples, "RelationExtractor.update")
        docs = self._training_docs(examples)
        if not any(self.get_candidates(doc) for doc in docs):
            return losses
        set_dropout_rate(self.model, drop)
        scores, backprop = self.model.begin_update(docs)
        loss, d_scores = self._loss(examples, docs, scores)
        backprop(d_scores)
        if sgd is not None:
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def _loss(self, examples, docs, scores) -> Tuple[float, Floats2d]:
        truth = self.model.ops.asarray2f(self._truth(examples, docs))
        d_scores = scores - truth  # binary cross-entropy w.r.t. the logits (see SigmoidOutput)
        eps = 1e-7
        probs = self.model.ops.xp.clip(scores, eps, 1 - eps)
        loss = -(truth * self.model.ops.xp.log(probs) + (1 - truth) * self.model.ops.xp.log(1 - probs)).sum()
        return float(loss), d_scores / max(1, len(scores))

    def get_loss(self, examples: Iterable[Example], scores: Floats2d) -> Tuple[float, Floats2d]:
        examples = list(examples)
        return self._loss(examples, self._training_docs(examples), scores)

    def initialize(self, get_examples: Callable[[], Iterable[Example]], *, nlp: Optional[Language] = None,
                   labels: Optional[List[str]] = None) -> None:
        validate_get_examples(get_examples, "RelationExtractor.initialize")
        if labels is not None:
            for label in labels:
                self.add_label(label)
        else:
            for eg in get_examples():
                for pair_labels in (eg.reference._.rel or {}).values():
                    for label in pair_labels:
                        self.add_label(label)
        if not self.labels:
            raise ConfigError(
                f"relation_extractor '{self.name}': no relation labels in the training data "
                "(doc._.rel is empty on every reference Doc) and none given in [initialize.components]"
            )
        sample = list(islice(get_examples(), 32))
        docs = self._training_docs(sample)
        truth = self._truth(sample, docs)
        if not len(truth):
            truth = numpy.zeros((1, len(self.labels)), dtype="float32")
        self.model.initialize(X=docs, Y=self.model.ops.asarray2f(truth))

    def score(self, examples: Iterable[Example], **kwargs) -> Dict[str, float]:
        kwargs.setdefault("threshold", self.threshold)
        kwargs.setdefault("labels", self.labels)
        return self.scorer(examples, **kwargs)


def validate_examples_list(examples: List[Example], where: str) -> None:
    if examples and not isinstance(examples[0], Example):
        raise TypeError(f"{where}: expected a list of Example objects, got {type(examples[0]).__name__}")
