"""The privacy guard: real text goes only to loopback or private-network LLM endpoints.

Commands that send *real* corpus or user text to an LLM (the zero-shot
baseline) call :func:`check_model_block` on the model block of every ``llm``
component *before* the pipeline is built, so a refused endpoint is never
connected to. Synthetic generation prompts hold no real text and are not
guarded.

What counts as local is decided from the URL alone: literal IPv4/IPv6
addresses in 127.0.0.0/8, ::1, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or
fc00::/7 (IPv4-mapped IPv6 included), and the name ``localhost``. Any other
host name is refused, even one that would resolve to a private address: DNS is
never asked (a lookup is itself a network request, and its answer can change
between the check and the connection). ``allow_remote`` lifts the guard.
"""
import ipaddress
from typing import Any, Dict, Iterator, List, Optional, Tuple
from urllib.parse import urlsplit

from ..errors import ConfigError

LOCAL_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "::1/128", "fc00::/7",
))
LOCAL_NAMES = ("localhost",)
# Models that hold no endpoint of their own: they answer from a file, render only, or wrap another block.
_OFFLINE_MODELS = ("synthclin.PromptsOnly.v1",)
_WRAPPERS = ("synthclin.Replay.v1", "synthclin.Record.v1")


def redact_url(url: str) -> str:
    """scheme://host[:port]/path of a URL: credentials, query and fragment dropped (they may hold a key)."""
    try:
        parts = urlsplit(str(url))
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "<unparsable URL>"
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{port}" if port else "")
    return f"{parts.scheme}://{netloc}{parts.path}" if parts.scheme else netloc + parts.path


def url_host(url: str) -> str:
    """The host of an http(s) URL, lower-cased, without brackets; ConfigError if there is none."""
    try:
        parts = urlsplit(str(url).strip())
        host = parts.hostname
    except ValueError:
        host = None
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not host:
        raise ConfigError(f"cannot tell where {redact_url(url)!r} points: expected an http:// or https:// URL with a host")
    return host


def is_local_host(host: str) -> bool:
    """True for 'localhost' and literal loopback / private-network addresses (no DNS lookup)."""
    host = host.strip().lower().rstrip(".")
    if host in LOCAL_NAMES:
        return True
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])  # fe80::1%eth0: the zone id is not part of the address
    except ValueError:
        return False  # a name: not resolved on purpose
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:  # ::ffff:10.0.0.1 connects to 10.0.0.1
        address = mapped
    return any(address.version == net.version and address in net for net in LOCAL_NETWORKS)


def is_local_url(url: str) -> bool:
    """True if an http(s) URL points at loopback or a private network (decided from the URL alone)."""
    return is_local_host(url_host(url))


def check_url(url: str, allow_remote: bool = False, what: str = "real text") -> None:
    """Raise ConfigError unless ``url`` is local or ``allow_remote`` is set. The message names the URL, never a key."""
    if allow_remote:
        url_host(url)  # still a well-formed URL
        return
    if not is_local_url(url):
        raise ConfigError(
            f"refusing to send {what} to {redact_url(url)}: it is not on loopback or a private network "
            "(127.0.0.0/8, ::1, localhost, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7; host names other "
            "than localhost are not resolved, so they count as remote). Use a local server, or pass --allow-remote "
            "(or set synthclin.allow_remote = true) if sending this text there is allowed."
        )


def endpoints(block: Any, path: str = "model") -> Iterator[Tuple[str, Optional[str], str]]:
    """(config path, URL or None, model name) for every model in a model block that may open a connection.

    URL None: a model whose destination cannot be read from its block (e.g. a REST model on its
    default public host, or a third-party model); the guard treats it as remote.
    """
    if not isinstance(block, dict):
        return
    name = str(block.get("@llm_models") or "")
    if not name:
        return
    if name in _OFFLINE_MODELS:
        return
    if name in _WRAPPERS:
        inner = block.get("backend")
        # Replay without a fall-through backend answers from the cassette only.
        if name == "synthclin.Record.v1" or block.get("on_miss") == "backend":
            if isinstance(inner, dict):
                yield from endpoints(inner, f"{path}.backend")
            elif inner is not None:
                yield path + ".backend", None, name
        return
    url = block.get("base_url") or block.get("endpoint")
    if not url and _runs_in_process(name):
        return
    yield path, (str(url) if url else None), name


def _runs_in_process(name: str) -> bool:
    """spacy-llm's Hugging Face models run the weights in this process: no text leaves the machine."""
    try:
        from spacy_llm.registry import registry

        factory = registry.llm_models.get(name)
    except Exception:  # an unknown name is reported when the pipeline is built
        return False
    return str(getattr(factory, "__module__", "")).startswith("spacy_llm.models.hf")


def check_model_block(block: Dict[str, Any], allow_remote: bool = False, path: str = "model",
                      what: str = "real text") -> List[str]:
    """Check every endpoint of an (interpolated) model block; return the URLs checked (redacted).

    Raises ConfigError, before anything is built or connected, for a non-local URL or a model
    whose destination is unknown, unless ``allow_remote``.
    """
    checked: List[str] = []
    for where, url, name in endpoints(block, path):
        if url is None:
            if not allow_remote:
                raise ConfigError(
                    f"refusing to send {what} through {where} ({name}): its endpoint is not given as a URL, so it "
                    "cannot be checked to be local. Use synthclin.OpenAICompatible.v1 with a local base_url, or pass "
                    "--allow-remote (or set synthclin.allow_remote = true) if sending this text there is allowed."
                )
            continue
        check_url(url, allow_remote=allow_remote, what=what)
        checked.append(redact_url(url))
    return checked
