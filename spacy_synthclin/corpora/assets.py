"""Fetch the benchmark corpora: pinned upstream URLs, or a local mirror folder.

``base`` is either an HTTP(S) URL (files at ``base/owner/repo/commit/path``,
the raw-GitHub layout) or a local folder / ``file://`` URL laid out like
``../shared/data`` (``NCBI-disease/test.tsv``...). Every file with a recorded
checksum is verified; a mismatch or a missing required file is an error.
"""
import hashlib
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional

import httpx

from ..errors import ConfigError
from .manifest import MANIFEST, AssetFile


def md5sum(path: Path) -> str:
    digest = hashlib.md5()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_remote(base: str) -> bool:
    return base.startswith(("http://", "https://"))


def source_of(asset: AssetFile, base: str) -> str:
    if is_remote(base):
        return asset.url(base)
    root = Path(base[len("file://"):] if base.startswith("file://") else base)
    return str(root / asset.local)


def _download(url: str, target: Path, timeout: float) -> None:
    with httpx.stream("GET", url, timeout=timeout, follow_redirects=True) as response:
        if response.status_code != 200:
            raise ConfigError(f"cannot download {url}: HTTP {response.status_code}")
        with target.open("wb") as fh:
            for chunk in response.iter_bytes():
                fh.write(chunk)


def fetch_assets(
    base: str,
    dest: Path,
    corpora: Optional[Iterable[str]] = None,
    include_optional: bool = False,
    timeout: float = 60.0,
    progress: Callable = lambda it: it,
) -> Dict:
    wanted = set(corpora) if corpora else None
    files = [a for a in MANIFEST if (wanted is None or a.corpus in wanted) and (a.required or include_optional or wanted)]
    if wanted:
        unknown = wanted - {a.corpus for a in MANIFEST}
        if unknown:
            raise ConfigError(f"unknown corpus {sorted(unknown)}; known: {sorted({a.corpus for a in MANIFEST})}")
    fetched, skipped = 0, 0
    missing: List[str] = []
    for asset in progress(files):
        target = dest / asset.local
        if target.exists() and asset.md5 and md5sum(target) == asset.md5:
            skipped += 1
            continue
        source = source_of(asset, base)
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp:
            tmp_path = Path(tmp.name)
        try:
            if is_remote(base):
                try:
                    _download(source, tmp_path, timeout)
                except httpx.HTTPError as err:
                    raise ConfigError(f"cannot download {source}: {err.__class__.__name__}: {err}") from None
            elif Path(source).is_file():
                shutil.copyfile(source, tmp_path)
            else:
                raise ConfigError(f"asset not found: {source}")
            if asset.md5 and md5sum(tmp_path) != asset.md5:
                raise ConfigError(f"checksum mismatch for {source}: expected md5 {asset.md5}, got {md5sum(tmp_path)}")
            tmp_path.replace(target)
            fetched += 1
        except ConfigError as err:
            tmp_path.unlink(missing_ok=True)
            if asset.required:
                raise
            missing.append(f"{asset.local} ({err})")
    return {"fetched": fetched, "skipped": skipped, "missing_optional": missing, "dest": str(dest), "base": base}
