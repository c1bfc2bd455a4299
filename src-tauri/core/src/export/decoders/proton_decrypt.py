#!/usr/bin/python3
"""Decrypts a password-protected Proton Authenticator export and prints each entry's Key URI:
an independent decoder (Python `argon2-cffi` and `cryptography`, following Proton's
proton-pass-common, crate proton-authenticator, `import_entries_with_password`), not this
codebase. The export tests run it on this app's Proton export and compare.

Usage:  /usr/bin/python3 proton_decrypt.py EXPORT.json < password-line
Needs:  python3-argon2 and python3-cryptography (Debian).
Prints: ENTRY_TYPE NAME<TAB>URI, one line per entry, in export order (the URI as Proton stores it).
Exit 1 with a message on stderr when the password does not open it.
"""
import base64
import json
import sys

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

AAD = b"proton.authenticator.export.v1"


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        export = json.load(f)
    password = sys.stdin.readline().rstrip("\n").encode("utf-8")
    assert export["version"] == 1, "export version"
    salt = base64.b64decode(export["salt"])
    assert len(salt) == 16, "salt length"
    key = hash_secret_raw(
        password, salt, time_cost=2, memory_cost=19 * 1024, parallelism=1, hash_len=32,
        type=Type.ID, version=19,
    )
    content = base64.b64decode(export["content"])
    try:
        plain = AESGCM(key).decrypt(content[:12], content[12:], AAD)
    except InvalidTag:
        print("proton_decrypt: wrong password or altered export", file=sys.stderr)
        sys.exit(1)
    inner = json.loads(plain)
    assert inner["version"] == 1, "inner version"
    for e in inner["entries"]:
        assert e["id"], "entry id"
        c = e["content"]
        print(f"{c['entry_type']} {c['name']}\t{c['uri']}")


main()
