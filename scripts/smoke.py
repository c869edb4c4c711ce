"""Run the whole `all` workflow on tiny sizes in a scratch copy of the project, then install the
built pipeline wheels and use them: spacy.load, annotate, source them into other pipelines.

    python scripts/smoke.py --dest smoke --asset-base ../shared/data

CI runs this (tests/test_workflow_smoke.py). Last stdout line: one JSON object.
"""
import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TINY = {"n_disease_seeds": 8, "n_disease_v2_seeds": 4, "n_disease_v3_seeds": 4, "n_disease_v4_seeds": 4, "n_chemical_seeds": 6, "n_rel_pairs": 12, "n_rel_v2_pairs": 4, "n_rel_v2b_pairs": 4, "n_rel_v2c_pairs": 4, "ner_max_steps": 30, "rel_max_steps": 30,
        "ner_config": "ner_cpu", "rel_config": "rel_cpu", "package_version": "0.0.1"}

USE_PACKAGES = r"""
import json, spacy
from spacy.tokens import Span
ner = spacy.load("en_synthclin_ner")
labels = sorted(ner.get_pipe("ner_disease").labels + ner.get_pipe("ner_chemical").labels)  # before any doc: the second
# NER learns the first one's label as a preset entity once it has seen one
doc = ner("Patients with cystic fibrosis and type 2 diabetes received metformin and insulin.")
rel = spacy.load("en_synthclin_rel")
host = spacy.blank("en")
host.add_pipe("sentencizer")
host.add_pipe("ner_disease", source=ner)
host.add_pipe("relation_extractor", source=rel)
gad = host.make_doc("The @GENE$ polymorphism was associated with @DISEASE$ risk .")
gad.ents = [Span(gad, 1, 2, "GENE"), Span(gad, 6, 7, "DISEASE")]
for name, proc in host.pipeline:
    if name == "relation_extractor":
        gad = proc(gad)
print(json.dumps({"ner_pipes": ner.pipe_names, "labels": labels,
                  "ents": [(e.text, e.label_) for e in doc.ents], "host_pipes": host.pipe_names,
                  "rel": {str(k): v for k, v in gad._.rel.items()},
                  "meta": {name: {k: pkg.meta.get(k) for k in ("description", "license", "performance")}
                           for name, pkg in (("ner", ner), ("rel", rel))}}))
"""


def run(cmd, **kwargs):
    print("$ " + " ".join(map(str, cmd)), file=sys.stderr, flush=True)
    subprocess.run(list(map(str, cmd)), check=True, **kwargs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=ROOT / "smoke")
    parser.add_argument("--asset-base", default="https://raw.githubusercontent.com")
    parser.add_argument("--keep-installed", action="store_true", help="Leave the built pipelines installed")
    args = parser.parse_args()
    asset_base = args.asset_base
    if "://" not in asset_base and Path(asset_base).exists():
        asset_base = str(Path(asset_base).resolve())  # the copy runs in another folder
    dest = args.dest.resolve()
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copy(ROOT / "project.yml", dest / "project.yml")
    shutil.copytree(ROOT / "configs", dest / "configs")
    shutil.copytree(ROOT / "assets" / "cassettes", dest / "assets" / "cassettes")
    shutil.copytree(ROOT / "scripts", dest / "scripts")
    start = time.time()
    overrides = [f"--vars.{k}={v}" for k, v in {**TINY, "asset_base": asset_base}.items()]
    run([sys.executable, "-m", "spacy", "project", "run", "all", dest, *overrides])
    workflow_s = time.time() - start
    wheels = sorted(dest.glob("packages/*/dist/*.whl"))
    if len(wheels) != 2:
        sys.exit(f"expected 2 pipeline wheels under {dest}/packages, found {[w.name for w in wheels]}")
    run([sys.executable, "-m", "pip", "install", "--no-deps", "--force-reinstall", "-q", *wheels])
    try:
        out = subprocess.run([sys.executable, "-c", USE_PACKAGES], check=True, capture_output=True, text=True, cwd=dest.parent)
        used = json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        if not args.keep_installed:
            run([sys.executable, "-m", "pip", "uninstall", "-y", "-q", "en_synthclin_ner", "en_synthclin_rel"])
    metrics = {p.stem: json.loads(p.read_text()).get("f") for p in sorted((dest / "metrics").glob("*.json"))
               if not p.stem.startswith(("stats_", "contamination_", "decontamination_"))}
    contamination = {p.stem: json.loads(p.read_text())["overlapping"] for p in sorted((dest / "metrics").glob("contamination_*.json"))}
    print(json.dumps({"dest": str(dest), "workflow_s": round(workflow_s, 1), "wheels": [w.name for w in wheels],
                      "metrics_f": metrics, "contamination": contamination, "report": (dest / "reports" / "index.html").exists(),
                      **used}))


if __name__ == "__main__":
    main()
