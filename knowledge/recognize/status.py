"""Status codes named in prose: "getting 429s", "HTTP 502 from the gateway", "a 4xx".

A three-digit number is a status only when its context says so: a keyword before it ("HTTP",
"status", "error code", "got"), a reason phrase after it ("503 Service Unavailable"), a plural
("429s"), a status field (`"status": 404`), or a paste so short it can only be a status
("@apierror 418"). Numbers glued to other digits, dots, currency, units or words such as "port"
and "order" are not statuses. Candidates are found with one linear regex and judged by looking at
a few words on either side.
"""

from __future__ import annotations

import re

from knowledge.model import StatusMention

# A colon before the number is allowed only after a status field (`"status":404`), which
# _judge checks: otherwise it is a port or a time (`host:443`, `10:300`).
# The look-behind sits after the first digit so the pattern opens with a character class,
# which lets the regex engine skip to candidate digits in C instead of trying every offset.
_CANDIDATE = re.compile(r"[1-5](?<![\w.$€£¥#/+-][1-5])[0-9]{2}(?![0-9])")
_CLASS = re.compile(r"(?<![\w.#/-])([1-5])[xX]{2}(?![\w])")
_WORD = re.compile(r"[A-Za-z]+")
# Field names that carry a status in JSON bodies, logs and client errors.
_STATUS_FIELD = re.compile(
    r"(?:status(?:[ _-]?code)?|http[ _-]?(?:status|code)|statuscode|response[ _-]?code)"
    r"""["']?\s*[:=]\s*["']?$""",
    re.IGNORECASE,
)

_POSITIVE_BEFORE = frozenset(
    """http https status statuses code codes error errors err got get gets getting receive receives
    received receiving return returns returned returning throw throws threw throwing give gives
    gave giving respond responds responded responding response answer answers answered fail fails
    failed failing with a an hit hitting see seeing saw raise raises raised result results always
    still random intermittent occasional sporadic constant returning responding yields yielding now""".split()
)
_NEGATIVE_BEFORE = frozenset(
    """port ports order orders id ids issue issues pr line lines page pages version ver row rows step
    steps room user users item items number no num build ticket pid uid gid exit took take takes
    taking after about over under than around approx approximately roughly every last first top
    size length width height timeout delay wait waited limit max min chapter section rfc iso unit
    apt flight invoice account customer product sku zip area region bay pin box level floor""".split()
)
_NEGATIVE_AFTER = frozenset(
    """ms millis milliseconds s sec secs second seconds min mins minute minutes h hr hrs hour hours
    day days k kb mb gb tb b bytes px pt em percent users user items item rows row lines line times
    records record people persons words chars characters tokens usd eur gbp dollars euros km miles
    points files pages ports cpu cpus cores threads workers pods nodes instances replicas mbps qps
    rps x""".split()
)
_POSITIVE_AFTER = frozenset(
    """error errors response responses status code s from when on for""".split()
)

