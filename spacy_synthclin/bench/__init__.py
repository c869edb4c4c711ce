"""Benchmarks behind ``synthclin bench``: each returns one JSON-ready dict with machine facts.

- :mod:`.machine`: cpu count, load average at start and end, date, versions.
- :mod:`.replay`: cassette replay through spacy-llm's ``llm`` component (docs/s).
- :mod:`.convert`: synthetic JSONL -> DocBin shards (docs/s, peak RSS per corpus size).
- :mod:`.pipelines`: inference and training words/s for a config or a trained model.
- :mod:`.sweep`: the generation client over concurrency x latency, and the plots.
The generation client benchmark itself is :mod:`spacy_synthclin.llm.bench`.
"""
