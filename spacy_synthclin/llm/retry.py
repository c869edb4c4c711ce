"""Retry policy for LLM requests: which failures to retry and how long to wait.

Exponential backoff with full jitter (wait uniform in [0, base * 2**attempt],
capped), so that many concurrent requests that failed together do not come
back together. A server's ``Retry-After`` (or OpenAI's ``retry-after-ms``) is
honoured as a lower bound: we never come back earlier than asked.
"""
import email.utils
import random
import time
from dataclasses import dataclass
from typing import Mapping, Optional

# 408 Request Timeout, 409 Conflict (some gateways), 425 Too Early, 429 Too Many Requests; every 5xx.
_RETRY_4XX = frozenset({408, 409, 425, 429})


def is_retryable_status(status: int) -> bool:
    return status in _RETRY_4XX or 500 <= status <= 599


def parse_retry_after(headers: Mapping[str, str], now: Optional[float] = None) -> Optional[float]:
    """Seconds to wait from ``retry-after-ms`` or ``Retry-After`` (seconds or HTTP date)."""
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            return max(0.0, float(value) / 1000.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


@dataclass
class RetryPolicy:
    max_retries: int = 5  # retries after the first attempt
    base_delay: float = 0.5  # seconds; doubles with every retry
    max_delay: float = 30.0  # cap of the exponential part
    max_retry_after: float = 300.0  # cap on a server's Retry-After

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        if self.base_delay < 0 or self.max_delay < 0:
            raise ValueError("backoff delays must be >= 0")

    def delay(self, attempt: int, retry_after: Optional[float] = None, rng: Optional[random.Random] = None) -> float:
        """Seconds to wait before retry number ``attempt + 1`` (``attempt`` counts from 0)."""
        rng = rng or random
        ceiling = min(self.max_delay, self.base_delay * (2 ** min(attempt, 30)))
        if retry_after is not None:
            wait = min(retry_after, self.max_retry_after)
            # The server told us when; spread the comeback a little so a burst does not return at once.
            return wait + rng.uniform(0, min(ceiling, 0.1 * wait + 0.01))
        return rng.uniform(0, ceiling)
