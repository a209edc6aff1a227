"""The `apierror` command line (see INTERFACE.md).

Slack, SQLAlchemy and the engine are imported inside each command, so `apierror diagnose`
pays only for the engine and stays fast as a one-shot.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
MAX_STDIN_BYTES = 4 * 1024 * 1024


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one line on stderr, never a usage dump or a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"apierror: {message} (try `apierror --help`)\n")
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="apierror", description="Diagnose HTTP API errors.")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    diagnose = commands.add_parser("diagnose", help="diagnose a status, curl command or response")
    diagnose.add_argument("text", nargs="*", help="the text to diagnose; standard input when absent or -")
    diagnose.add_argument("--json", action="store_true", help="print one JSON object")

    serve = commands.add_parser("serve", help="run the Slack app")
    serve.add_argument("--port", type=int, default=None, help="HTTP port (default $PORT or 3000)")
    serve.add_argument("--host", default="0.0.0.0", help="address to listen on")

    digest = commands.add_parser("digest", help="post today's digests now")
    digest.add_argument("--team", default=None, help="only this team id")
    digest.add_argument("--dry-run", action="store_true", help="print instead of posting")

    db = commands.add_parser("db", help="database schema")
    db_commands = db.add_subparsers(dest="db_command", parser_class=_Parser)
    db_commands.add_parser("upgrade", help="bring the schema up to date")

    manifest = commands.add_parser("manifest", help="print the Slack app manifest (YAML)")
    manifest.add_argument("--url", default=None,
                          help="public base URL of `apierror serve` (the request URL is URL/slack/events)")
    manifest.add_argument("--socket-mode", action="store_true", help="for Socket Mode (no request URL)")
    return parser


def _read_input(words: list[str]) -> str:
    if words and words != ["-"]:
        return " ".join(words)
    if sys.stdin is None or sys.stdin.closed:
        return ""
    data = sys.stdin.buffer.read(MAX_STDIN_BYTES + 1)
    # Undecodable bytes are kept as replacement characters: binary gets a polite answer too.
    return data.decode("utf-8", errors="replace")


def cmd_diagnose(args: argparse.Namespace) -> int:
    from knowledge import diagnose

    text = _read_input(args.text)
    if not text.strip():
        sys.stderr.write("apierror: nothing to diagnose: give a status, a curl command or a response\n")
        return EXIT_USAGE
    result = diagnose(text)
    if args.json:
        import json

        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        from bot.terminal import render_terminal

        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        sys.stdout.write(render_terminal(result, colour=colour))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from bot.serve import run

    port = args.port
    if port is None:
        raw = os.environ.get("PORT", "").strip() or "3000"
        if not raw.isdigit() or not 0 <= int(raw) <= 65535:
            sys.stderr.write(f"apierror: PORT must be a port number, not {raw[:40]!r}\n")
            return EXIT_USAGE
        port = int(raw)
    if not 0 <= port <= 65535:
        sys.stderr.write(f"apierror: --port must be from 0 to 65535, not {port}\n")
        return EXIT_USAGE
    return run(host=args.host, port=port)


def cmd_digest(args: argparse.Namespace) -> int:
    from bot.digest import main as digest_main

    return digest_main(team=args.team, dry_run=args.dry_run)


def cmd_db(args: argparse.Namespace) -> int:
    if args.db_command != "upgrade":
        sys.stderr.write("apierror: usage: apierror db upgrade\n")
        return EXIT_USAGE
    from bot.config import database_url
    from bot.store.migrate import upgrade

    upgrade(database_url())
    print("database schema is up to date")
    return EXIT_OK


def cmd_manifest(args: argparse.Namespace) -> int:
    from bot.manifest import manifest_yaml

    options: dict[str, object] = {"socket_mode": args.socket_mode}
    if args.url:
        if not args.url.startswith(("https://", "http://")):
            sys.stderr.write("apierror: --url must be an http(s) URL, e.g. https://apierror.example.com\n")
            return EXIT_USAGE
        options["public_url"] = args.url
    sys.stdout.write(manifest_yaml(**options))  # type: ignore[arg-type]
    return EXIT_OK


COMMANDS = {
    "diagnose": cmd_diagnose,
    "serve": cmd_serve,
    "digest": cmd_digest,
    "db": cmd_db,
    "manifest": cmd_manifest,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help exits 0, errors exit 2
        return int(exc.code or 0)
    if args.command is None:
        # One line, like every other usage error (`apierror --help` prints the full help).
        sys.stderr.write(f"apierror: give a command: {', '.join(COMMANDS)} (try `apierror --help`)\n")
        return EXIT_USAGE
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return EXIT_FAILURE
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # one line, never a traceback
        sys.stderr.write(f"apierror: {args.command} failed: {one_line(exc)}\n")
        return EXIT_FAILURE


def one_line(exc: BaseException) -> str:
    """`Type: first line of the message`: database drivers put hints and URLs on later lines."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return f"{type(exc).__name__}: {lines[0][:300]}" if lines else type(exc).__name__
