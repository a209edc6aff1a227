"""The curl command parser: the request curl would send, from every way people paste it."""

from __future__ import annotations

import base64
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge.model import HttpRequest
from knowledge.recognize.curl import find_curl_commands, parse_curl


def parse(command: str) -> HttpRequest:
    request = parse_curl(command)
    assert request is not None, command
    return request


def basic(credentials: str) -> str:
    return "Basic " + base64.b64encode(credentials.encode()).decode()


# --- method ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "method", "explicit"),
    [
        ("curl https://x/a", "GET", False),
        ("curl -d a=1 https://x/a", "POST", False),
        ("curl --json '{}' https://x/a", "POST", False),
        ("curl -F f=@a.png https://x/a", "POST", False),
        ("curl -I https://x/a", "HEAD", False),
        ("curl -G -d a=1 https://x/a", "GET", False),
        ("curl -G -I -d a=1 https://x/a", "HEAD", False),
        ("curl -T file.txt https://x/a", "PUT", False),
        ("curl -X DELETE https://x/a", "DELETE", True),
        ("curl -X GET -d a=1 https://x/a", "GET", True),
        ("curl --request PATCH --data a https://x/a", "PATCH", True),
        ("curl -XPOST https://x/a", "POST", True),
    ],
)
def test_method(command: str, method: str, explicit: bool) -> None:
    request = parse(command)
    assert request.method == method
    assert request.explicit_method is explicit


def test_get_moves_data_to_the_query() -> None:
    request = parse("curl -G -d a=1 --data-urlencode 'q=x y' https://x.com/s?page=2#top")
    assert request.url == "https://x.com/s?page=2&a=1&q=x+y#top"
    assert request.body is None
    assert request.header("Content-Type") is None
    assert parse("curl -G -d a=1 https://x.com").url == "https://x.com/?a=1"


# --- body --------------------------------------------------------------------------------------


def test_data_pieces_join_like_curl() -> None:
    request = parse("curl -d a=1 --data-binary b=2 --data-raw @c --data-ascii d https://x")
    assert request.body == "a=1&b=2&@c&d"
    assert request.body_files == []
    # --json pieces are glued on without '&'; a later -d still gets one
    assert parse("curl --json '{\"a\":' --json '1}' https://x").body == '{"a":1}'
    assert parse("curl -d a --json b https://x").body == "ab"
    assert parse("curl --json a -d b https://x").body == "a&b"
    # an empty first piece gets no separator after it
    assert parse("curl -d '' -d a https://x").body == "a"
    assert parse("curl -d '' https://x").body == ""


def test_data_from_files() -> None:
    request = parse("curl -d @body.json --data-binary @- https://x")
    assert request.body == "@body.json&@-"
    assert request.body_files == ["body.json", "-"]
    request = parse("curl --json @payload.json https://x")
    assert request.body_files == ["payload.json"]


@pytest.mark.parametrize(
    ("argument", "body", "files"),
    [
        ("hello world&more", "hello+world%26more", []),
        ("=a=b c", "a%3Db+c", []),
        ("name=j\u00f6 d/e~f", "name=j%C3%B6+d%2Fe~f", []),
        ("@notes.txt", "@notes.txt", ["notes.txt"]),
        ("msg@notes.txt", "msg=@notes.txt", ["notes.txt"]),
        ("a=b@c", "a=b%40c", []),
    ],
)
def test_data_urlencode(argument: str, body: str, files: list[str]) -> None:
    request = parse(f"curl --data-urlencode '{argument}' https://x")
    assert request.body == body
    assert request.body_files == files


def test_form_parts() -> None:
    request = parse(
        "curl -F 'file=@photo.jpg;type=image/jpeg' -F name=Bob --form-string 'x=@raw' https://x"
    )
    assert request.form == [("file", "@photo.jpg;type=image/jpeg"), ("name", "Bob"), ("x", "@raw")]
    assert request.body_files == ["photo.jpg"]
    assert request.header("Content-Type") == "multipart/form-data"
    assert request.body is None


@pytest.mark.parametrize(
    ("argument", "part", "files"),
    [
        # Postman quotes every text value: curl sends it without the quotes
        ('name="John Doe"', "John Doe", []),
        ('tags="a;b"', "a;b", []),
        (r'q="say \"hi\""', 'say "hi"', []),
        # unquoted content ends at the first ';' and loses its surrounding blanks
        ("sql= SELECT 1; SELECT 2", "SELECT 1", []),
        ("a=1;type=text/plain; charset=utf-8;filename=a.txt",
         "1;type=text/plain; charset=utf-8;filename=a.txt", []),
        ('f=@"my report.pdf";filename="r.pdf"', "@my report.pdf;filename=r.pdf", ["my report.pdf"]),
        ("f=@ photo.jpg ;type=image/jpeg", "@photo.jpg;type=image/jpeg", ["photo.jpg"]),
        ("t=<notes.txt", "<notes.txt", ["notes.txt"]),
    ],
)
def test_form_values_read_like_curl(argument: str, part: str, files: list[str]) -> None:
    request = parse(f"curl -F '{argument}' https://x") if "'" not in argument else None
    request = request or parse(f'curl -F "{argument}" https://x')
    assert request.form == [(argument.split("=", 1)[0], part)]
    assert request.body_files == files


