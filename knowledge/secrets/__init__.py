"""Secrets: find credentials once, mask them everywhere.

`find_secrets(text)` scans a paste for credentials in three layers, strongest first:

1. vendor shapes (Stripe, GitHub, Slack, AWS, JWT, PEM private keys, ...) as public secret
   scanners (gitleaks, trufflehog, GitHub secret scanning) define them;
2. structure: the Authorization header (Bearer, Basic, bare tokens), cookies, curl `-u`,
   passwords in URLs, `auth=(user, password)` in code, passwords on other command lines;
3. names: `name: value` / `name=value` pairs whose name says credential (headers, query
   strings, form and JSON bodies, env, YAML and XML files), and keywords followed by a
   high-entropy value.

A paste escaped once more than the detectors read (HTML entities, percent-encoding, a JSON
string, a token split by a line continuation) is read again with that layer undone.

`Masker` replaces each found value and its derived forms (URL-encoded, JSON-escaped, base64
`user:password`, ...) in every string the engine outputs, then any piece of a secret a quote
cut off (12+ characters, or the first or last 8), then runs the vendor shapes again as a
safety net. `warnings_for` tells the user what leaked and what to do. Placeholders (`$TOKEN`,
`<your-key>`, `sk_test_xxx`) and ids (UUIDs, request ids, publishable keys) are not secrets.

Every regex is anchored and bounded, character classes never overlap inside a repetition, and
loops are capped, so hostile pastes stay linear (see `view.py` for how detectors avoid scanning
the whole paste with a regex).

Where things are:

- `model.py`: `Secret`, the internal `Hit`, limits and priorities
- `view.py`: the lower-cased/skeleton views and keyword search every detector starts from
- layer 1: `shapes.py` (vendor token table and its scan), `pem.py` (private-key blocks),
  `pairs.py` (AWS secret keys, Twilio tokens next to their public half)
- layer 2: `authorization.py` (Authorization header, Bearer, Basic), `userinfo.py`
  (`user:password` from URLs, curl -u, decoded Basic, auth tuples in code), `curl_options.py`
  (also `.curlrc`), `commands.py` (mysql -p, docker login -p, sqlcmd -P, ...), `cookies.py`
- layer 3: `named.py` (credential-named fields, Postman/HAR pairs), `prose.py` (keyword + entropy)
- `placeholders.py` (what is not a secret), `entropy.py` (how random a value looks)
- `find.py` (`find_secrets`: run the detectors, also over unescaped copies, keep the strongest
  hit per value)
- `mask.py` (`Masker`), `warnings.py` (`warnings_for`)
"""

from __future__ import annotations

from knowledge.secrets.find import find_secrets
from knowledge.secrets.mask import Masker
from knowledge.secrets.model import Secret
from knowledge.secrets.warnings import warnings_for

__all__ = ["Masker", "Secret", "find_secrets", "warnings_for"]
