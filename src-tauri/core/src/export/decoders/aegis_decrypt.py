#!/usr/bin/python3
"""Decrypts an encrypted Aegis vault and prints one Key URI per entry: an independent decoder
(Python `cryptography` and hashlib's scrypt, following Aegis's docs/vault.md, beemdevelopment/Aegis),
not this codebase. The export tests run it on this app's Aegis export and compare.

Usage:  /usr/bin/python3 aegis_decrypt.py VAULT.json < password-line
Needs:  python3-cryptography (Debian).
Prints: TYPE<TAB>ISSUER<TAB>ACCOUNT<TAB>SECRET<TAB>ALGO<TAB>DIGITS<TAB>PERIOD or COUNTER, one line
per entry, in vault order: the fields as the vault holds them.
Exit 1 with a message on stderr when no password slot opens.
"""
import base64
import hashlib
import json
import sys

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        vault = json.load(f)
    password = sys.stdin.readline().rstrip("\n").encode("utf-8")
    assert vault["version"] == 1, "vault version"
    header = vault["header"]
    master = None
    for slot in header["slots"]:
        if slot["type"] != 1:
            continue
        derived = hashlib.scrypt(
            password, salt=bytes.fromhex(slot["salt"]), n=slot["n"], r=slot["r"], p=slot["p"],
            maxmem=256 * 1024 * 1024, dklen=32,
        )
        params = slot["key_params"]
        try:
            master = AESGCM(derived).decrypt(
                bytes.fromhex(params["nonce"]),
                bytes.fromhex(slot["key"]) + bytes.fromhex(params["tag"]),
                None,
            )
            break
        except InvalidTag:
            continue
    if master is None:
        print("aegis_decrypt: no password slot opens with this password", file=sys.stderr)
        sys.exit(1)
    params = header["params"]
    content = AESGCM(master).decrypt(
        bytes.fromhex(params["nonce"]),
        base64.b64decode(vault["db"]) + bytes.fromhex(params["tag"]),
        None,
    )
    db = json.loads(content)
    for e in db["entries"]:
        info = e["info"]
        last = info["counter"] if e["type"] == "hotp" else info["period"]
        fields = [e["type"], e["issuer"], e["name"], info["secret"], info["algo"], info["digits"], last]
        print("\t".join(str(f) for f in fields))


main()
