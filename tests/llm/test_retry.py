import email.utils
import random
import time

import pytest

from spacy_synthclin.llm.retry import RetryPolicy, is_retryable_status, parse_retry_after


@pytest.mark.parametrize("status,retry", [(429, True), (500, True), (502, True), (503, True), (504, True),
                                          (408, True), (400, False), (401, False), (404, False), (422, False)])
def test_retryable_statuses(status, retry):
    assert is_retryable_status(status) is retry


def test_parse_retry_after_forms():
    assert parse_retry_after({"retry-after": "3"}) == 3.0
    assert parse_retry_after({"retry-after": "1.5"}) == 1.5
    assert parse_retry_after({"retry-after-ms": "250", "retry-after": "1"}) == 0.25
    assert parse_retry_after({}) is None
    assert parse_retry_after({"retry-after": "soon"}) is None
    now = time.time()
    date = email.utils.formatdate(now + 10, usegmt=True)
    assert 8.5 <= parse_retry_after({"retry-after": date}, now=now) <= 10.5
    past = email.utils.formatdate(now - 100, usegmt=True)
    assert parse_retry_after({"retry-after": past}, now=now) == 0.0


def test_backoff_is_exponential_with_full_jitter_and_capped():
    policy = RetryPolicy(base_delay=0.5, max_delay=4.0)
    rng = random.Random(0)
    for attempt, ceiling in [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (10, 4.0)]:
        delays = [policy.delay(attempt, None, rng) for _ in range(300)]
        assert all(0 <= d <= ceiling for d in delays)
        assert max(delays) > 0.8 * ceiling  # jitter spreads over the whole range
        assert min(delays) < 0.2 * ceiling


def test_retry_after_is_a_lower_bound():
    policy = RetryPolicy(base_delay=0.01, max_delay=0.02, max_retry_after=60)
    rng = random.Random(1)
    delays = [policy.delay(0, 2.0, rng) for _ in range(100)]
    assert all(2.0 <= d <= 2.03 for d in delays)
    assert policy.delay(0, 1000.0, rng) <= 60.03  # a silly Retry-After is capped


def test_invalid_policy():
    with pytest.raises(ValueError):
        RetryPolicy(max_retries=-1)