def test_form_with_a_custom_content_type_sends_it_last() -> None:
    # curl leaves -H Content-Type out of the custom headers and sends the first one after them
    request = parse(
        "curl -H 'content-type: multipart/mixed' -H 'X-A: b' -H 'Content-Type: text/x' "
        "-F a=1 https://x"
    )
    assert request.headers == [("X-A", "b"), ("Content-Type", "multipart/mixed")]


@pytest.mark.parametrize(
    ("command", "note"),
    [
        ("curl -I -d a=1 https://x", "-I and -d together"),
        ("curl -d a=1 -F b=2 https://x", "-d and -F together"),
        ("curl -d a=1 -T f.txt https://x", "-d and -T together"),
        ("curl -F a=1 -T f.txt https://x", "-F and -T together"),
        ("curl -I -T f.txt https://x", "-I and -T together"),
        ("curl -G -d a=1 -F b=2 https://x", "-G (with -d) and -F together"),
        ("curl -G -d a=1 -T f.txt https://x", "-G (with -d) and -T together"),
    ],
)
def test_one_way_of_sending_per_request(command: str, note: str) -> None:
    request = parse(command)
    assert any(n.startswith(note) and "refuses" in n for n in request.notes)
    # -G turns -d into query data, so it mixes with -I
    assert not any("refuses" in n for n in parse("curl -G -I -d a=1 https://x").notes)


def test_upload_file() -> None:
    request = parse("curl -T ./build/app.zip https://x.com/uploads/")
    assert request.method == "PUT"
    assert request.url == "https://x.com/uploads/app.zip"
    assert request.body_files == ["./build/app.zip"]
    assert parse("curl -T a.txt https://x.com/dest.txt").url == "https://x.com/dest.txt"
    # the name goes at the end of the path, before the query; -T globs its name like a URL
    assert parse("curl -T a.txt 'https://x.com/d/?o=1'").url == "https://x.com/d/a.txt?o=1"
    assert parse("curl -T a.txt https://x.com").url == "https://x.com/a.txt"
    assert parse("curl -T 'r-{a,b}.txt' https://x.com/in/").url == "https://x.com/in/r-a.txt"


# --- headers curl adds -------------------------------------------------------------------------


def test_form_encoding_content_type_unless_overridden() -> None:
    assert parse("curl -d a=1 https://x").headers == [
        ("Content-Type", "application/x-www-form-urlencoded")
    ]
    request = parse("curl -d '{}' -H 'content-type: application/json' https://x")
    assert request.headers == [("content-type", "application/json")]
    # "Name:" removes curl's own header and sends nothing
    assert parse("curl -d a -H 'Content-Type:' https://x").headers == []
    # "Name;" sends the header empty
    assert parse("curl -H 'X-Empty;' https://x").headers == [("X-Empty", "")]


def test_json_headers() -> None:
    request = parse("curl --json '{}' https://x")
    assert request.headers == [("Content-Type", "application/json"), ("Accept", "application/json")]
    request = parse("curl --json '{}' -H 'Accept: text/plain' https://x")
    assert request.headers == [("Accept", "text/plain"), ("Content-Type", "application/json")]


def test_user_auth() -> None:
    request = parse("curl -u alice:s3cret https://x")
    assert request.user == "alice:s3cret"
    assert request.headers == [("Authorization", basic("alice:s3cret"))]
    assert parse("curl --basic -u a:b https://x").header("Authorization") == basic("a:b")
    # -H Authorization wins over curl's own
    request = parse("curl -u a:b -H 'Authorization: Token t' https://x")
    assert request.headers == [("Authorization", "Token t")]
    # no password: curl would prompt
    request = parse("curl -u alice https://x")
    assert request.header("Authorization") is None
    assert any("prompt" in n for n in request.notes)
    # credentials in the URL are sent as Basic too; a user alone there has an empty password
    assert parse("curl https://bob:p%40ss@x.com/").header("Authorization") == basic("bob:p@ss")
    assert parse("curl https://bob@x.com/").header("Authorization") == basic("bob:")


@pytest.mark.parametrize("scheme", ["--digest", "--negotiate", "--anyauth"])
def test_challenge_auth_sends_no_header(scheme: str) -> None:
    request = parse(f"curl {scheme} -u a:b https://x")
    assert request.header("Authorization") is None
    assert any(scheme in n for n in request.notes)


