"""Batch inference with a trained pipeline over large text collections.

- :mod:`.io`: streamed readers for JSONL and Parquet collections, and the
  resumable JSONL writer (rows already in the output are skipped).
- :mod:`.annotate`: ``nlp.pipe`` over a collection (``n_process``, batch size,
  GPU), the engine of ``synthclin annotate``.
- :mod:`.ray_batch`: the same pipeline inside Ray Data ``map_batches`` (optional
  extra ``ray``), for collections beyond one machine.
"""
from .annotate import annotate_collection, doc_to_record

__all__ = ["annotate_collection", "doc_to_record"]
