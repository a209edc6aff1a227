"""Time the curl parser on typical pastes and on hostile ones.

Run: python bench/curl_parse.py   (prints microseconds per parse; nothing is asserted here,
the tests hold the hard limits)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from knowledge.recognize.curl import find_curl_commands, parse_curl

CHROME_BASH = (
    "curl 'https://api.example.com/v1/graphql?op=Search' \\\n"
    + "".join(
        f"  -H '{name}: {value}' \\\n"
        for name, value in [
            ("accept", "application/json, text/plain, */*"),
            ("accept-language", "en-GB,en-US;q=0.9,en;q=0.8"),
            ("authorization", "Bearer " + "eyJhbGciOiJSUzI1NiJ9." + "x" * 300 + ".sig"),
            ("content-type", "application/json"),
            ("cookie", "_ga=GA1.1.123; session=" + "s" * 120 + "; theme=dark"),
            ("origin", "https://app.example.com"),
            ("referer", "https://app.example.com/search"),
            ("sec-ch-ua", '"Chromium";v="120", "Not(A:Brand";v="24"'),
            ("sec-fetch-mode", "cors"),
            ("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120"),
        ]
    )
    + '  --data-raw $\'{"query":"query Search($q: String!) { search(q: $q) { id name } }",'
    + '"variables":{"q":"it\\\'s"}}\' \\\n  --compressed'
)
CHROME_CMD = CHROME_BASH.replace(" \\\n", " ^\n").replace("'", '^"').replace("$^", "^")
SHORT = "curl -sS -X POST https://api.example.com/v1/items -H 'Content-Type: application/json' -d '{\"a\":1}'"


def bench(label: str, func, arg: str, rounds: int) -> None:
    func(arg)
    began = time.perf_counter()
    for _ in range(rounds):
        func(arg)
    per = (time.perf_counter() - began) / rounds * 1e6
    print(f"{label:<40} {len(arg):>8} chars {per:>10.1f} us")


def main() -> None:
    bench("parse_curl short", parse_curl, SHORT, 5000)
    bench("parse_curl chrome bash", parse_curl, CHROME_BASH, 2000)
    bench("parse_curl chrome cmd", parse_curl, CHROME_CMD, 2000)
    bench(
        "find_curl_commands chrome bash + prose",
        find_curl_commands,
        "Hi, this fails:\n" + CHROME_BASH + "\nwith 401, any idea?",
        2000,
    )
    for label, text in [
        ("40 KB of '", "curl " + "'" * 40_000),
        ("40 KB of \\", "curl " + "\\" * 40_000),
        ("40 KB of $'\\x", "curl $'" + "\\x" * 20_000),
        ("5000 x 'curl ^' lines", "curl ^\n" * 5_000),
        ("1 MB binary", "curl https://x " + bytes(range(256)).decode("latin-1") * 4096),
    ]:
        bench(label, find_curl_commands, text, 5)


if __name__ == "__main__":
    main()