@pytest.mark.parametrize(
    ("options", "authorization"),
    [
        # each scheme option adds one to the set curl wants; with several it sends nothing
        # first and lets the server's 401 pick (--basic does not override --digest)
        ("--digest --basic -u a:b", None),
        ("--ntlm --basic -u a:b", None),
        ("--basic --anyauth -u a:b", None),
        ("--anyauth --basic -u a:b", None),
        ("--basic --oauth2-bearer tok", None),
        ("--digest --no-digest -u a:b", basic("a:b")),
        ("--ntlm --no-ntlm --oauth2-bearer tok -u a:b", "Bearer tok"),
    ],
)
def test_auth_schemes_add_up_like_curl(options: str, authorization: str | None) -> None:
    assert parse(f"curl {options} https://x").header("Authorization") == authorization


@pytest.mark.parametrize(
    ("options", "byte_range"),
    [
        ("-r 0-1023", "bytes=0-1023"),
        ("-r 500", "bytes=500-"),  # curl adds the dash a range needs
        ("--range 0-99,200-299 -X DELETE", "bytes=0-99,200-299"),
        ("-C 100 -r 0-5", "bytes=100-"),  # a resume offset wins over -r
        ("-C - -o out.bin", None),  # from the output file's size: none yet
        ("-r 0-5 -H 'Range: bytes=9-'", "bytes=9-"),  # -H wins
    ],
)
def test_range_header(options: str, byte_range: str | None) -> None:
    # curl 8 refuses -C with -r (curl 7 let the offset win)
    refused = "-C " in options and "-r " in options
    assert any("curl 8 refuses" in n for n in parse(f"curl {options} https://x").notes) is refused
    request = parse(f"curl {options} https://x")
    assert request.header("Range") == byte_range
    # it goes right after Authorization, before User-Agent
    request = parse("curl -A a -r 1-2 -u u:p https://x")
    assert [name for name, _ in request.headers] == ["Authorization", "Range", "User-Agent"]


@pytest.mark.parametrize(
    ("argument", "header"),
    [
        ("Tue, 10 Oct 2023 07:28:00 GMT", ("If-Modified-Since", "Tue, 10 Oct 2023 07:28:00 GMT")),
        ("Sunday, 06-Nov-94 08:49:37 GMT", ("If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT")),
        ("-Oct 10 2023 10:00 EST", ("If-Unmodified-Since", "Tue, 10 Oct 2023 15:00:00 GMT")),
        ("=20040912 15:05:58 -0700", ("Last-Modified", "Sun, 12 Sep 2004 22:05:58 GMT")),
        ("31 Dec 2023 23:59:59 +0530", ("If-Modified-Since", "Sun, 31 Dec 2023 18:29:59 GMT")),
        ("2023-10-10", None),  # not a date to curl: taken as a file name
        ("local.html", None),
    ],
)
def test_time_condition_header(argument: str, header: tuple[str, str] | None) -> None:
    request = parse(f"curl -b a=b -z '{argument}' -H 'X: y' https://x")
    names = [name for name, _ in request.headers]
    if header is None:
        assert names == ["Cookie", "X"]
        assert any("-z" in n for n in request.notes)
    else:
        # after Cookie, before the -H headers; a -H of the same name wins
        assert request.headers[1] == header
        assert names == ["Cookie", header[0], "X"]
        request = parse(f"curl -z '{argument}' -H '{header[0]}: mine' https://x")
        assert request.headers == [(header[0], "mine")]


def test_ntlm_opens_with_its_negotiate_message() -> None:
    request = parse("curl --ntlm -u 'DOM\\u:p' https://x")
    assert request.header("Authorization") == "NTLM TlRMTVNTUAABAAAABoIIAAAAAAAAAAAAAAAAAAAAAAA="
    assert base64.b64decode(request.header("Authorization")[5:])[:9] == b"NTLMSSP\x00\x01"


def test_bearer_agent_referer_cookie_compressed() -> None:
    request = parse(
        "curl --oauth2-bearer tok -A 'agent/1' -e 'https://ref/;auto' -b 'a=1' -b 'b=2' "
        "--compressed -H 'X-Custom: v' https://x"
    )
    assert request.headers == [
        ("Authorization", "Bearer tok"),
        ("User-Agent", "agent/1"),
        ("Accept-Encoding", "deflate, gzip, br, zstd"),
        ("Referer", "https://ref/"),
        ("Cookie", "a=1;b=2"),
        ("X-Custom", "v"),
    ]
    request = parse("curl -b cookies.txt -e ';auto' https://x")
    assert request.headers == []
    assert any("cookies.txt" in n for n in request.notes)


def test_no_implicit_defaults_and_header_notes() -> None:
    request = parse("curl -H @headers.txt -H 'NoColonHere' https://x")
    assert request.headers == []
    assert any("headers.txt" in n for n in request.notes)
    assert any("NoColonHere" in n for n in request.notes)
    assert parse("curl -H 'X:   spaced  ' https://x").headers == [("X", "spaced  ")]


# --- option syntax -----------------------------------------------------------------------------


def test_short_option_groups_and_glued_arguments() -> None:
    request = parse("curl -sSLkXPUT -H'X: y' -dv=1 https://x")
    assert request.options["silent"] is True
    assert request.options["show-error"] is True
    assert request.follow_redirects is True
    assert request.options["insecure"] is True
    assert request.method == "PUT"
    assert request.headers[0] == ("X", "y")
    assert request.body == "v=1"
    assert "verbose" not in request.options  # the 'v' belonged to -d's argument


