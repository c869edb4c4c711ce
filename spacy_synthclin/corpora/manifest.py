"""Pinned public sources of the benchmark corpora (the project's assets).

Each file has one upstream location (repository @ commit, path: raw URL under
``asset_base``) and one *mirror* path, the layout of a local copy such as
``../shared/data``. MD5 checksums (weasel's checksum) were computed from the
upstream files; BC5CDR-disease and EU-ADR have none recorded yet (optional).
"""
from dataclasses import dataclass
from typing import List, Optional

DEFAULT_ASSET_BASE = "https://raw.githubusercontent.com"


@dataclass(frozen=True)
class AssetFile:
    corpus: str
    local: str  # mirror layout, also the destination below assets/corpora/
    repo: str
    commit: str
    path: str
    md5: Optional[str]
    required: bool = True

    def url(self, base: str = DEFAULT_ASSET_BASE) -> str:
        return f"{base.rstrip('/')}/{self.repo}/{self.commit}/{self.path}"


MANIFEST: List[AssetFile] = [
    AssetFile('NCBI-disease', 'NCBI-disease/train.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/NER/NCBI-disease/train.tsv', '5904483126718eef7b8e8728d0ce30a7', required=True),
    AssetFile('NCBI-disease', 'NCBI-disease/MTL-IOB/train.tsv', 'cambridgeltl/MTL-Bioinformatics-2016', 'df0df02fae6dbb87d88ffcf323b9096528f06f84', 'data/NCBI-disease-IOB/train.tsv', '9d8769d8e8b5ca7e3db2c1c0833f7131', required=True),
    AssetFile('NCBI-disease', 'NCBI-disease/devel.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/NER/NCBI-disease/devel.tsv', '99dca8495d805cc415fd7a4dad4294ec', required=True),
    AssetFile('NCBI-disease', 'NCBI-disease/MTL-IOB/devel.tsv', 'cambridgeltl/MTL-Bioinformatics-2016', 'df0df02fae6dbb87d88ffcf323b9096528f06f84', 'data/NCBI-disease-IOB/devel.tsv', '2f43c7a2065c4c4b61c4a88fcc0273e1', required=True),
    AssetFile('NCBI-disease', 'NCBI-disease/test.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/NER/NCBI-disease/test.tsv', '9824f5859fb7df304807958e420d93e2', required=True),
    AssetFile('NCBI-disease', 'NCBI-disease/MTL-IOB/test.tsv', 'cambridgeltl/MTL-Bioinformatics-2016', 'df0df02fae6dbb87d88ffcf323b9096528f06f84', 'data/NCBI-disease-IOB/test.tsv', '026417d36b7fa405acd256cfc34a8b0c', required=True),
    AssetFile('BC5CDR-chem', 'BC5CDR-chem/train.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/NER/BC5CDR-chem/train.tsv', '0451ddfa71a942cada2ded1871da6809', required=True),
    AssetFile('BC5CDR-chem', 'BC5CDR-chem/MTL-IOB/train.tsv', 'cambridgeltl/MTL-Bioinformatics-2016', 'df0df02fae6dbb87d88ffcf323b9096528f06f84', 'data/BC5CDR-chem-IOB/train.tsv', 'a5a4f538331a7d81754685b3ec84ebe7', required=True),
    AssetFile('BC5CDR-chem', 'BC5CDR-chem/devel.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/NER/BC5CDR-chem/devel.tsv', '58c44c6fc241a9f97e6481c7086f3b41', required=True),
    AssetFile('BC5CDR-chem', 'BC5CDR-chem/MTL-IOB/devel.tsv', 'cambridgeltl/MTL-Bioinformatics-2016', 'df0df02fae6dbb87d88ffcf323b9096528f06f84', 'data/BC5CDR-chem-IOB/devel.tsv', 'd1d2f6864695ff92914e7515e66c931e', required=True),
    AssetFile('BC5CDR-chem', 'BC5CDR-chem/test.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/NER/BC5CDR-chem/test.tsv', '590e9cb1fb3b02db6638de46b9257894', required=True),
    AssetFile('BC5CDR-chem', 'BC5CDR-chem/MTL-IOB/test.tsv', 'cambridgeltl/MTL-Bioinformatics-2016', 'df0df02fae6dbb87d88ffcf323b9096528f06f84', 'data/BC5CDR-chem-IOB/test.tsv', 'c18dd325768695c7c1b4506bd3f952f2', required=True),
    AssetFile('GAD', 'GAD/1/train.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/GAD/1/train.tsv', '294d3cc71b6883ac44dec7f45d114f81', required=True),
    AssetFile('GAD', 'GAD/1/test.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/GAD/1/test.tsv', 'c1e0504c4f3224055d39ff06843c02bf', required=True),
    AssetFile('GAD', 'GAD/2/train.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/GAD/2/train.tsv', 'bbdb91a9e6058b98dc042aba6c2abba5', required=True),
    AssetFile('GAD', 'GAD/2/test.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/GAD/2/test.tsv', '5b8c2076fa1978feabbd7770d0d28e58', required=True),
    AssetFile('GAD', 'GAD/3/train.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/GAD/3/train.tsv', '5fb9cc08898e82125a29354e415e68b7', required=True),
    AssetFile('GAD', 'GAD/3/test.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/GAD/3/test.tsv', 'ab57093836bc085f2e779484e53523ea', required=True),
    AssetFile('GAD', 'GAD/4/train.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/GAD/4/train.tsv', '7c371d9bbea73d281d14b83f0a8df43b', required=True),
    AssetFile('GAD', 'GAD/4/test.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/GAD/4/test.tsv', '6d75347b2bbca596a779609e8d6ebb72', required=True),
    AssetFile('GAD', 'GAD/5/train.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/GAD/5/train.tsv', '890b7201cb9fc3256b7402da6782dc6e', required=True),
    AssetFile('GAD', 'GAD/5/test.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/GAD/5/test.tsv', '12edfb0adfcf7d72e70bd84b866890a6', required=True),
    AssetFile('GAD', 'GAD/6/train.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/GAD/6/train.tsv', 'eb59cc8a15695ca701ee81fbf18a9dff', required=True),
    AssetFile('GAD', 'GAD/6/test.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/GAD/6/test.tsv', 'fa2e8a72d31cb95fa9d4220c4ea6c5c8', required=True),
    AssetFile('GAD', 'GAD/7/train.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/GAD/7/train.tsv', 'ae29a60186f09cb0e5b002e0563fadd6', required=True),
    AssetFile('GAD', 'GAD/7/test.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/GAD/7/test.tsv', 'b3879e2b8d6e6a2c23b962a77f7dcd66', required=True),
    AssetFile('GAD', 'GAD/8/train.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/GAD/8/train.tsv', '715df97ea5d812cbf5b18624b5d433e6', required=True),
    AssetFile('GAD', 'GAD/8/test.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/GAD/8/test.tsv', '3471599c907ee50bb8632d55eea03b19', required=True),
    AssetFile('GAD', 'GAD/9/train.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/GAD/9/train.tsv', '68cdfcfe801c54b094fb41ebdf5381cc', required=True),
    AssetFile('GAD', 'GAD/9/test.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/GAD/9/test.tsv', '81b5e2c189ed061eb43d355f6fbb650e', required=True),
    AssetFile('GAD', 'GAD/10/train.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/GAD/10/train.tsv', '91c162870fef47f2111912473d01f770', required=True),
    AssetFile('GAD', 'GAD/10/test.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/GAD/10/test.tsv', 'b63acbb72d7b127308dea667907d46cb', required=True),
    AssetFile('GAD', 'GAD/BLURB/train.tsv', 'hieunguyen7337/KeBioLM', 'bc7c3667c786236252ba5b26b3b921197465b7a3', 'data/GAD/train.tsv', 'a406a1df0c97e84d6c7cf153c9ab40e4', required=True),
    AssetFile('GAD', 'GAD/BLURB/dev.tsv', 'hieunguyen7337/KeBioLM', 'bc7c3667c786236252ba5b26b3b921197465b7a3', 'data/GAD/dev.tsv', '10dbe036ef1145a1bde740f1ec733396', required=True),
    AssetFile('GAD', 'GAD/BLURB/test.tsv', 'hieunguyen7337/KeBioLM', 'bc7c3667c786236252ba5b26b3b921197465b7a3', 'data/GAD/test.tsv', 'c1e0504c4f3224055d39ff06843c02bf', required=True),
    AssetFile('BC5CDR-disease', 'BC5CDR-disease/train.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/NER/BC5CDR-disease/train.tsv', None, required=False),
    AssetFile('BC5CDR-disease', 'BC5CDR-disease/devel.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/NER/BC5CDR-disease/devel.tsv', None, required=False),
    AssetFile('BC5CDR-disease', 'BC5CDR-disease/test.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/NER/BC5CDR-disease/test.tsv', None, required=False),
    AssetFile('EU-ADR', 'EU-ADR/1/train.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/euadr/1/train.tsv', None, required=False),
    AssetFile('EU-ADR', 'EU-ADR/1/test.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/euadr/1/test.tsv', None, required=False),
    AssetFile('EU-ADR', 'EU-ADR/2/train.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/euadr/2/train.tsv', None, required=False),
    AssetFile('EU-ADR', 'EU-ADR/2/test.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/euadr/2/test.tsv', None, required=False),
    AssetFile('EU-ADR', 'EU-ADR/3/train.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/euadr/3/train.tsv', None, required=False),
    AssetFile('EU-ADR', 'EU-ADR/3/test.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/euadr/3/test.tsv', None, required=False),
    AssetFile('EU-ADR', 'EU-ADR/4/train.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/euadr/4/train.tsv', None, required=False),
    AssetFile('EU-ADR', 'EU-ADR/4/test.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/euadr/4/test.tsv', None, required=False),
    AssetFile('EU-ADR', 'EU-ADR/5/train.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/euadr/5/train.tsv', None, required=False),
    AssetFile('EU-ADR', 'EU-ADR/5/test.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/euadr/5/test.tsv', None, required=False),
    AssetFile('EU-ADR', 'EU-ADR/6/train.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/euadr/6/train.tsv', None, required=False),
    AssetFile('EU-ADR', 'EU-ADR/6/test.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/euadr/6/test.tsv', None, required=False),
    AssetFile('EU-ADR', 'EU-ADR/7/train.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/euadr/7/train.tsv', None, required=False),
    AssetFile('EU-ADR', 'EU-ADR/7/test.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/euadr/7/test.tsv', None, required=False),
    AssetFile('EU-ADR', 'EU-ADR/8/train.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/euadr/8/train.tsv', None, required=False),
    AssetFile('EU-ADR', 'EU-ADR/8/test.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/euadr/8/test.tsv', None, required=False),
    AssetFile('EU-ADR', 'EU-ADR/9/train.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/euadr/9/train.tsv', None, required=False),
    AssetFile('EU-ADR', 'EU-ADR/9/test.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/euadr/9/test.tsv', None, required=False),
    AssetFile('EU-ADR', 'EU-ADR/10/train.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/euadr/10/train.tsv', None, required=False),
    AssetFile('EU-ADR', 'EU-ADR/10/test.tsv', 'BioMedBERT/biomedbert', '9e5e1019d79d07c7aecc4eb49106203af1012663', 'datasets/RE/euadr/10/test.tsv', None, required=False),
]


def corpora() -> List[str]:
    return sorted({a.corpus for a in MANIFEST})
