"""A spaCy pipeline inside Ray Data: ``map_batches`` with an actor pool holding the loaded ``nlp``.

Beyond one machine, the packaged pipeline runs in an engine that already
schedules, retries and streams (Ray Data); nothing here schedules anything. Each
actor loads the pipeline once (``__init__``) and annotates Arrow batches with
``nlp.pipe``; Ray moves the blocks, sizes the pool and spills to disk. Output
rows keep every input column and add ``entities`` (and ``rel`` when the
pipeline has a ``relation_extractor``), the same fields as ``synthclin annotate``.

    import ray
    from spacy_synthclin.inference.ray_batch import annotate_dataset

    ds = ray.data.read_parquet("s3://bucket/notes/")           # or read_json(...)
    out = annotate_dataset(ds, "en_synthclin_ner", pool_size=8)  # pip-installed on every node
    out.write_parquet("s3://bucket/notes-annotated/")

Needs the optional extra: ``pip install "spacy-synthclin[ray]"``.
"""
from typing import Any, Dict, Optional

from .annotate import doc_to_record, has_relation_extractor


def _arrow_types():
    import pyarrow as pa

    entity = pa.struct([("text", pa.string()), ("label", pa.string()), ("start_char", pa.int64()),
                        ("end_char", pa.int64())])
    relation = pa.struct([("head", pa.int64()), ("tail", pa.int64()), ("scores", pa.map_(pa.string(), pa.float64()))])
    return pa.list_(entity), pa.list_(relation)


class SpacyPipelineUDF:
    """Class-based Ray Data UDF: one loaded pipeline per actor, ``nlp.pipe`` per batch.

    Explicit Arrow types for the new columns: a batch in which nothing is found
    still has the same schema as the others (an inferred ``list<null>`` would not).
    """

    def __init__(self, model: str, text_column: str = "text", batch_size: int = 64, gpu_id: int = -1):
        from ..components.extensions import ensure_extensions
        from ..util import load_model, use_gpu

        ensure_extensions()
        use_gpu(gpu_id)
        self.nlp = load_model(model)
        self.text_column = text_column
        self.batch_size = batch_size
        self.with_rel = has_relation_extractor(self.nlp)
        self.entity_type, self.rel_type = _arrow_types()

    def __call__(self, batch: "Any") -> "Any":
        import pyarrow as pa

        texts = batch.column(self.text_column).to_pylist()
        records = [doc_to_record(doc, with_rel=self.with_rel)
                   for doc in self.nlp.pipe((t or "" for t in texts), batch_size=self.batch_size)]
        batch = batch.append_column(pa.field("entities", self.entity_type),
                                    pa.array([r["entities"] for r in records], type=self.entity_type))
        if self.with_rel:
            rels = [[{**x, "scores": list(x["scores"].items())} for x in r["rel"]] for r in records]
            batch = batch.append_column(pa.field("rel", self.rel_type), pa.array(rels, type=self.rel_type))
        return batch


def annotate_dataset(ds: "Any", model: str, text_column: str = "text", pool_size: int = 2, batch_size: int = 64,
                     num_cpus: float = 1, num_gpus: float = 0, gpu_id: Optional[int] = None) -> "Any":
    """``ds.map_batches`` with a fixed-size actor pool of :class:`SpacyPipelineUDF` (lazy: returns a Dataset).

    ``model``: an installed package name or a path readable on every node.
    The pool holds ``pool_size * num_cpus`` CPU slots for the whole run: leave the cluster
    at least one more for the read and write tasks, or the dataset never starts.
    ``num_gpus``: per actor; with ``num_gpus > 0`` each actor runs on the GPU Ray gives it (``gpu_id`` 0 of its
    visible devices) unless ``gpu_id`` says otherwise.
    """
    from ray.data import ActorPoolStrategy

    if gpu_id is None:
        gpu_id = 0 if num_gpus else -1
    return ds.map_batches(
        SpacyPipelineUDF,
        fn_constructor_kwargs={"model": str(model), "text_column": text_column, "batch_size": batch_size,
                               "gpu_id": gpu_id},
        batch_size=batch_size,
        batch_format="pyarrow",
        compute=ActorPoolStrategy(size=pool_size),
        num_cpus=num_cpus,
        num_gpus=num_gpus,
    )


def ray_version() -> Dict[str, Any]:
    import ray

    return {"ray": ray.__version__}
