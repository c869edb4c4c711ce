"""Fixtures: tiny hand-made test splits (scores computable by hand) and a loopback stub that answers."""
from pathlib import Path

import pytest

from spacy_synthclin.llm.stub_server import StubConfig, StubServer

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = ROOT / "configs"

# 4 sentences, 3 gold DISEASE mentions (breast cancer, cancer, tumours)
NER_TSV = """Patients\tO
with\tO
breast\tB
cancer\tI
were\tO
seen\tO
.\tO

The\tO
cancer\tB
grew\tO
quickly\tO
.\tO

No\tO
tumours\tB
were\tO
seen\tO
.\tO

BRCA1\tO
was\tO
sequenced\tO
.\tO
"""
# 5 rows, gold labels 1 1 0 1 0; row 1 has the disease first (ENT0 = DISEASE)
GAD_TSV = """index\tsentence\tlabel
0\t@GENE$ variants increase the risk of @DISEASE$.\t1
1\t@DISEASE$ patients carried @GENE$ mutations.\t1
2\t@GENE$ was not associated with @DISEASE$.\t0
3\tExpression of @GENE$ was higher in @DISEASE$.\t1
4\t@GENE$ was genotyped in @DISEASE$ cases.\t0
"""
# Test fixture answers (hand-written for these tests, never recorded into a committed cassette).
# NER: "cancer" is found once per sentence (spacy.NER.v3 matches each listed span once, in order).
NER_REPLY = "1. cancer | True | DISEASE | is a disease\n2. BRCA1 | False | ==NONE== | is a gene"
REL_REPLY = '{"dep": 0, "dest": 1, "relation": "ASSOCIATED"}'


@pytest.fixture
def ner_tsv(tmp_path) -> Path:
    path = tmp_path / "ner_test.tsv"
    path.write_text(NER_TSV, encoding="utf-8")
    return path


@pytest.fixture
def gad_tsv(tmp_path) -> Path:
    path = tmp_path / "gad_test.tsv"
    path.write_text(GAD_TSV, encoding="utf-8")
    return path


@pytest.fixture
def stub_factory():
    """stub_factory(reply) -> a started loopback stub answering every prompt with ``reply``."""
    servers = []

    def make(reply: str, answered_by: str = "stub-annotator") -> StubServer:
        server = StubServer(StubConfig(reply="fixed:" + reply, answered_by=answered_by, max_seconds=120.0)).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()
