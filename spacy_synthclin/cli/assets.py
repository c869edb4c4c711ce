"""`synthclin assets fetch`: the benchmark corpora, pinned and checksummed."""
from pathlib import Path
from typing import List, Optional

import typer

from ..corpora.assets import fetch_assets
from ..corpora.manifest import DEFAULT_ASSET_BASE
from ._app import app
from ._output import emit_result, info, progress

assets_app = typer.Typer(help="Benchmark corpora (real, human-annotated test sets).", no_args_is_help=True)
app.add_typer(assets_app, name="assets")


@assets_app.command("fetch")
def fetch(
    base: str = typer.Option(DEFAULT_ASSET_BASE, help="Raw-GitHub-style URL base, or a local mirror folder (e.g. ../shared/data)"),
    dest: Path = typer.Option(Path("assets/corpora"), help="Where the files go (git-ignored)"),
    corpus: Optional[List[str]] = typer.Option(None, help="Only these corpora (repeatable)"),
    optional: bool = typer.Option(False, "--optional", help="Also fetch BC5CDR-disease and EU-ADR (warn if absent)"),
) -> None:
    """Download (or copy from a mirror) the corpora and verify their checksums."""
    result = fetch_assets(base, dest, corpora=corpus, include_optional=optional,
                          progress=lambda it: progress(it, desc="assets", unit="file"))
    for line in result["missing_optional"]:
        info(f"⚠ optional asset not available: {line}")
    info(f"✔ {result['fetched']} fetched, {result['skipped']} already present with a matching checksum")
    emit_result(result)
