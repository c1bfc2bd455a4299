#!/usr/bin/env python3
"""Independent reader of a Key URI list (`spse-auth export --format otpauth`), for the tests.

Follows Google's Key URI format description (github.com/google/google-authenticator/wiki/
Key-Uri-Format) with Python's own URL parsing and Base32 decoding, not this app's code. Usage:
`otpauth_read.py FILE` (standard input is ignored). Prints one line per URI, tab-separated, as
aegis_decrypt.py does: type, issuer, account, secret (Base32, upper case, unpadded), algorithm,
digits, then the period (totp, steam) or the counter (hotp).
"""
import base64
import sys
from urllib.parse import parse_qs, unquote, urlsplit


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        lines = [line.strip() for line in f if line.strip()]
    for line in lines:
        url = urlsplit(line)
        assert url.scheme == "otpauth", f"not a Key URI: {url.scheme}"
        kind = url.netloc
        label = unquote(url.path.lstrip("/"))
        query = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        prefix, _, account = label.rpartition(":")
        issuer = query.get("issuer", prefix)
        assert prefix in ("", issuer), f"label issuer {prefix!r} != issuer {issuer!r}"
        raw = query["secret"].upper()
        secret = base64.b32decode(raw + "=" * (-len(raw) % 8))
        canonical = base64.b32encode(secret).decode().rstrip("=")
        last = query.get("counter") if kind == "hotp" else query.get("period", "30")
        fields = [
            kind, issuer, account.strip(), canonical,
            query.get("algorithm", "SHA1").upper(), query.get("digits", "6"), last,
        ]
        print("\t".join(fields))


main()
