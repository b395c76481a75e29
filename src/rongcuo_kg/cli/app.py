"""`rongcuo-kg app`: start the web app (Streamlit) on the embedded store, or on the SPARQL
server named by --endpoint / RONGCUO_SPARQL_ENDPOINT."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from rongcuo_kg.cli.argtypes import port, positive_int
from rongcuo_kg.errors import BadInput
from rongcuo_kg.paths import APP_DIR, data_dir


def cmd_app(args: argparse.Namespace) -> int:
    from rongcuo_kg.graph.connect import ENDPOINT_ENV
    from rongcuo_kg.app.ui import EDITORS_ENV, OIDC_ENV, UPLOAD_MAX_MB_ENV, upload_limit_mb

    main = APP_DIR / "main.py"
    if not main.is_file():
        raise BadInput("the web app (rongcuo_kg/app/main.py) is not in this installation", main)
    check_listen(args.host, args.port)
    env = dict(os.environ)
    endpoint = args.endpoint or env.get(ENDPOINT_ENV)
    if endpoint:
        from rongcuo_kg.graph.store import check_endpoint_url

        check_endpoint_url(endpoint)
    else:  # the embedded store is built from the corpus folder: refuse a folder that is not one
        from rongcuo_kg.text.corpus import check_corpus_folder

        check_corpus_folder(data_dir(args.data))
    env["RONGCUO_DATA"] = str(data_dir(args.data).resolve())
    if args.endpoint:
        env[ENDPOINT_ENV] = args.endpoint
    if args.max_upload_mb:
        env[UPLOAD_MAX_MB_ENV] = str(args.max_upload_mb)
    env[UPLOAD_MAX_MB_ENV] = str(upload_limit_mb(env))
    if args.editors:  # without an editors file the 新增办法 page changes nothing
        from rongcuo_kg.adding.editors import read_editors

        if not read_editors(Path(args.editors)):
            raise BadInput("the editors file names no editor: add one with `rongcuo-kg editor add NAME --file FILE`",
                           args.editors)
        env[EDITORS_ENV] = str(Path(args.editors).resolve())
    secrets = []
    if args.oidc:
        if not args.editors:
            raise BadInput("--oidc needs --editors FILE: the e-mail addresses that may edit (editor add EMAIL --oidc)")
        check_oidc_file(Path(args.oidc))
        env[OIDC_ENV] = "1"
        secrets = ["--secrets.files", str(Path(args.oidc).resolve())]
    # Streamlit refuses a larger file in the browser already; the page checks again and says so.
    # serve.py loads the graph and indexes, then runs Streamlit in the same process
    cmd = [sys.executable, "-m", "rongcuo_kg.app.serve", str(main),
           "--server.address", args.host, "--server.port", str(args.port),
           "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.maxUploadSize", env[UPLOAD_MAX_MB_ENV], "--client.showErrorDetails", "none",
           "--client.toolbarMode", "viewer", *secrets]
    sys.stderr.write(f"rongcuo-kg app: http://{args.host}:{args.port}/ (Ctrl-C stops it)\n")
    try:
        return subprocess.call(cmd, env=env, cwd=APP_DIR)  # its .streamlit/config.toml
    except KeyboardInterrupt:
        return 0


OIDC_KEYS = ("client_id", "client_secret", "server_metadata_url", "redirect_uri", "cookie_secret")


def check_oidc_file(path: Path) -> None:
    """The provider's settings as Streamlit reads them ([auth] of a secrets TOML file): said now,
    one line naming what is missing, not when the first editor clicks 登录."""
    import tomllib

    try:
        auth = tomllib.loads(path.read_text(encoding="utf-8")).get("auth")
    except FileNotFoundError:
        raise BadInput("no such OpenID Connect settings file", path) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise BadInput(f"not a TOML settings file ({type(exc).__name__})", path) from None
    if not isinstance(auth, dict):
        raise BadInput("no [auth] section (Streamlit's OpenID Connect settings)", path)
    missing = [k for k in OIDC_KEYS if not isinstance(auth.get(k), str) or not auth[k]]
    if missing:
        raise BadInput(f"[auth] lacks {', '.join(missing)}", path)


def check_listen(host: str, port_number: int) -> None:
    """The address must resolve and the port be free: said now, not as Streamlit's traceback."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port_number, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise BadInput(f"--host {host}: not an address of this machine") from None
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        try:
            s.bind(address)
        except OSError as exc:
            raise BadInput(f"cannot listen on {host}:{port_number}: {exc.strerror or exc} "
                           "(another app running? choose --port)") from None


def cmd_editor(args: argparse.Namespace) -> int:
    """Add an editor (or give one a new password) to an editors file; the password is read from
    the terminal without echo, or from the first line of standard input."""
    import getpass

    from rongcuo_kg.adding.editors import add_editor

    if args.oidc:
        add_editor(Path(args.file), args.name, None)
        sys.stderr.write(f"已添加编辑（单位账号登录）editor added, logs in through the provider: {args.name} "
                         f"({args.file})\n")
        return 0
    if sys.stdin.isatty():
        password = getpass.getpass(f"口令 password for {args.name}: ")
        if getpass.getpass("再输一次 again: ") != password:
            raise BadInput("the two passwords differ; nothing was written")
    else:
        password = sys.stdin.readline().rstrip("\n")
    add_editor(Path(args.file), args.name, password)
    sys.stderr.write(f"已添加编辑 editor added: {args.name} ({args.file})\n")
    return 0


def register(sub, parents) -> None:
    p = sub.add_parser("app", parents=[parents["common"]], help="start the web app (Streamlit)",
                       description="Start the web app on the embedded store (or --endpoint).")
    p.add_argument("--endpoint", metavar="URL",
                   help="SPARQL 1.1 endpoint (default: $RONGCUO_SPARQL_ENDPOINT, else the embedded store)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=port, default=8501, help="port (default 8501)")
    p.add_argument("--editors", metavar="FILE",
                   help="editors file (rongcuo-kg editor add): editors log in to add and review measures; "
                        "without it the app is read-only")
    p.add_argument("--oidc", metavar="FILE",
                   help="log editors in through an OpenID Connect provider: a TOML file with Streamlit's [auth] "
                        "section (client_id, client_secret, server_metadata_url, redirect_uri, cookie_secret); "
                        "the editors file lists who may edit (editor add EMAIL --oidc)")
    p.add_argument("--max-upload-mb", type=positive_int, default=None,
                   help="largest register upload in MB (default $RONGCUO_UPLOAD_MAX_MB or 20)")
    p.set_defaults(func=cmd_app)

    p = sub.add_parser("editor", help="add an editor who may add and review measures in the app")
    p.add_argument("action", choices=["add"])
    p.add_argument("name", help="the editor's name (recorded with every change they make)")
    p.add_argument("--file", required=True, metavar="FILE", help="the editors file (created if missing)")
    p.add_argument("--oidc", action="store_true",
                   help="NAME is an e-mail address that logs in through the app's OpenID Connect provider "
                        "(app --oidc); no password is asked or kept")
    p.set_defaults(func=cmd_editor)