def test_long_option_forms() -> None:
    request = parse("curl --data=a=1 --request=PUT --sil --no-buffer -N https://x")
    assert request.body == "a=1"
    assert request.method == "PUT"
    assert request.options["silent"] is True
    assert request.options["buffer"] is False  # -N is --no-buffer
    # curl 8 wants exact names: an abbreviation is read the curl 7 way, and the refusal noted
    assert any("abbreviated" in n and "refuses" in n for n in request.notes)
    # names are case-sensitive in curl 8 (curl 7 matched them without case): read the curl 7
    # way, the refusal noted, and the argument is not taken for a URL
    request = parse("curl --Header 'X: y' https://x")
    assert (request.headers, request.url) == ([("X", "y")], "https://x")
    assert any("--Header" in n and "refuses" in n for n in request.notes)
    assert any("refuses" in n for n in parse("curl --frobnicate https://x").notes)


def test_options_record_last_argument() -> None:
    request = parse("curl --insecure -X POST -X PUT -H a:1 -H b:2 --max-time 5 https://x")
    assert request.options == {"insecure": True, "request": "PUT", "header": "b:2", "max-time": "5"}


def test_unknown_options_do_not_swallow_the_url() -> None:
    request = parse("curl --frobnicate https://x/a -Q")
    assert request.url == "https://x/a"
    assert any("frobnicate" in n for n in request.notes)
    assert any("-Q" in n for n in request.notes)


def test_options_we_ignore_still_take_their_argument() -> None:
    request = parse("curl -o out.json --connect-timeout 3 -w '%{http_code}' https://x/a")
    assert request.url == "https://x/a"
    assert request.notes == []
    # and an argument is taken even when it looks like a URL or an option
    request = parse("curl -e https://ref -d -x https://real")
    assert request.url == "https://real"
    assert request.body == "-x"


def test_double_dash_ends_options() -> None:
    request = parse("curl -v -- -weird-name")
    assert request.url == "http://-weird-name"


def test_missing_argument_and_no_prefix_misuse() -> None:
    request = parse("curl https://x -H")
    assert any("needs an argument" in n for n in request.notes)
    request = parse("curl --no-data x https://y")
    assert request.url == "http://x"
    assert any("--no-data" in n for n in request.notes)


def test_typographic_dash_becomes_a_url_as_in_curl() -> None:
    request = parse("curl \u2013X POST https://x")
    assert request.url == "http://\u2013X"
    assert any("typographic" in n for n in request.notes)


def test_expand_with_variables() -> None:
    request = parse(
        'curl --variable name=World --expand-data \'{"hi":"{{name}}","u":"{{name:url}}"}\' '
        "--expand-url 'https://x/{{missing}}'"
    )
    assert request.body == '{"hi":"World","u":"World"}'
    assert request.url == "https://x/"


# --- URLs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_url", "effective"),
    [
        ("example.com/a", "http://example.com/a"),
        ("ftp.example.com/f", "ftp://ftp.example.com/f"),
        ("localhost:8080", "http://localhost:8080"),
        ("HTTPS://X.COM", "HTTPS://X.COM"),
    ],
)
def test_url_scheme_guess(given_url: str, effective: str) -> None:
    assert parse(f"curl '{given_url}'").url == effective


@pytest.mark.parametrize(
    ("given_url", "effective", "refused"),
    [
        # globbing is left alone: the URL stays as written (a note names curl's first URL)
        ("https://x/{a,b}/[1-3]", "https://x/{a,b}/[1-3]", False),
        ("https://x/p[01-10:2]", "https://x/p[01-10:2]", False),
        ("https://x/[c-e]{one}", "https://x/[c-e]{one}", False),
        ("https://x/{a\\,b,c}", "https://x/{a\\,b,c}", False),
        ("https://x/a\\[1\\]", "https://x/a\\[1\\]", False),
        # brackets curl leaves alone: IPv6 literals and an empty pair
        ("http://[::1]:8080/x", "http://[::1]:8080/x", False),
        ("https://x/a?ids[]=1", "https://x/a?ids[]=1", False),
        # patterns curl refuses (without -g)
        ("https://x/a?filter[status]=open", "https://x/a?filter[status]=open", True),
        ("https://x/[9-1]", "https://x/[9-1]", True),
        ("https://x/{}", "https://x/{}", True),
        ("https://x/a}", "https://x/a}", True),
        ("https://x/{a", "https://x/{a", True),
    ],
)
def test_url_globs_left_as_written_and_refusals_noted(given_url: str, effective: str, refused: bool) -> None:
    request = parse(f"curl '{given_url}'")
    assert request.url == effective
    assert any("refuses" in n for n in request.notes) is refused
    # -g: the URL goes out as written (only scheme guessing and normalising apply)
    request = parse(f"curl -g '{given_url}'")
    assert request.url == given_url
    assert not any("refuses" in n for n in request.notes)


