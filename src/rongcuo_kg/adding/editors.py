"""Who may change a corpus folder: editors, each with a password kept only as a salted scrypt
hash in an editors file (JSON: name → "scrypt$n$r$p$salt$hash", base64), or, where the app logs
users in through an OpenID Connect provider (`rongcuo-kg app --oidc FILE`), the verified e-mail
address the provider vouches for (name → "oidc": no password here at all). `rongcuo-kg editor
add` writes the file; `rongcuo-kg app --editors FILE` makes the app's 新增办法 page ask for a
login, and records the editor's name with every measure added and every review decision. Without
an editors file the page is read-only: nobody changes the corpus through the app."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
from pathlib import Path

from rongcuo_kg.errors import BadInput

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_N, _R, _P = 2 ** 14, 8, 1  # scrypt cost: ~50 ms a check, 16 MiB
MIN_PASSWORD = 10


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    b64 = lambda b: base64.b64encode(b).decode("ascii")  # noqa: E731
    return f"scrypt${_N}${_R}${_P}${b64(salt)}${b64(digest)}"


def _matches(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r),
                             p=int(p), dklen=len(base64.b64decode(digest)))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, base64.b64decode(digest))


def read_editors(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadInput("no such editors file", path) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadInput(f"not an editors file ({type(exc).__name__})", path) from None
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise BadInput("not an editors file (a JSON object of name → password hash)", path)
    return data


OIDC = "oidc"  # the value of an editor who logs in through the OpenID Connect provider


def add_editor(path: Path, name: str, password: str | None) -> None:
    """Add (or give a new password to) an editor; password None: an e-mail address that logs in
    through the OpenID Connect provider. The file is rewritten whole, private to its owner."""
    name = name.strip()
    if password is None:
        if not _EMAIL.fullmatch(name) or len(name) > 254:
            raise BadInput(f"an editor who logs in through the OpenID Connect provider is named by e-mail "
                           f"address, not '{name}'")
    elif not name or len(name) > 40:
        raise BadInput("an editor's name is 1–40 characters")
    elif len(password) < MIN_PASSWORD:
        raise BadInput(f"a password needs at least {MIN_PASSWORD} characters")
    editors = read_editors(path) if path.exists() else {}
    editors[name] = OIDC if password is None else hash_password(password)
    tmp = path.with_name(f".{path.name}.new")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(editors, fh, ensure_ascii=False, indent=2)
    os.replace(tmp, path)


def is_oidc_editor(path: Path, email: str | None) -> bool:
    """Whether the provider's verified e-mail address is an editor of the file (exact, case-blind)."""
    if not email:
        return False
    wanted = email.strip().lower()
    return any(v == OIDC and k.lower() == wanted for k, v in read_editors(path).items())


def check_login(path: Path, name: str, password: str) -> bool:
    """Whether `name` is an editor of the file with this password (constant time in the hash)."""
    stored = read_editors(path).get(name.strip())
    if stored is None:
        _matches(password, hash_password("x" * MIN_PASSWORD))  # the same work either way
        return False
    return _matches(password, stored)
