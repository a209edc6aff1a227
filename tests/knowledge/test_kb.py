"""The knowledge base data: it loads, covers every status and cause it promises, and the
loader rejects broken data with a message that says where the problem is."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from knowledge import kb

REPO = Path(__file__).resolve().parents[2]

IANA_CODES = [
    100, 101, 102, 103,
    *range(200, 209), 226,
    *range(300, 309),
    *range(400, 419), *range(421, 427), 428, 429, 431, 451,
    *range(500, 509), 510, 511,
]
UNOFFICIAL_CODES = [
    419, 420, 430, 440, 444, 449, 460, 463, 494, 495, 496, 497, 498, 499,
    509, 520, 521, 522, 523, 524, 525, 526, 527, 529, 530, 561, 598, 599,
]
CLASSES = ["1xx", "2xx", "3xx", "4xx", "5xx"]
ALL_FACTS = {name: "X" for name in kb.PLACEHOLDERS}


@pytest.fixture(scope="module")
def base() -> kb.KnowledgeBase:
    return kb.load()


def _cause_ids_table() -> list[str] | None:
    """Ids from the first column of shared/cause-ids.md, or None when the file is absent."""
    for candidate in (REPO.parent / "shared" / "cause-ids.md", REPO / "shared" / "cause-ids.md"):
        if candidate.is_file():
            text = candidate.read_text(encoding="utf-8")
            return re.findall(r"^\|\s*([a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)\s*\|", text, re.MULTILINE)
    return None


def _write(tmp_path: Path, text: str) -> dict:
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    return tomllib.loads(path.read_text(encoding="utf-8"))


# --- loading and coverage ---------------------------------------------------------------

def test_load_succeeds_and_validates(base: kb.KnowledgeBase) -> None:
    assert len(base.causes) >= 56
    assert len(base.statuses) >= len(IANA_CODES) + len(UNOFFICIAL_CODES) + len(CLASSES)
    kb.validate(base)  # raises on any dangling cause id


@pytest.mark.parametrize("code", IANA_CODES)
def test_every_iana_code_has_its_own_official_entry(base: kb.KnowledgeBase, code: int) -> None:
    entry = base.statuses.get(str(code))
    assert entry is not None, f"{code} has no entry"
    assert entry.code == code
    assert entry.official is True
    assert entry.reference.startswith("RFC "), entry.reference
    assert entry.meaning and entry.debug and entry.next


@pytest.mark.parametrize("code", UNOFFICIAL_CODES)
def test_every_listed_unofficial_code_has_an_entry(base: kb.KnowledgeBase, code: int) -> None:
    entry = base.statuses.get(str(code))
    assert entry is not None, f"{code} has no entry"
    assert entry.official is False
    assert entry.reference.startswith("https://"), entry.reference
    assert entry.causes, f"{code} names no cause"


def test_class_entries_exist_and_serve_codes_without_their_own(base: kb.KnowledgeBase) -> None:
    for key in CLASSES:
        entry = base.statuses[key]
        assert entry.code is None and entry.debug and entry.next
    assert base.status(432) is base.statuses["4xx"]
    assert base.status(599) is base.statuses["599"]
    assert base.status(550) is base.statuses["5xx"]
    assert base.status_class(2) is base.statuses["2xx"]


def test_every_id_in_the_shared_table_is_defined(base: kb.KnowledgeBase) -> None:
    ids = _cause_ids_table()
    if ids is None:
        pytest.skip("shared/cause-ids.md is not present")
    assert len(ids) >= 50  # the table parsed, not an empty match
    missing = [cause_id for cause_id in ids if cause_id not in base.causes]
    assert not missing


def test_every_status_cause_exists_and_every_cause_is_reachable(base: kb.KnowledgeBase) -> None:
    named = {cause_id for entry in base.statuses.values() for cause_id in entry.causes}
    assert named <= set(base.causes)
    # A cause no status names can only be reached by a rule; make that a deliberate choice.
    assert set(base.causes) - named == set()


def test_error_statuses_name_causes_and_no_duplicates(base: kb.KnowledgeBase) -> None:
    for key, entry in base.statuses.items():
        assert entry.title and entry.meaning and entry.origin, key
        # Even a status with no cause must tell the user what to check and paste next.
        assert entry.debug and entry.fixes and entry.next, key
        if key[0] in "45":
            assert entry.causes, f"{key} names no cause"
        assert len(set(entry.causes)) == len(entry.causes), f"{key} repeats a cause"


# --- content that a diagnosis relies on --------------------------------------------------

@pytest.mark.parametrize(("code", "first"), [
    (400, "request.malformed_json"),
    (401, "auth.token_expired"),
    (403, "authz.permission_denied"),
    (404, "url.wrong_path"),
    (405, "method.not_allowed"),
    (413, "request.payload_too_large"),
    (415, "request.missing_content_type"),
    (429, "ratelimit.exceeded"),
    (499, "gateway.client_closed"),
    (500, "server.unhandled_exception"),
    (502, "gateway.upstream_down"),
    (503, "service.overloaded"),
    (504, "gateway.upstream_timeout"),
    (524, "gateway.upstream_timeout"),
    (460, "gateway.client_closed"),
    (463, "request.too_many_forwarded_ips"),
    (561, "auth.identity_provider_error"),
])
def test_first_cause_is_the_usual_suspect(base: kb.KnowledgeBase, code: int, first: str) -> None:
    assert base.statuses[str(code)].causes[0] == first


def test_vendor_codes_say_what_they_really_mean(base: kb.KnowledgeBase) -> None:
    assert "100 s" in base.statuses["524"].meaning
    assert "more than 30" in base.statuses["463"].meaning
    assert "identity provider" in base.statuses["561"].meaning
    assert "closed the connection" in base.statuses["460"].meaning
    assert "client closed" in base.statuses["499"].meaning.lower()
    assert "Redirect" in base.statuses["451"].meaning  # the IIS / ActiveSync meaning noted
    for code in ("520", "521", "522", "523", "524", "525", "526"):
        assert base.statuses[code].origin == "Cloudflare"


def test_ok_and_redirect_statuses_point_at_their_causes(base: kb.KnowledgeBase) -> None:
    assert {"graphql.errors_in_ok_response", "api.error_in_ok_response"} <= set(base.statuses["200"].causes)
    for code in ("301", "302", "307", "308"):
        assert any(c.startswith("redirect.") for c in base.statuses[code].causes), code
    assert base.statuses["304"].causes == ()
    assert "Retry-After" in base.statuses["429"].headers
    assert "Allow" in base.statuses["405"].headers


def test_reason_phrases_follow_rfc_9110(base: kb.KnowledgeBase) -> None:
    assert base.statuses["413"].title == "Content Too Large"
    assert base.statuses["422"].title == "Unprocessable Content"
    assert base.statuses["418"].title == "(Unused)"
    assert base.statuses["418"].official is True


def test_cause_text_survives_with_and_without_facts(base: kb.KnowledgeBase) -> None:
    """Generic lines must remain when a paste gives no facts; specific ones must not swamp."""
    for cause in base.causes.values():
        assert cause.title and cause.summary
        assert len(kb.fill(cause.debug, {})) >= 2, cause.id
        assert len(kb.fill(cause.fixes, {})) >= 2, cause.id
        assert len(kb.fill(cause.debug, ALL_FACTS)) <= 5, cause.id
        assert len(kb.fill(cause.fixes, ALL_FACTS)) <= 4, cause.id


def test_text_lines_are_well_formed(base: kb.KnowledgeBase) -> None:
    lines = [line for c in base.causes.values() for line in (*c.debug, *c.fixes)]
    lines += [line for s in base.statuses.values() for line in (*s.debug, *s.fixes, s.next)]
    for line in lines:
        assert line.count("`") % 2 == 0, f"unbalanced backticks: {line!r}"
        # Every brace is a placeholder: a stray `{` would print literally or hide a typo.
        assert line.count("{") == line.count("}") == len(kb.PLACEHOLDER.findall(line)), line
        assert line == line.strip() and "  " not in line, line


# --- the loader rejects broken data -------------------------------------------------------

@pytest.mark.parametrize(("text", "message"), [
    ('["Bad-Id"]\ntitle = "x"\nsummary = "y"\n', "family.name"),
    ('["auth.x"]\nsummary = "y"\n', "`title`"),
    ('["auth.x"]\ntitle = "x"\nsummary = "y"\ncolour = "red"\n', "unknown keys ['colour']"),
    ('["auth.x"]\ntitle = "x"\nsummary = "y"\ndebug = ["Wait {seconds} s"]\n', "unknown placeholders ['seconds']"),
    ('["auth.x"]\ntitle = "x"\nsummary = "y"\nfixes = "not a list"\n', "list of non-empty strings"),
    ('["auth.x"]\ntitle = "x"\nsummary = "y"\ndebug = [""]\n', "list of non-empty strings"),
    ('"auth.x" = "not a table"\n', "expected a table"),
])
def test_broken_causes_raise_a_useful_error(tmp_path: Path, text: str, message: str) -> None:
    data = _write(tmp_path, text)
    with pytest.raises(kb.KnowledgeError) as caught:
        kb.parse_causes(data, "broken.toml")
    assert message in str(caught.value)
    assert "broken.toml" in str(caught.value)


_STATUS = 'title = "T"\nmeaning = "M"\norigin = "O"\nreference = "R"\n'


@pytest.mark.parametrize(("text", "message"), [
    (f'["600"]\n{_STATUS}', "code 100-599"),
    (f'["4XX"]\n{_STATUS}', "code 100-599"),
    (f'["404"]\n{_STATUS}official = "yes"\n', "`official` must be true or false"),
    (f'["404"]\n{_STATUS}causes = [1, 2]\n', "list of non-empty strings"),
    (f'["404"]\n{_STATUS}next = 3\n', "`next`"),
    ('["404"]\ntitle = "T"\norigin = "O"\nreference = "R"\n', "`meaning`"),
    (f'["404"]\n{_STATUS}hint = "x"\n', "unknown keys ['hint']"),
])
def test_broken_statuses_raise_a_useful_error(tmp_path: Path, text: str, message: str) -> None:
    data = _write(tmp_path, text)
    with pytest.raises(kb.KnowledgeError) as caught:
        kb.parse_statuses(data, "4xx.toml")
    assert message in str(caught.value)
    assert "4xx.toml" in str(caught.value)


def test_a_valid_status_parses(tmp_path: Path) -> None:
    data = _write(tmp_path, f'["429"]\n{_STATUS}official = true\ncauses = ["ratelimit.exceeded"]\n["4xx"]\n{_STATUS}')
    parsed = kb.parse_statuses(data, "4xx.toml")
    assert parsed["429"].code == 429 and parsed["429"].official
    assert parsed["4xx"].code is None and not parsed["4xx"].official


def test_validate_rejects_a_status_naming_an_unknown_cause(base: kb.KnowledgeBase, tmp_path: Path) -> None:
    data = _write(tmp_path, f'["404"]\n{_STATUS}causes = ["url.no_such_cause"]\n')
    broken = kb.KnowledgeBase(causes=base.causes, statuses=kb.parse_statuses(data, "x.toml"), vendors={})
    with pytest.raises(kb.KnowledgeError, match=r"\[404\].*url\.no_such_cause"):
        kb.validate(broken)


# --- fill ----------------------------------------------------------------------------------

def test_fill_fills_known_facts_and_drops_lines_with_unknown_ones() -> None:
    lines = (
        "Wait {retry_after} s (the server's Retry-After) before retrying.",
        "Back off exponentially with jitter; honour Retry-After when the server sends it.",
        "Check {host} with `dig {host}`.",
        "Field {field} at {line}:{column}.",
    )
    assert kb.fill(lines, {"retry_after": 30, "host": "api.example.com"}) == [
        "Wait 30 s (the server's Retry-After) before retrying.",
        "Back off exponentially with jitter; honour Retry-After when the server sends it.",
        "Check api.example.com with `dig api.example.com`.",
    ]
    # None and "" are unknown; 0 is a real value.
    assert kb.fill(lines[:1], {"retry_after": None}) == []
    assert kb.fill(lines[:1], {"retry_after": ""}) == []
    assert kb.fill(lines[:1], {"retry_after": 0}) == ["Wait 0 s (the server's Retry-After) before retrying."]
    assert kb.fill(lines[3:], {"field": "email", "line": 3}) == []


def test_fill_on_real_cause_text(base: kb.KnowledgeBase) -> None:
    cause = base.causes["ratelimit.exceeded"]
    generic = kb.fill(cause.fixes, {})
    specific = kb.fill(cause.fixes, {"retry_after": 17})
    assert not any("{" in line for line in generic + specific)
    assert any("17 s" in line for line in specific)
    assert len(specific) == len(generic) + 1