@pytest.mark.parametrize(
    ("given_url", "effective"),
    [
        ("https://x/a/../b/./c", "https://x/b/c"),
        ("https://x/a/..", "https://x/"),
        ("https://x/../../a?q=../x#/../f", "https://x/a?q=../x#/../f"),
        # percent-escapes keep the case the user typed
        ("https://x/a%2fb?q=%3d%e2%9c%93", "https://x/a%2fb?q=%3d%e2%9c%93"),
        # bytes beyond ASCII are encoded in the path; the query goes as written
        ("https://x/caf\u00e9/?q=\u00fc", "https://x/caf%C3%A9/?q=\u00fc"),
    ],
)
def test_url_normalised_as_curls_url_parser_does(given_url: str, effective: str) -> None:
    assert parse(f"curl '{given_url}'").url == effective


def test_path_as_is_keeps_dot_segments() -> None:
    assert parse("curl --path-as-is 'https://x/a/../b/%2f'").url == "https://x/a/../b/%2f"


def test_url_option_and_several_urls() -> None:
    request = parse("curl --url https://a/1 https://b/2 https://c/3")
    assert request.url == "https://a/1"
    assert any("2 more URL" in n for n in request.notes)
    assert parse("curl --proto-default https x.com").url == "https://x.com"


def test_next_starts_a_new_request() -> None:
    found = find_curl_commands(
        "curl -d a=1 https://x/one --next -H 'X: 2' https://x/two -: -I https://x/three"
    )
    assert [(r.method, r.url) for r in found] == [
        ("POST", "https://x/one"),
        ("GET", "https://x/two"),
        ("HEAD", "https://x/three"),
    ]
    assert found[1].headers == [("X", "2")]
    assert found[1].body is None


def test_url_query_and_space_in_url() -> None:
    request = parse("curl --url-query 'q=a b' --url-query '+raw=1&x' https://x.com/s?p=1")
    assert request.url == "https://x.com/s?p=1&q=a+b&raw=1&x"
    assert request.method == "GET"
    # with -G data curl appends only that data (tool_operate.c picks one of the two)
    request = parse("curl -G --url-query z=3 -d x=1 https://x.com/q")
    assert request.url == "https://x.com/q?x=1"
    assert any("--url-query" in n for n in request.notes)
    request = parse("curl 'https://x.com/a b'")
    assert any("space" in n for n in request.notes)


def test_no_break_space_stays_in_the_argument_as_sh_would() -> None:
    request = parse("curl -H 'X: y' -X\u00a0POST https://x")
    assert request.method == "\u00a0POST"
    assert request.explicit_method


# --- real copies -------------------------------------------------------------------------------

CHROME_BASH = """curl 'https://api.example.com/graphql' \\
  -H 'accept: */*' \\
  -H 'content-type: application/json' \\
  -H 'cookie: session=abc; theme=dark' \\
  -H 'user-agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36' \\
  --data-raw $'{"query":"{ me }","note":"it\\'s\\nfine"}'"""

FIREFOX_BASH = (
    "curl 'https://api.example.com/v1/items?page=2' -X POST -H 'User-Agent: Mozilla/5.0 "
    "(X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0' -H 'Accept: application/json' "
    "-H 'Accept-Encoding: gzip, deflate, br' -H 'Content-Type: application/json' "
    "-H 'Origin: https://example.com' -H 'Connection: keep-alive' --data-raw '{\"name\":\"x\"}'"
)

CHROME_CMD = (
    'curl ^"https://api.example.com/v1/items?a=1^&b=2^" ^\n'
    '  -H ^"accept: application/json^" ^\n'
    '  -H ^"authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.x^" ^\n'
    '  -H ^"content-type: application/json^" ^\n'
    '  --data-raw ^"^{^\\^"name^\\^":^\\^"R^&D 100^%^\\^"^}^" ^\n'
    "  --compressed"
)

POWERSHELL = (
    "PS C:\\Users\\me> curl.exe -X POST 'https://api.example.com/v1/items' `\n"
    "  -H 'Content-Type: application/json' `\n"
    '  -d \'{\\"name\\": \\"x\\"}\''
)


def test_chrome_bash_copy() -> None:
    (request,) = find_curl_commands(CHROME_BASH)
    assert request.method == "POST"
    assert request.url == "https://api.example.com/graphql"
    assert request.body == '{"query":"{ me }","note":"it\'s\nfine"}'
    assert request.header("cookie") == "session=abc; theme=dark"
    assert request.header("Content-Type") == "application/json"
    assert len(request.headers) == 4
    assert request.notes == []


def test_firefox_bash_copy() -> None:
    (request,) = find_curl_commands(FIREFOX_BASH)
    assert (request.method, request.explicit_method) == ("POST", True)
    assert request.url == "https://api.example.com/v1/items?page=2"
    assert request.body == '{"name":"x"}'
    assert [name for name, _ in request.headers] == [
        "User-Agent",
        "Accept",
        "Accept-Encoding",
        "Content-Type",
        "Origin",
        "Connection",
    ]


