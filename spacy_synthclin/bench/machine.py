"""What a benchmark figure depends on besides the code: the machine and how busy it was."""
import os
import platform
from datetime import datetime, timezone
from typing import Any, Dict


def _loadavg():
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:  # not available on every platform
        return None


def _versions() -> Dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ("spacy", "spacy-llm", "spacy-transformers", "thinc", "torch"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            pass
    return out


class Machine:
    """Facts at the start of a run; :meth:`finish` adds the end (load average, versions of what was imported)."""

    def __init__(self) -> None:
        self.started = datetime.now(timezone.utc)
        self.load_start = _loadavg()

    def finish(self) -> Dict[str, Any]:
        import psutil

        return {
            "cpu_count": os.cpu_count(),
            "cpu_affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
            "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "load_avg_start": self.load_start,  # 1, 5, 15 minutes
            "load_avg_end": _loadavg(),
            "date": self.started.isoformat(timespec="seconds"),
            "platform": platform.platform(),
            **_versions(),
        }


def peak_rss_mb() -> float:
    """This process's lifetime peak resident set (ru_maxrss is KiB on Linux)."""
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
