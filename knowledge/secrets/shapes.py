"""Vendor token shapes: the table of known credential formats, and the scan that finds them.

The formats (Stripe, GitHub, GitLab, Slack, AWS, Google, OpenAI, JWT, ...) follow public secret
scanners (gitleaks, trufflehog, GitHub secret scanning). To add one, add a `_shape(...)` row to
`_SHAPES`. A shape is only tried where a token run begins with one of its prefixes, so a paste
without long tokens costs a few `find` calls. PEM blocks live in `pem.py`; keys without a prefix
that count only next to their public half (AWS secret keys, Twilio tokens) in `pairs.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from knowledge.secrets.entropy import mixed_classes
from knowledge.secrets.model import MASK, PRIORITY_SHAPE, Hit, Secret
from knowledge.secrets.pem import scan_pem, scan_ppk
from knowledge.secrets.placeholders import is_shape_placeholder
from knowledge.secrets.view import WORD, View, occurrences


@dataclass(frozen=True)
class _Shape:
    """A vendor credential format. The regex's `v` group is the secret, `keep` its public prefix.

    The regex is only tried where it can start: at a token run (or after a `-`/`_`/`%XX` inside
    one) beginning with one of `starts`, or, for `lead` shapes whose prefix ends before the run
    (`ya29.`, `SG.`, webhook URLs), where `lead` occurs just before a run.
    `labels` maps a `keep` prefix to a label when one format has several token types.
    `random_body` also requires two of lower, upper and digits after the prefix (prefixes like
    `sk-` occur in ordinary hyphenated words).
    """

    kind: str
    label: str
    starts: tuple[str, ...]
    pattern: re.Pattern[str]
    left: str = "word"
    lead: str = ""
    live: bool = True
    labels: dict[str, str] = field(default_factory=dict)
    random_body: bool = False
    keep_prefix: bool = True


def _shape(kind: str, label: str, starts: Iterable[str], pattern: str, **options: Any) -> _Shape:
    return _Shape(kind, label, tuple(starts), re.compile(pattern), **options)


_GITLAB_PREFIXES = (
    "glpat-", "gldt-", "glrt-", "glptt-", "glcbt-", "glimt-", "gloas-", "glsoat-", "glffct-",
    "glagent-", "glft-", "glwt-", "GR1348941",
)
# `xoxe.xoxp-...` rotating tokens: the `.` ends a token run, so they start at `xoxp-`.
_SLACK_PREFIXES = tuple(f"xox{c}-" for c in "abposre")
_B64URL = r"[A-Za-z0-9_\-]"

_SHAPES: tuple[_Shape, ...] = (
    _shape("stripe_secret_key", "Stripe live secret key", ["sk_live_"],
           r"(?P<keep>sk_live_)[A-Za-z0-9]{10,247}"),
    _shape("stripe_secret_key", "Stripe test secret key", ["sk_test_"],
           r"(?P<keep>sk_test_)[A-Za-z0-9]{10,247}", live=False),
    _shape("stripe_restricted_key", "Stripe live restricted key", ["rk_live_"],
           r"(?P<keep>rk_live_)[A-Za-z0-9]{10,247}"),
    _shape("stripe_restricted_key", "Stripe test restricted key", ["rk_test_"],
           r"(?P<keep>rk_test_)[A-Za-z0-9]{10,247}", live=False),
    _shape("stripe_webhook_secret", "Stripe webhook signing secret", ["whsec_"],
           r"(?P<keep>whsec_)[A-Za-z0-9]{24,128}"),
    _shape("github_token", "GitHub token", ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
           r"(?P<keep>gh[pousr]_)[A-Za-z0-9]{30,251}",
           labels={"ghp_": "GitHub personal access token", "gho_": "GitHub OAuth access token",
                   "ghu_": "GitHub user-to-server token", "ghs_": "GitHub server-to-server token",
                   "ghr_": "GitHub refresh token"}),
    _shape("github_token", "GitHub fine-grained personal access token", ["github_pat_"],
           r"(?P<keep>github_pat_)[A-Za-z0-9_]{22,255}"),
    _shape("gitlab_token", "GitLab token", _GITLAB_PREFIXES,
           r"(?P<keep>(?:glpat|gldt|glrt|glptt|glcbt|glimt|gloas|glsoat|glffct|glagent|glft|glwt)-"
           r"|GR1348941)[A-Za-z0-9_\-]{20,255}"
           # Routable tokens end with `.` + 2-character length + 7-character CRC.
           r"(?:\.[0-9a-z]{9}(?![A-Za-z0-9]))?",
           left="token",
           labels={"glpat-": "GitLab personal access token", "gldt-": "GitLab deploy token",
                   "glrt-": "GitLab runner token", "GR1348941": "GitLab runner registration token"}),
    _shape("slack_token", "Slack token", _SLACK_PREFIXES,
           r"(?P<keep>xox[abposre]-)[A-Za-z0-9\-]{10,255}",
           left="token", random_body=True,
           labels={"xoxb-": "Slack bot token", "xoxp-": "Slack user token",
                   "xoxa-": "Slack app token", "xoxr-": "Slack refresh token",
                   "xoxs-": "Slack session token", "xoxe-": "Slack refresh token"}),
    _shape("slack_token", "Slack app-level token", ["xapp-"],
           r"(?P<keep>xapp-)[A-Za-z0-9\-]{10,255}", left="token", random_body=True),
    _shape("slack_webhook", "Slack incoming webhook URL", [],
           r"hooks\.slack\.com(?:\\?/)(?:services|workflows|triggers)(?:\\?/)"
           r"(?P<v>T[A-Z0-9]{4,20}(?:\\?/)[A-Za-z0-9]{4,32}(?:\\?/)[A-Za-z0-9]{16,64})",
           lead="hooks.slack.com", keep_prefix=False),
    _shape("aws_access_key_id", "AWS access key ID", ["AKIA", "ASIA", "ABIA", "ACCA", "A3T"],
           r"(?P<keep>AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])",
           left="alnum", labels={"ASIA": "AWS temporary access key ID"}),
    _shape("aws_session_token", "AWS session token", ["IQoJb3JpZ2luX2Vj"],
           r"IQoJb3JpZ2luX2Vj[A-Za-z0-9/+=]{40,4096}", left="alnum", keep_prefix=False),
    _shape("google_api_key", "Google API key", ["AIza"],
           r"(?P<keep>AIza)[0-9A-Za-z_\-]{35}(?![0-9A-Za-z\-]|_[0-9A-Za-z_\-])", left="token"),
    _shape("google_oauth_token", "Google OAuth access token", [],
           r"(?P<keep>ya29\.)[0-9A-Za-z_\-]{20,2048}", lead="ya29.", left="alnum"),
    _shape("google_refresh_token", "Google OAuth refresh token", [],
           r"(?P<keep>1//0)[0-9A-Za-z_\-]{30,512}", lead="1//", left="alnum", random_body=True),
    _shape("google_client_secret", "Google OAuth client secret", ["GOCSPX-"],
           r"(?P<keep>GOCSPX-)[0-9A-Za-z_\-]{20,64}", left="token"),
    _shape("anthropic_api_key", "Anthropic API key", ["sk-ant-"],
           r"(?P<keep>sk-ant-)[A-Za-z0-9_\-]{20,255}", left="token"),
    _shape("openai_api_key", "OpenAI API key", ["sk-proj-", "sk-svcacct-", "sk-admin-", "sk-None-"],
           r"(?P<keep>sk-(?:proj|svcacct|admin|None)-)[A-Za-z0-9_\-]{20,255}", left="token"),
    # Bare `sk-` also starts hyphenated words, so its body must look generated.
    _shape("openai_api_key", "OpenAI-style secret key", ["sk-"],
           r"(?P<keep>sk-)(?!ant-|proj-|svcacct-|admin-|None-)[A-Za-z0-9_\-]{20,255}",
           left="token", random_body=True),
    _shape("twilio_api_key", "Twilio API key SID", ["SK"],
           r"(?P<keep>SK)[0-9a-f]{32}(?![A-Za-z0-9])", left="alnum"),
    _shape("sendgrid_api_key", "SendGrid API key", [],
           r"(?P<keep>SG\.)[A-Za-z0-9_\-]{16,32}\.[A-Za-z0-9_\-]{30,64}", lead="SG.", left="alnum"),
    _shape("npm_token", "npm access token", ["npm_"],
           r"(?P<keep>npm_)[A-Za-z0-9]{36}(?![A-Za-z0-9])"),
    _shape("pypi_token", "PyPI upload token", ["pypi-AgE"],
           r"(?P<keep>pypi-)AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_\-]{40,1000}",
           left="token"),
    _shape("huggingface_token", "Hugging Face access token", ["hf_"],
           r"(?P<keep>hf_)[A-Za-z0-9]{30,64}(?![A-Za-z0-9])"),
    _shape("shopify_token", "Shopify access token", ["shpat_", "shpca_", "shppa_", "shpss_"],
           r"(?P<keep>shp(?:at|ca|pa|ss)_)[a-fA-F0-9]{32}",
           labels={"shpca_": "Shopify custom app access token",
                   "shppa_": "Shopify private app access token",
                   "shpss_": "Shopify shared secret"}),
    _shape("discord_webhook", "Discord webhook URL", [],
           r"discord(?:app)?\.com(?:\\?/)api(?:\\?/)(?:v\d{1,2}(?:\\?/))?webhooks(?:\\?/)\d{5,30}"
           r"(?:\\?/)(?P<v>[A-Za-z0-9_\-]{40,100})",
           lead="discord", keep_prefix=False),
    _shape("teams_webhook", "Microsoft Teams incoming webhook URL", [],
           r"(?:webhook\.office\.com(?:\\?/)webhookb2|outlook\.office(?:365)?\.com(?:\\?/)webhook)(?:\\?/)"
           r"(?P<v>[0-9a-fA-F\-]{36}@[0-9a-fA-F\-]{36}(?:\\?/)IncomingWebhook(?:\\?/)[A-Za-z0-9]{32}(?:\\?/)"
           r"[0-9a-fA-F\-]{36}(?:(?:\\?/)[A-Za-z0-9_\-]{1,80})?)",
           lead="office", keep_prefix=False),
    _shape("telegram_bot_token", "Telegram bot token", [],
           r"\d{8,10}:AA[A-Za-z0-9_\-]{33}(?![A-Za-z0-9\-]|_[A-Za-z0-9_\-])", lead=":", left="alnum",
           keep_prefix=False),
    _shape("digitalocean_token", "DigitalOcean token", ["dop_v1_", "doo_v1_", "dor_v1_"],
           r"(?P<keep>do[por]_v1_)[a-f0-9]{64}"),
    _shape("linear_api_key", "Linear API key", ["lin_api_"],
           r"(?P<keep>lin_api_)[A-Za-z0-9]{40}"),
    _shape("notion_token", "Notion integration token", ["ntn_", "secret_"],
           r"(?P<keep>ntn_|secret_)[A-Za-z0-9]{43,46}(?![A-Za-z0-9])", random_body=True),
    _shape("postman_api_key", "Postman API key", ["PMAK-"],
           r"(?P<keep>PMAK-)[a-f0-9]{24}-[a-f0-9]{34}", left="token"),
    _shape("sentry_token", "Sentry auth token", ["sntrys_", "sntryu_"],
           r"(?P<keep>sntry[su]_)[A-Za-z0-9+/=_]{40,300}"),
    _shape("mailgun_api_key", "Mailgun API key", ["key-"],
           r"(?P<keep>key-)[a-f0-9]{32}(?![A-Za-z0-9])", left="token"),
    _shape("databricks_token", "Databricks token", ["dapi"],
           r"(?P<keep>dapi)[a-h0-9]{32}(?:-[0-9])?(?![A-Za-z0-9])", left="alnum"),
    _shape("atlassian_api_token", "Atlassian API token", ["ATATT3"],
           r"(?P<keep>ATATT3)[A-Za-z0-9_\-=]{100,300}", left="token"),
    _shape("grafana_token", "Grafana token", ["glsa_", "glc_"],
           r"(?P<keep>glsa_|glc_)[A-Za-z0-9_+/=]{32,400}", random_body=True),
    _shape("heroku_api_key", "Heroku API key", ["HRKU-AA"],
           r"(?P<keep>HRKU-)AA[0-9A-Za-z_\-]{58}(?![0-9A-Za-z\-]|_[0-9A-Za-z_\-])", left="token"),
    _shape("newrelic_key", "New Relic key", ["NRAK-", "NRAA-", "NRII-", "NRIQ-"],
           r"(?P<keep>NR(?:AK|AA|II|IQ)-)[A-Za-z0-9_\-]{27,40}(?![A-Za-z0-9\-]|_[A-Za-z0-9_\-])", left="token",
           random_body=True,
           labels={"NRAK-": "New Relic user API key", "NRAA-": "New Relic admin API key",
                   "NRII-": "New Relic insert key", "NRIQ-": "New Relic query key"}),
    _shape("square_token", "Square access token", ["EAAA"],
           r"(?P<keep>EAAA)[A-Za-z0-9_\-+=]{60}(?![A-Za-z0-9\-+=]|_[A-Za-z0-9_\-+=])", left="token", random_body=True),
    _shape("square_token", "Square token", ["sq0atp-", "sq0csp-"],
           r"(?P<keep>sq0(?:atp|csp)-)[0-9A-Za-z_\-]{22,43}(?![0-9A-Za-z\-]|_[0-9A-Za-z_\-])", left="token",
           labels={"sq0atp-": "Square access token", "sq0csp-": "Square OAuth secret"}),
    _shape("facebook_access_token", "Facebook access token", ["EAAC", "EAAM", "EAAG"],
           r"(?P<keep>EAA[CMG])[A-Za-z0-9]{100,1000}(?![A-Za-z0-9])", left="token", random_body=True),
    _shape("onepassword_token", "1Password service account token", ["ops_eyJ"],
           r"(?P<keep>ops_)eyJ[A-Za-z0-9+/]{200,8192}={0,3}", left="token"),
    # The first segment is the base64 of the bot's numeric id, so it starts with one of these.
    _shape("discord_bot_token", "Discord bot token", ["MT", "Mj", "Mz", "ND", "NT", "Nj", "Nz", "OD", "OT"],
           r"[MNO][A-Za-z0-9_\-]{23,27}\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27,40}(?![A-Za-z0-9\-]|_[A-Za-z0-9_\-])",
           left="token", keep_prefix=False, random_body=True),
    _shape("vault_token", "HashiCorp Vault token", [],
           r"(?P<keep>hv[sbr]\.)[A-Za-z0-9_\-]{24,400}(?![A-Za-z0-9\-]|_[A-Za-z0-9_\-])", lead="hv", left="alnum",
           random_body=True,
           labels={"hvs.": "HashiCorp Vault service token", "hvb.": "HashiCorp Vault batch token",
                   "hvr.": "HashiCorp Vault recovery token"}),
    _shape("age_secret_key", "age secret key", ["AGE-SECRET-KEY-1"],
           r"(?P<keep>AGE-SECRET-KEY-)1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}", left="token"),
    _shape("jwt", "JSON Web Token", ["eyJ"],
           r"(?P<keep>eyJ)" + _B64URL + r"{12,8192}\." + _B64URL + r"{8,65536}(?:\." + _B64URL
           + r"{0,8192}){1,3}",
           left="token"),
)

# Dispatch: the first two characters of each start literal -> shapes that may start there.
_BY_START: dict[str, list[tuple[str, _Shape]]] = {}
for _s in _SHAPES:
    for _start in _s.starts:
        _BY_START.setdefault(_start[:2], []).append((_start, _s))
_NEAR_LEADS = tuple(
    [(s.lead, s) for s in _SHAPES if s.lead in ("ya29.", "SG.", "1//")]
    + [(lead, s) for s in _SHAPES if s.lead == "hv" for lead in ("hvs.", "hvb.", "hvr.")]
)
_FAR_LEADS = tuple(
    [(s.lead, s) for s in _SHAPES if s.lead in ("hooks.slack.com", "discord")]
    + [(lead, s) for s in _SHAPES if s.lead == "office" for lead in ("webhook.office.com", "outlook.office")]
)
_TELEGRAM = next(s for s in _SHAPES if s.kind == "telegram_bot_token")
_LEAD_WINDOW = 128

# AWS session tokens of the older format start with a 12-character prefix that a `/` may
# follow at once, so they are looked for in the whole text.
_AWS_LEGACY_SESSION_RE = re.compile(r"(?:FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9/+=]{40,4096}")
_AWS_LEGACY_PREFIXES = ("FwoGZXIvYXdz", "FQoGZXIvYXdz")
_AWS_LEGACY_LOW = tuple(prefix.lower() for prefix in _AWS_LEGACY_PREFIXES)  # found in `View.low`

# Keys without a prefix that make up a whole token run, by the run's length:
# (kind, label, regex the run must match in full).
_WholeRun = tuple[str, str, re.Pattern[str]]
_MAILCHIMP = ("mailchimp_api_key", "Mailchimp API key", re.compile(r"[0-9a-f]{32}-us[0-9]{1,2}"))
_WHOLE_RUN_SHAPES: dict[int, _WholeRun] = {
    36: _MAILCHIMP,
    37: _MAILCHIMP,
    40: ("newrelic_key", "New Relic license key", re.compile(r"[0-9a-z]{36}NRAL")),
    50: ("mailgun_api_key", "Mailgun API key", re.compile(r"[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}")),
}
_WHOLE_RUN_MIN, _WHOLE_RUN_MAX = min(_WHOLE_RUN_SHAPES), max(_WHOLE_RUN_SHAPES)

# Keys whose format holds characters that end a token run (`.`, `$`, `~`), found by a keyword in
# `View.low`: (keyword, where the match starts relative to it, kind, label, regex, live).
_KEYWORD_SHAPES: tuple[tuple[str, int, str, str, re.Pattern[str], bool], ...] = (
    ("dp.", 0, "doppler_token", "Doppler token",
     re.compile(r"(?P<keep>dp\.(?:pt|ct|sa|scim|audit|st(?:\.[a-z0-9_\-]{1,40})?)\.)[A-Za-z0-9]{40,44}"
                r"(?![A-Za-z0-9])"), True),
    ("access_token$", 0, "braintree_access_token", "Braintree access token",
     re.compile(r"(?P<keep>access_token\$(?:production|sandbox)\$)[0-9a-z]{16}\$[0-9a-f]{32}"
                r"(?![0-9a-f])"), True),
    # Azure AD client secrets: three characters, a digit, `Q~`, then 31 to 34 more.
    ("q~", -4, "azure_client_secret", "Azure AD client secret",
     re.compile(r"[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.\-]{31,34}(?![A-Za-z0-9~\-]|[_.][A-Za-z0-9_~.\-])"),
     True),
)
_KEYWORD_LEFT = WORD | {"_", "-", "~", "."}


_HEXDIGITS = frozenset("0123456789abcdefABCDEF")
_HEX_PAIRS = frozenset(a + b for a in _HEXDIGITS for b in _HEXDIGITS)
# A shape's `left` option -> characters that must not come right before its match.
_BOUNDARIES: dict[str, frozenset[str]] = {
    "alnum": WORD,
    "word": WORD | {"_"},
    "token": WORD | {"_", "-"},
}


def _escape_before(text: str, start: int) -> bool:
    """A JSON `\\n`, `\\t` or `\\r` escape ends right before `start`."""
    return start >= 2 and text[start - 1] in "ntr" and text[start - 2] == "\\"


def _left_ok(text: str, start: int, forbidden: frozenset[str]) -> bool:
    """No word character glued before `start`. Fine right before: a `%22`-style escape, a JSON
    `\\n`/`\\t`/`\\r` escape, and a lone `_` (Markdown italics: `_sk_live_..._`)."""
    if start == 0 or text[start - 1] not in forbidden:
        return True
    before = text[start - 1]
    if before == "_":
        return start == 1 or text[start - 2] not in _BOUNDARIES["word"] or _escape_before(text, start - 1)
    if _escape_before(text, start):
        return True
    return start >= 3 and text[start - 3] == "%" and text[start - 2] in _HEXDIGITS and before in _HEXDIGITS


def _shape_hit(shape: _Shape, match: re.Match[str]) -> Hit | None:
    groups = match.groupdict()
    value_start = match.start("v") if groups.get("v") is not None else match.start()
    value = groups.get("v") or match.group(0)
    keep = groups.get("keep") or ""
    if shape.kind in ("google_oauth_token", "jwt"):
        value = value.rstrip(".")  # a sentence's full stop is not part of the token
    body = value[len(keep) :]
    if is_shape_placeholder(body):
        return None
    if shape.random_body and mixed_classes(body) < 2:
        return None
    label = shape.labels.get(keep, shape.label)
    masked = keep + MASK if shape.keep_prefix and keep else MASK
    return Hit(
        Secret(shape.kind, label, value, masked, shape.live),
        value_start,
        value_start + len(value),
        PRIORITY_SHAPE,
    )


def _trim_run(text: str, start: int, end: int) -> tuple[int, int]:
    """A run without a JSON escape's letter before it (`\\nKEY`) and Markdown underscores
    around it (`_KEY_`)."""
    if _escape_before(text, start + 1):
        start += 1
    if end - start > 2 and text[start] == "_" and text[end - 1] == "_":
        start, end = start + 1, end - 1
    return start, end


def _whole_run_hit(text: str, start: int, end: int, shape: _WholeRun) -> Hit | None:
    kind, label, pattern = shape
    if pattern.fullmatch(text, start, end) is None:
        return None
    value = text[start:end]
    if is_shape_placeholder(value):
        return None
    return Hit(Secret(kind, label, value, MASK), start, end, PRIORITY_SHAPE)


def _try_shape(shape: _Shape, text: str, pos: int, seen: set[tuple[str, str, int]]) -> Hit | None:
    key = (shape.kind, shape.label, pos)
    if pos < 0 or key in seen or not _left_ok(text, pos, _BOUNDARIES[shape.left]):
        return None
    seen.add(key)
    match = shape.pattern.match(text, pos)
    return _shape_hit(shape, match) if match else None


def scan_shapes(view: View) -> Iterator[Hit]:
    """Every vendor-shaped credential in the text.

    Shapes are only tried where a token run (or a `-`/`_`/`%XX` inside one) begins with a known
    prefix, so a paste without long tokens costs a few `find` calls.
    """
    text = view.text
    seen: set[tuple[str, str, int]] = set()
    if "private key" in view.low:
        yield from scan_pem(text)
    if "private-lines:" in view.low:
        yield from scan_ppk(text)
    for prefix in _AWS_LEGACY_LOW:
        for index in occurrences(view.low, prefix) if prefix in view.low else ():
            match = _AWS_LEGACY_SESSION_RE.match(text, index)
            if match and _left_ok(text, index, WORD):
                yield Hit(Secret("aws_session_token", "AWS session token", match.group(0), MASK),
                           index, match.end(), PRIORITY_SHAPE)
    for keyword, shift, kind, label, pattern, live in _KEYWORD_SHAPES:
        if keyword not in view.low:
            continue
        for index in occurrences(view.low, keyword):
            start = index + shift
            if start < 0 or not _left_ok(text, start, _KEYWORD_LEFT):
                continue
            match = pattern.match(text, start)
            if match is None:
                continue
            keep = match.groupdict().get("keep") or ""
            value = match.group(0)
            if is_shape_placeholder(value[len(keep) :]) or mixed_classes(value[len(keep) :]) < 2:
                continue
            live_key = live and "$sandbox$" not in keep
            yield Hit(Secret(kind, label, value, keep + MASK, live_key), start, match.end(), PRIORITY_SHAPE)
    far = [(lead, shape) for lead, shape in _FAR_LEADS if lead in view.low]
    covered = 0  # end of the last shape found: runs inside it are parts of it (JWT segments)
    for run_start, run_end in view.token_runs():
        if run_end <= covered:
            continue
        positions = [run_start]
        if run_start and text[run_start - 1] == "%" and text[run_start : run_start + 2] in _HEX_PAIRS:
            positions.append(run_start + 2)  # `%22sk_live_...`: the run starts inside the escape
        elif run_start and text[run_start - 1] == "\\" and text[run_start] in "ntr":
            positions.append(run_start + 1)  # `\\nsk_live_...`: a JSON-escaped newline before it
        for sep in "-_":
            index = text.find(sep, run_start, run_end - 1)
            while index >= 0:
                positions.append(index + 1)
                index = text.find(sep, index + 1, run_end - 1)
        for pos in positions:
            candidates = _BY_START.get(text[pos : pos + 2]) if pos >= covered else None
            for start, shape in candidates or ():
                if text.startswith(start, pos):
                    hit = _try_shape(shape, text, pos, seen)
                    if hit:
                        covered = hit.end
                        yield hit
                        break
        # Prefixes that end just before the run: `ya29.`, `SG.`, `1//`, `hvs.`, Telegram's `:`.
        if run_start == 0 or text[run_start - 1] not in ".:/":
            before = ""
        else:
            before = text[max(0, run_start - 5) : run_start]
        # Keys with no prefix that are a whole run of a fixed length (Mailchimp, New Relic, Mailgun).
        if _WHOLE_RUN_MIN <= run_end - run_start <= _WHOLE_RUN_MAX + 3 and run_start >= covered:
            key_start, key_end = _trim_run(text, run_start, run_end)
            whole = _WHOLE_RUN_SHAPES.get(key_end - key_start)
            hit = _whole_run_hit(text, key_start, key_end, whole) if whole else None
            if hit:
                covered = hit.end
                yield hit
                continue
        for lead, shape in _NEAR_LEADS if before else ():
            if before.endswith(lead):
                hit = _try_shape(shape, text, run_start - len(lead), seen)
                if hit:
                    covered = max(covered, hit.end)
                    yield hit
        if before.endswith(":") and text.startswith("AA", run_start):
            for digits in (10, 9, 8):  # the bot id: 8 to 10 digits before the colon
                start = run_start - 1 - digits
                # In the Bot API URL the token follows "bot" (/bot123:AA.../sendMessage), where the
                # usual left boundary would reject it.
                if text[max(0, start - 4) : start].lower() == "/bot":
                    match = _TELEGRAM.pattern.match(text, start)
                    hit = _shape_hit(_TELEGRAM, match) if match else None
                else:
                    hit = _try_shape(_TELEGRAM, text, start, seen)
                if hit:
                    covered = max(covered, hit.end)
                    yield hit
                    break
        # Webhook URLs: the secret is the run, the host a little before it.
        for lead, shape in far:
            lead_at = text.rfind(lead, max(0, run_start - _LEAD_WINDOW), run_start)
            if lead_at >= 0:
                hit = _try_shape(shape, text, lead_at, seen)
                if hit:
                    covered = max(covered, hit.end)
                    yield hit
