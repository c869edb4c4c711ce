"""`synthclin report --metrics metrics --out reports`: Markdown/HTML page with PNG plots."""
from pathlib import Path
from typing import Optional

import typer

from ._app import app
from ._output import emit_result, info


@app.command("report")
def report(
    metrics: Path = typer.Option(Path("metrics"), "--metrics", help="Folder of metrics JSON written by the workflow"),
    out: Path = typer.Option(Path("reports"), "--out", help="Output folder (index.md, index.html, *.png)"),
    learning_curve: Optional[Path] = typer.Option(None, "--learning-curve", help="Curve JSON of scripts/learning_curve.py "
                                                  "(default: METRICS/learning_curve.json; left out if absent)"),
) -> None:
    """Scores vs the paper and the supervised references, learning curve, corpus stats, error types."""
    from ..evaluate.report import write_report

    if not metrics.is_dir():
        raise typer.BadParameter(f"{metrics} is not a folder of metrics JSON (run the evaluate step first)")
    if learning_curve is not None and not learning_curve.is_file():
        info(f"ℹ no learning curve at {learning_curve} (scripts/learning_curve.py writes it): the report leaves it out")
        learning_curve = None
    result = write_report(metrics, out, learning_curve)
    info(f"✔ report in {out}/index.html ({', '.join(result['images']) or 'no plots'})")
    emit_result(result)
