"""Write the meta.json that `spacy package --meta-path` merges into a pipeline package: a template's
description, license, sources and notes, plus `performance` from the workflow's metrics files.

    python scripts/package_meta.py configs/meta_rel.json packages/meta_rel.json --clean packages/en_synthclin_rel-0.1.0

The template's `performance_from` maps a name to a metrics JSON (`synthclin evaluate --output`) or a
glob of them (their mean is taken); each gives NAME_p, NAME_r, NAME_f (and NAME_accuracy when the
metrics have one). Paths are relative to the current folder (the project). `--clean` removes an earlier
`spacy package` output folder: spacy package keeps an existing README.md, which would show stale scores.
Last stdout line: one JSON object.
"""
import argparse
import glob
import json
import shutil
import sys
from pathlib import Path

from spacy_synthclin.evaluate.aggregate import SCORES, mean_metrics


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        sys.exit(f"package_meta: {path}:{err.lineno}: not valid JSON ({err.msg})")


def performance(performance_from: dict, root: Path) -> dict:
    result = {}
    for name, pattern in performance_from.items():
        paths = sorted(glob.glob(str(root / pattern)))
        if not paths:
            sys.exit(f"package_meta: no metrics file matches {pattern!r} (performance_from.{name}): run the workflow step that writes it first (evaluate, or package for package_*.json)")
        means = mean_metrics([_read_json(Path(path)) for path in paths])
        result.update({f"{name}_{score}": round(means[score], 4) for score in SCORES if score in means})
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("template", type=Path, help="meta template JSON (configs/meta_*.json)")
    parser.add_argument("out", type=Path, help="meta.json to write, for `spacy package --meta-path`")
    parser.add_argument("--root", type=Path, default=Path("."), help="folder the metrics paths are relative to")
    parser.add_argument("--clean", type=Path, help="an earlier `spacy package` output folder of this package, to remove")
    args = parser.parse_args(argv)
    meta = _read_json(args.template)
    meta["performance"] = {**meta.get("performance", {}), **performance(meta.pop("performance_from", {}), args.root)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    if args.clean and args.clean.is_dir():
        shutil.rmtree(args.clean)
    print(json.dumps({"out": str(args.out), "performance": meta["performance"]}))


if __name__ == "__main__":
    main()