# Standard reason phrases, lower case: "503 Service Unavailable" is a status whatever precedes it.
_REASONS = {
    100: "continue",
    101: "switching protocols",
    102: "processing",
    103: "early hints",
    200: "ok",
    201: "created",
    202: "accepted",
    203: "non-authoritative",
    204: "no content",
    205: "reset content",
    206: "partial content",
    207: "multi-status",
    208: "already reported",
    226: "im used",
    300: "multiple choices",
    301: "moved permanently",
    302: "found",
    303: "see other",
    304: "not modified",
    305: "use proxy",
    307: "temporary redirect",
    308: "permanent redirect",
    400: "bad request",
    401: "unauthorized",
    402: "payment required",
    403: "forbidden",
    404: "not found",
    405: "method not allowed",
    406: "not acceptable",
    407: "proxy authentication",
    408: "request timeout",
    409: "conflict",
    410: "gone",
    411: "length required",
    412: "precondition failed",
    413: "payload too large",
    414: "uri too long",
    415: "unsupported media type",
    416: "range not satisfiable",
    417: "expectation failed",
    418: "i'm a teapot",
    421: "misdirected request",
    422: "unprocessable",
    423: "locked",
    424: "failed dependency",
    425: "too early",
    426: "upgrade required",
    428: "precondition required",
    429: "too many requests",
    431: "request header fields too large",
    451: "unavailable for legal reasons",
    499: "client closed request",
    500: "internal server error",
    501: "not implemented",
    502: "bad gateway",
    503: "service unavailable",
    504: "gateway timeout",
    505: "http version not supported",
    507: "insufficient storage",
    508: "loop detected",
    511: "network authentication required",
    520: "web server returned an unknown error",
    521: "web server is down",
    522: "connection timed out",
    523: "origin is unreachable",
    524: "a timeout occurred",
    525: "ssl handshake failed",
    526: "invalid ssl certificate",
}
# Also "413 Request Entity Too Large", "422 Unprocessable Entity/Content" etc.
_REASON_ALIASES = {
    413: "request entity too large", 414: "request-uri too long", 404: "not_found",
    504: "gateway time-out", 422: "unprocessable entity", 409: "conflict",
}

# A paste with at most this many words is a bare question about a code: "429", "got 502 again?"
_SHORT_PASTE_WORDS = 6


def _words_before(text: str, end: int, count: int = 3) -> list[str]:
    window = text[max(0, end - 40) : end]
    # Lower only the words kept (lowering the window first is not the same: "\u212a" -> "k").
    return [w.lower() for w in _WORD.findall(window)[-count:]]


def _words_after(text: str, start: int, count: int = 2) -> list[str]:
    window = text[start : start + 40]
    return [w.lower() for w in _WORD.findall(window)[:count]]


def _status_field_before(text: str, start: int) -> bool:
    """A status field name (`"status": `, `statusCode=`) ends right before offset `start`."""
    window = text[max(0, start - 30) : start]
    # The pattern ends in `[:=]`, blanks, an optional quote (and `$` allows a final newline):
    # test that tail with strips before running the case-insensitive alternation from every
    # offset of the window.
    tail = window.rstrip()
    if tail.endswith(("'", '"')):
        tail = tail[:-1].rstrip()
    if not tail.endswith((":", "=")):
        return False
    return _STATUS_FIELD.search(window) is not None


def _has_reason_after(text: str, start: int, code: int) -> bool:
    """The code's reason phrase follows it, right away or within a word or two
    ("503 Service Unavailable", "404 Project Not Found", "408 Request Time-out",
    "413: FUNCTION_PAYLOAD_TOO_LARGE")."""
    after = (text[start : start + 48].lstrip(" \t:-–(\"'").lower()
             .replace("time-out", "timeout").replace("_", " "))
    for phrase in (_REASONS.get(code), _REASON_ALIASES.get(code)):
        if phrase and (after.startswith(phrase) or (len(phrase) >= 9 and phrase in after[:32])):
            return True
    return False


def _reason_before(text: str, start: int, code: int) -> bool:
    """A reason written as one word just before the code: "PreconditionFailed: 412"."""
    reason = _REASONS.get(code)
    if not reason:
        return False
    before = text[max(0, start - 40) : start].lower().rstrip(" :=(")
    return before.replace("_", "").endswith(reason.replace(" ", "").replace("-", ""))


def _status_suffix(text: str, end: int) -> bool:
    for suffix in ("s", "ing", "ed", "'d"):
        if text.startswith(suffix, end) and not text[end + len(suffix) : end + len(suffix) + 1].isalpha():
            return True
    return False


_ARROWS = ("->", "→", "=>", "⇒", "-->")
_METHODS = ("GET ", "POST ", "PUT ", "PATCH ", "DELETE ", "HEAD ", "OPTIONS ")