def test_chrome_cmd_copy() -> None:
    (request,) = find_curl_commands("C:\\> " + CHROME_CMD + "\nand then it said 401")
    assert request.url == "https://api.example.com/v1/items?a=1&b=2"
    assert request.body == '{"name":"R&D 100%"}'
    assert request.header("authorization") == "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x"
    assert request.header("Accept-Encoding") == "deflate, gzip, br, zstd"


def test_powershell_copy() -> None:
    (request,) = find_curl_commands(POWERSHELL)
    assert request.method == "POST"
    assert request.url == "https://api.example.com/v1/items"
    assert request.body == '{"name": "x"}'
    assert request.header("Content-Type") == "application/json"


# --- finding commands in prose -----------------------------------------------------------------


@pytest.mark.parametrize(
    "paste",
    [
        "$ curl -s https://api.x.com/v1/me",
        "> curl -s https://api.x.com/v1/me",
        "user@box:~$ curl -s https://api.x.com/v1/me | jq .",
        "I ran: curl -s https://api.x.com/v1/me and it failed",
        "I ran `curl -s https://api.x.com/v1/me` and it failed",
        "Hi team,\nthis fails:\n\ncurl -s \\\n  https://api.x.com/v1/me\n\nany idea?",
        "PS> curl.exe -s https://api.x.com/v1/me",
        "/usr/bin/curl -s https://api.x.com/v1/me",
        "sudo curl -s https://api.x.com/v1/me > /dev/null",
        "TOKEN=$(curl -s https://api.x.com/v1/me)",
    ],
)
def test_finds_command_in_prose(paste: str) -> None:
    (request,) = find_curl_commands(paste)
    assert request.url == "https://api.x.com/v1/me"
    assert request.options.get("silent") is True


def test_several_commands_in_one_paste() -> None:
    paste = (
        "First this works:\n"
        "curl https://x.com/a\n"
        "then this one fails with a 401:\n"
        "curl -H 'Authorization: Bearer t' -d '{\"q\":\"curl x\"}' https://x.com/b\n"
    )
    found = find_curl_commands(paste)
    assert [r.url for r in found] == ["https://x.com/a", "https://x.com/b"]
    assert found[1].body == '{"q":"curl x"}'


@pytest.mark.parametrize(
    "paste",
    [
        "Why does curl return 401 for me?",
        "I tried curl with the token but no luck",
        "we use libcurl and curl_easy_perform",
        "User-Agent: curl/8.4.0",
        "",
        "curl",
    ],
)
def test_prose_mentioning_curl_is_not_a_command(paste: str) -> None:
    assert find_curl_commands(paste) == []


def test_cmd_prompt_means_cmd_rules() -> None:
    # cmd has no single quotes: curl.exe gets "'X:" as the header (blank: sends nothing) and
    # "y'" as its first URL, the real URL second, exactly the classic Windows mistake
    (request,) = find_curl_commands("C:\\Users\\me>curl -H 'X: y' https://x.com/")
    assert request.url == "http://y'"
    assert request.headers == []
    assert any("https://x.com/" in n for n in request.notes)


def test_powershell_curl_alias_is_invoke_webrequest() -> None:
    (request,) = find_curl_commands(
        "PS C:\\> curl -Uri https://x.com/a -Method Post -ContentType 'application/json' "
        "-Body '{\"a\":1}'"
    )
    assert (request.method, request.url, request.body) == ("POST", "https://x.com/a", '{"a":1}')
    assert request.header("Content-Type") == "application/json"
    assert any("Invoke-WebRequest" in n for n in request.notes)


# --- hostile input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "paste",
    [
        "curl " + "'" * 40_001,
        "curl " + '"' * 40_001,
        "curl " + "\\" * 40_001,
        "curl -d " + "a" * 40_000,
        "curl $'" + "\\x" * 20_000,
        "curl ^\n" * 5_000,
        "curl `\n" * 5_000,
        "curl https://x -H 'a: b' \\\n" * 5_000,
        "curl https://x/\x00\x00 -d '\x00'" * 1_000,
        ("curl -" + "v" * 1_000 + " ") * 40,
        "curl " + "{[" * 20_000,
        "curl http://x/" + "{a," * 20_000,
        "curl http://x/" + "[1-2]" * 10_000,
        "curl http://x/" + "\\[" * 20_000 + " -T " + "{" * 20_000,
        "curl http://x/" + "a/../." * 10_000,
        "\n".join(f"line {i} curl x{i}.com" for i in range(5_000)),
    ],
    ids=lambda paste: f"{paste[:12]!r}x{len(paste)}",
)
def test_hostile_input_is_fast_and_safe(paste: str) -> None:
    began = time.perf_counter()
    find_curl_commands(paste)
    parse_curl(paste)
    assert time.perf_counter() - began < 2.0


