from django.core.cache import cache

from ita_tracker.summaries import kept


def test_kept_computes_once_per_key_and_says_when():
    cache.clear()
    calls = []

    def compute():
        calls.append(1)
        return {"plans": len(calls)}

    first = kept("person:1", compute)
    again = kept("person:1", compute)
    other = kept("person:2", compute)
    assert first.value == {"plans": 1} and again.value == {"plans": 1}
    assert again.as_of == first.as_of
    assert other.value == {"plans": 2}
    assert len(calls) == 2
    cache.clear()
    assert kept("person:1", compute).value == {"plans": 3}
