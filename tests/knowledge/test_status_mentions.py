"""Status codes in prose: what counts as a status and what is just a number."""

import pytest

from knowledge.recognize.status import find_statuses


def codes(text: str) -> list[int | None]:
    return [m.code for m in find_statuses(text) if m.code is not None]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("getting 429s", [429]),
        ("HTTP 502 from the gateway", [502]),
        ("503 Service Unavailable", [503]),
        ("error code 401", [401]),
        ("429", [429]),
        ("@apierror 418?", [418]),
        ("the upload fails with 413 Request Entity Too Large", [413]),
        ("Request failed with status code 401", [401]),
        ('{"status": 404, "error": "Not Found"}', [404]),
        ("statusCode=500 on the orders service", [500]),
        ("we keep seeing 500 errors since the deploy", [500]),
        ("first a 401 and after refreshing the token a 403", [401, 403]),
        ("it returns (404) for every id", [404]),
        ("HTTPError: 400 Client Error: Bad Request for url", [400]),
        ('{"status":404,"error":"Not Found"}', [404]),
        ('{"statusCode":400,"message":"Bad"}', [400]),
        ("<title>504 Gateway Time-out</title> from nginx", [504]),
    ],
)
def test_statuses_in_prose(text: str, expected: list[int]) -> None:
    assert codes(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "order 404512 shipped yesterday and the customer is happy",
        "the service listens on port 5000 now, not 3000",
        "released v1.429 of the client library this morning",
        "the call took 200ms on average across all our regions",
        "we raised the price to $500 for the enterprise plan",
        "meeting at 10:30 on 2024-05-01 to discuss the roadmap",
        "we have 500 users in the beta and 250 more waiting",
        "see line 404 of handlers.py for the retry loop we added",
        "version 2.404.1 is out with the new pagination helpers",
        "the batch has 300 items and each item is about 2 KB",
        "PR #404 fixed the retry loop in the webhook consumer",
        "it connects to db.internal:443 and then to cache:500 before the call",
        "the job ran from 10:300 and we did not notice for a while",
        "delayed connect error: 111 while dialing the upstream service",
    ],
)
def test_numbers_that_are_not_statuses(text: str) -> None:
    assert codes(text) == []


def test_status_classes() -> None:
    found = find_statuses("random 5xx errors and the odd 4XX from the edge")
    assert [(m.code, m.klass) for m in found] == [(None, 5), (None, 4)]


def test_mention_quotes_its_context_in_whole_words() -> None:
    (mention,) = find_statuses("since this morning we are getting 429s from the search API")
    assert "429s" in mention.text
    (mention,) = find_statuses("axios: Request failed with status code 413 when uploading a 12MB file")
    assert mention.text.startswith("Request failed") and mention.text.endswith("file")


def test_linear_on_hostile_input() -> None:
    # 40 KB of digits and of candidate-looking numbers stays fast and bounded.
    assert codes("4" * 40_000) == []
    assert len(find_statuses("got 401 " * 5000)) == 1