def test_typical_browser_copy_parses_fast() -> None:
    # The target is well under 100 us on a normal machine; the bound here leaves room for a
    # loaded CI runner while still catching a quadratic or backtracking regression.
    for paste in (CHROME_BASH, CHROME_CMD, FIREFOX_BASH):
        parse_curl(paste)
        began = time.perf_counter()
        for _ in range(200):
            parse_curl(paste)
        assert (time.perf_counter() - began) / 200 < 0.001


def test_binary_megabyte() -> None:
    blob = bytes(range(256)).decode("latin-1") * 4096  # 1 MB of every byte value
    began = time.perf_counter()
    assert isinstance(find_curl_commands("curl https://x " + blob), list)
    assert time.perf_counter() - began < 2.0


def test_unbalanced_quotes_are_noted_not_fatal() -> None:
    # the header swallows the URL, as it would in the shell: no request, no exception
    assert parse_curl("curl -H 'X: y https://x") is None
    request = parse('curl https://x -d \'{"a": 1}')
    assert request.body == '{"a": 1}'
    assert any("unbalanced" in n for n in request.notes)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "curl",
                    " ",
                    "\n",
                    "\\\n",
                    "^\n",
                    "`\n",
                    "'",
                    '"',
                    "$'",
                    "\\",
                    "^",
                    "`",
                    "-d",
                    "-H",
                    "--json",
                    "-X",
                    "-G",
                    "-u",
                    "--next",
                    "-:",
                    "--",
                    "=",
                    "@",
                    "http://x",
                    "{{v}}",
                    "--expand-data",
                    "--variable",
                    "a=b",
                    "|",
                    ">",
                    "#",
                    "-F",
                    "-T",
                    "-",
                ]
            ),
            st.text(max_size=8),
        ),
        max_size=40,
    )
)
def test_parse_never_raises(pieces: list[str]) -> None:
    text = "".join(pieces)
    found = find_curl_commands(text)
    assert all(isinstance(r, HttpRequest) and r.source == "curl" for r in found)
    result = parse_curl(text)
    assert result is None or isinstance(result.url, str)


# --- standard input the paste shows --------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "body"),
    [
        # a heredoc: -d drops line breaks, \$ and \\ are bash's own escapes in an unquoted one
        ('curl -d @- https://x <<EOF\n{\n  "a": "b\\$c \\\\ d"\n}\nEOF', '{  "a": "b$c \\ d"}'),
        # quoted delimiter: nothing is undone; --data-binary keeps the newlines
        ("curl --data-binary @- https://x <<'EOF'\n$HOME \\$x\nEOF", "$HOME \\$x\n"),
        # <<- strips leading tabs, the command may go on after the operator
        ("curl --json @- https://x <<-EOF | jq .\n\t{\"a\": 1}\n\tEOF", '{"a": 1}\n'),
        # a here-string ends with a newline; a second @- finds the input used up
        ("curl -d @- -d @- https://x <<< 'once'", "once&"),
        ("curl --data-urlencode 'q@-' https://x <<< 'a b'", "q=a+b%0A"),
        # echo / printf piped in
        ("echo -e 'a\\tb' | curl --data-binary @- https://x", "a\tb\n"),
        ("cd /tmp && echo -n hi | curl -d @- https://x", "hi"),
        ("printf '%s=%d&' a 1 b 2 | curl --data-binary @- https://x", "a=1&b=2&"),
        # cat passes its heredoc through the pipe
        ("cat <<EOF | curl --data-binary @- https://x\n{\"a\": 1}\nEOF", '{"a": 1}\n'),
    ],
)
def test_stdin_shown_in_the_paste_is_the_body(command: str, body: str) -> None:
    request = parse(command)
    assert request.body == body
    assert "-" not in request.body_files


def test_stdin_upload_and_unknown_input() -> None:
    request = parse("curl -T - https://x/dir/ <<'EOF'\nline\nEOF")
    assert (request.method, request.url, request.body) == ("PUT", "https://x/dir/", "line\n")
    assert request.header("Content-Type") is None
    # input from a command we cannot run stays the @- stand-in
    request = parse("jq -n '{a: 1}' | curl -d @- https://x")
    assert (request.body, request.body_files) == ("@-", ["-"])
    # the heredoc body is not searched for more commands
    found = find_curl_commands("curl -d @- https://x/a <<EOF\ncurl https://x/b\nEOF\n")
    assert [r.url for r in found] == ["https://x/a"]


def test_http_reader_skips_a_curl_heredoc_body() -> None:
    from knowledge.recognize.http.curl_command import skip_curl

    lines = ['curl -X POST "https://x/api" \\', "-d @- << EOF", "{", '  "a": []', "}", "EOF",
             "HTTP/1.1 202 Accepted"]  # fmt: skip
    assert skip_curl(lines, 0) == 6
    assert skip_curl(["curl -d @- https://x <<< 'a'", "HTTP/1.1 200 OK"], 0) == 1
    # no delimiter line: only the command is skipped
    assert skip_curl(["curl -d @- https://x <<EOF", "{}", "HTTP/1.1 200 OK"], 0) == 1


