"""Tiny benchmarks for benchgate's pytest-benchmark example: each takes well under a millisecond."""
import pytest


def checksum(data):
    total = 0
    for x in data:
        total = (total * 31 + x) & 0xFFFFFFFF
    return total


@pytest.mark.parametrize("size", [1_000, 10_000], ids=["1k", "10k"])
def test_checksum(benchmark, size):
    data = list(range(size))
    result = benchmark(checksum, data)
    benchmark.extra_info["items"] = size
    assert result == checksum(data)


def test_sort(benchmark):
    data = [(i * 7919) % 1_000 for i in range(1_000)]
    assert benchmark(sorted, data) == sorted(data)


def test_not_a_benchmark():
    """A plain test: benchgate runs with --benchmark-only, so this one is skipped."""
    assert checksum([1, 2, 3]) == 1026
