"""LLM backends (spacy-llm model registry) and their tools.

- `openai_compatible`: `synthclin.OpenAICompatible.v1`, a concurrent client for any OpenAI-compatible server.
- `cassette`: `synthclin.Replay.v1`, `synthclin.Record.v1`, `synthclin.CassetteFile.v1`; export/import of prompts.
- `retry`: backoff policy and Retry-After parsing.
- `stub_server`: a loopback OpenAI-compatible stub (``python -m spacy_synthclin.llm.stub_server --port 8089``).
- `bench`: `synthclin bench generate`.
- `prompt`: `Prompt`, a str carrying the task name, template version and meta of a rendered prompt.

Kept import-free so that the stub server starts without loading spaCy.
"""
