"""The phrase index finds exactly the phrases whose words start where the text's words do."""

from knowledge.phrases import PhraseIndex


def index(*phrases: str) -> PhraseIndex:
    return PhraseIndex.build((p, i) for i, p in enumerate(phrases))


def test_multiword_phrases_need_their_first_word() -> None:
    idx = index("token expired", "rate limit")
    assert idx.find("error: token expired at 10:00") == {0: ["token expired"]}
    assert idx.find("the rate limit was hit") == {1: ["rate limit"]}
    assert idx.find("no match here") == {}


def test_stems_match_longer_words() -> None:
    idx = index("throttl", "conflict")
    assert idx.find("request was throttled") == {0: ["throttl"]}
    assert idx.find("409 conflicts everywhere") == {1: ["conflict"]}


def test_phrases_not_starting_with_a_word_are_always_tried() -> None:
    idx = index('"exp" claim', "(404)")
    assert idx.find('the "exp" claim failed') == {0: ['"exp" claim']}


def test_results_are_ordered_by_key_and_grouped() -> None:
    idx = index("quota", "rate limit", "quota exceeded")
    assert idx.find("rate limit and quota exceeded") == {0: ["quota"], 1: ["rate limit"], 2: ["quota exceeded"]}


def test_mid_word_occurrences_do_not_count() -> None:
    # "limit" inside "unlimited" does not start a word: the index skips it.
    assert index("limit exceeded").find("unlimited exceeded") == {}


def _reference(phrases: list[str], lowered: str) -> dict[int, list[str]]:
    """The rule the index implements, written the slow, obvious way."""
    import re

    words = set(re.findall(r"[a-z0-9]+", lowered))
    hits: dict[int, list[str]] = {}
    for key, phrase in enumerate(phrases):
        if phrase not in lowered:
            continue
        first = re.match(r"[a-z0-9]+", phrase)
        if first is None:
            ok = True
        elif first.end() < len(phrase):
            ok = first.group() in words
        elif len(first.group()) >= 3:
            ok = any(word.startswith(first.group()[:3]) for word in words)
        else:
            ok = True
        if ok:
            hits.setdefault(key, []).append(phrase)
    return {key: sorted(found, key=lambda p: (-len(p), p)) for key, found in sorted(hits.items())}


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_TEXT = st.text(alphabet="abcinvld xyz-_.'\"0129", max_size=60)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(alphabet="abcinvld xyz-.'0", min_size=1, max_size=14), min_size=1, max_size=8), _TEXT)
def test_index_agrees_with_the_plain_rule(phrases: list[str], text: str) -> None:
    lowered = text.lower()
    assert index(*phrases).find(lowered) == _reference(phrases, lowered)


def test_a_first_word_seen_only_inside_another_word_does_not_count() -> None:
    assert index("invalid json").find("xinvalid json body") == {}
    assert index("invalid json").find("an invalid json body") == {0: ["invalid json"]}