def test_http2_on_plain_http_asks_for_an_upgrade() -> None:
    # curl 8 (lib/http.c): Upgrade and HTTP2-Settings before the cookies, Connection last
    request = parse("curl --http2 -e https://r/ -b a=b -H 'X: y' -d q=1 http://x/a")
    assert request.headers == [
        ("Referer", "https://r/"),
        ("Upgrade", "h2c"),
        ("HTTP2-Settings", "AAMAAABkAAQAAQAAAAIAAAAA"),
        ("Cookie", "a=b"),
        ("X", "y"),
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Connection", "Upgrade, HTTP2-Settings"),
    ]
    # https negotiates HTTP/2 in TLS; the last version option counts
    assert parse("curl --http2 https://x/a").headers == []
    assert parse("curl --http2 --http1.1 http://x/a").headers == []


def test_connection_header_goes_last_with_curls_own_tokens() -> None:
    # curl 8 never sends a -H Connection in place: its value leads the one Connection header
    # curl sends last, followed by TE for --tr-encoding (and Upgrade for h2c)
    request = parse("curl --tr-encoding -H 'Connection: close' -H 'X: y' -d a https://x")
    assert request.headers == [
        ("TE", "gzip"),
        ("X", "y"),
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Connection", "close, TE"),
    ]
    request = parse("curl -H 'Connection: keep-alive' -H 'Connection: close' -H 'X: y' https://x")
    assert request.headers == [("X", "y"), ("Connection", "keep-alive")]
    assert parse("curl -H 'Connection:' --tr-encoding https://x").headers == [
        ("TE", "gzip"),
        ("Connection", "TE"),
    ]
    # a -H TE: curl adds neither header and leaves it to the user
    assert parse("curl --tr-encoding -H 'TE: trailers' https://x").headers == [("TE", "trailers")]


def test_leading_blanks_are_not_part_of_agent_referer_cookie() -> None:
    request = parse("curl -b '  a=b' -A '  spaced  ' -e '  https://r/' https://x")
    assert request.headers == [
        ("User-Agent", "spaced  "),
        ("Referer", "https://r/"),
        ("Cookie", "a=b"),
    ]


def test_curl_exe_with_powershell_escapes_reads_as_powershell() -> None:
    # a backtick-escaped quote is PowerShell's alone (cmd took the backticks literally)
    request = parse('curl.exe -X POST https://x/api -d "{`"a`":`"b`"}"')
    assert request.body == '{"a":"b"}'
    request = parse('curl.exe -H "Authorization: Bearer $env:TOKEN" https://x/api')
    assert request.headers == [("Authorization", "Bearer $env:TOKEN")]


def test_form_text_part_from_stdin() -> None:
    request = parse("echo 'some text' | curl -F 'f:1=<-;type=text/plain' -F 'g=<-' https://x")
    assert request.form == [("f:1", "some text\n;type=text/plain"), ("g", "")]
    assert request.body_files == []


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        # curl's URL parser rewrites a numeric IPv4 host as a dotted quad
        ("http://127.1:3000/health", "http://127.0.0.1:3000/health"),
        ("http://0:8080/", "http://0.0.0.0:8080/"),
        ("http://0x7f.1/", "http://127.0.0.1/"),
        ("http://2130706433/", "http://127.0.0.1/"),
        ("http://017.0.0.1/", "http://15.0.0.1/"),
        # not an address: a name, left alone
        ("http://1.2.3.256/", "http://1.2.3.256/"),
        ("http://0x/", "http://0x/"),
        ("http://1.2.3.4.5/", "http://1.2.3.4.5/"),
    ],
)
def test_numeric_ipv4_hosts_are_normalised(given: str, sent: str) -> None:
    assert parse(f"curl {given}").url == sent


@pytest.mark.parametrize(
    "url", ["http://x/a\tb", "http://x:65536/", "http://x:80a/", "http://localhost:$PORT/api"]
)
def test_urls_curl_rejects_are_noted(url: str) -> None:
    request = parse(f"curl '{url}'")
    assert any("curl rejects" in n for n in request.notes)
    assert not any("rejects" in n for n in parse("curl 'http://[::1]:8080/a'").notes)


def test_options_curl_8_refuses_together_or_blank() -> None:
    for command in ("curl -C - --remove-on-error -O https://x/a", "curl --no-clobber -C - -O https://x/a"):
        assert any("curl 8 refuses" in n for n in parse(command).notes)
    assert any("refuses" in n for n in parse("curl --oauth2-bearer '' https://x").notes)
    # a resume offset with a body, and a method with blanks in it (curl 8's config2setopts.c)
    assert any("refuses" in n for n in parse("curl -C 100 -d a=1 https://x").notes)
    assert any("refuses" in n for n in parse("curl -C 100 -F a=1 https://x").notes)
    assert any("refuses" in n for n in parse("curl -X 'POST ' https://x").notes)
    assert not any("refuses" in n for n in parse("curl -C - -d a=1 -X POST https://x").notes)
