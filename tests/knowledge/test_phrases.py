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