def _after_arrow_or_request(text: str, start: int, end: int) -> bool:
    """`GET /x -> 404`, `POST https://api/x  400` (the code ends a request line), or a line
    that is only the code: how logs and people write the answer to a request."""
    before = text[max(0, start - 8) : start].rstrip()
    if before.endswith(_ARROWS):
        return True
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if text[end:line_end].strip(" \t.,;)"):
        return False  # something follows the number on its line
    line = text[line_start:start].strip()
    return not line or "://" in line or line.upper().startswith(_METHODS)


def _judge(text: str, start: int, end: int, code: int, short: bool) -> bool:
    if text[start - 1 : start] == ":":
        return _status_field_before(text, start)
    after_char = text[end : end + 1]
    after2 = text[end : end + 2]
    # Glued to a letter ("500k", "200ms") or a decimal/thousands part ("500,000", "404.5"), but
    # not a verb or plural made of a status ("429s", "keeps 401ing", "it 404ed").
    if after_char.isalpha() and not _status_suffix(text, end):
        return False
    # (`"" in ",."` is true in Python: test for an actual character first.)
    if after_char and after_char in ",." and after2[1:2].isdigit():
        return False
    if after_char and after_char in "%$€£":
        return False
    if _has_reason_after(text, end, code) or _reason_before(text, start, code):
        return True
    if _after_arrow_or_request(text, start, end):
        return True
    if _status_field_before(text, start):
        return True
    before = _words_before(text, start)
    after = _words_after(text, end)
    nearest = before[-1] if before else ""
    if nearest in _NEGATIVE_BEFORE:
        return False
    if after and after[0] in _NEGATIVE_AFTER and not (after[0] == "s" and after_char == "s"):
        return False
    if any(
        word in _POSITIVE_BEFORE or word.endswith(("error", "exception")) for word in before[-2:]
    ):
        return True
    if (after_char.isalpha() and _status_suffix(text, end)) or (after and after[0] in _POSITIVE_AFTER):
        return True
    prev_char = text[start - 1 : start]
    # "(404)" is a status; "range(256)" and "f(500)" are calls.
    if prev_char == "(" and text[end : end + 1] == ")" and not text[start - 2 : start - 1].isalnum():
        return True
    return short


def find_statuses(text: str) -> list[StatusMention]:
    """Status codes and classes mentioned in `text`, in order, each code once."""
    found: list[StatusMention] = []
    seen: set[int] = set()
    short = len(text.split(None, _SHORT_PASTE_WORDS + 1)) <= _SHORT_PASTE_WORDS
    for match in _CANDIDATE.finditer(text):
        code = int(match.group())
        # 1xx beyond 103 is unassigned and, in prose, nearly always an errno ("error: 111").
        if code in seen or code >= 600 or 103 < code < 200:
            continue
        if _judge(text, match.start(), match.end(), code, short):
            seen.add(code)
            found.append(StatusMention(code=code, klass=code // 100, text=_quote(text, match)))
        if len(found) >= 20:
            break
    if not _may_hold_class(text):
        return found
    classes: set[int] = set()
    for match in _CLASS.finditer(text):
        klass = int(match.group(1))
        if klass not in classes:
            classes.add(klass)
            found.append(StatusMention(code=None, klass=klass, text=match.group(0)))
    return found


def _may_hold_class(text: str) -> bool:
    """Whether `text` has the "xx" of a class ("4xx") in any case: C-level `in` tests that
    spare the look-behind regex a walk over nearly every paste."""
    return "xx" in text or "XX" in text or "xX" in text or "Xx" in text


def _quote(text: str, match: re.Match[str]) -> str:
    """The mention with a little context, for evidence: "getting 429s"."""
    line_start = text.rfind("\n", 0, match.start()) + 1
    line_end = text.find("\n", match.end())
    line_end = len(text) if line_end < 0 else line_end
    start = max(line_start, match.start() - 30)
    end = min(line_end, match.end() + 30)
    # Widen to whole words (a few characters at most) so the quote never starts mid-word.
    while start > line_start and match.start() - start < 45 and not text[start - 1].isspace():
        start -= 1
    while end < line_end and end - match.end() < 45 and not text[end].isspace():
        end += 1
    return text[start:end].strip()
