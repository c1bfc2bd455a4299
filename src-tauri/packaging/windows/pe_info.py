#!/usr/bin/env python3
"""What a Windows .exe says about itself, read with the standard library only (no pefile).

    pe_info.py FILE.exe [--icon FILE.ico]

Prints one `key=value` line each: `machine` (x64, x86), `subsystem` (2 = GUI, 3 = console),
`icon_groups` (number of RT_GROUP_ICON resources), `manifest` (0/1), every string of the version
resource (`ProductName=…`, `FileVersion=…`, …) and the fixed version numbers
(`fixed_file_version=1.2.3.0`, `fixed_product_version=…`). With `--icon`, also `icon_match=1` when
every image of that .ico file is embedded byte for byte as an RT_ICON resource, else 0.
Used by make.sh (the binaries must carry the workspace version) and tests/packaging/windows.sh.
"""
import struct
import sys

RT_ICON, RT_GROUP_ICON, RT_VERSION, RT_MANIFEST = 3, 14, 16, 24


class PE:
    def __init__(self, data):
        self.data = data
        if data[:2] != b"MZ":
            raise ValueError("not a PE file (no MZ header)")
        pe = struct.unpack_from("<I", data, 0x3C)[0]
        if data[pe:pe + 4] != b"PE\0\0":
            raise ValueError("not a PE file (no PE signature)")
        machine, nsect, _, _, _, opt_size, _ = struct.unpack_from("<HHIIIHH", data, pe + 4)
        self.machine = {0x8664: "x64", 0x14C: "x86", 0xAA64: "arm64"}.get(machine, hex(machine))
        opt = pe + 24
        magic = struct.unpack_from("<H", data, opt)[0]
        self.subsystem = struct.unpack_from("<H", data, opt + 68)[0]
        dirs = opt + (112 if magic == 0x20B else 96)
        self.rsrc_rva, self.rsrc_size = struct.unpack_from("<II", data, dirs + 2 * 8)
        self.sections = []
        for i in range(nsect):
            s = opt + opt_size + 40 * i
            vsize, vaddr, rawsize, rawptr = struct.unpack_from("<IIII", data, s + 8)
            self.sections.append((vaddr, max(vsize, rawsize), rawptr))

    def offset(self, rva):
        for vaddr, size, rawptr in self.sections:
            if vaddr <= rva < vaddr + size:
                return rva - vaddr + rawptr
        raise ValueError(f"RVA {rva:#x} outside every section")

    def resources(self):
        """{type: [(name_or_id, language, bytes)]}, from the three-level resource tree."""
        out = {}
        if not self.rsrc_rva:
            return out
        base = self.offset(self.rsrc_rva)

        def entries(off):
            named, ids = struct.unpack_from("<HH", self.data, base + off + 12)
            for i in range(named + ids):
                name, target = struct.unpack_from("<II", self.data, base + off + 16 + 8 * i)
                yield name & 0x7FFFFFFF if not name & 0x80000000 else ("name", name), target

        for rtype, t in entries(0):
            for name, n in entries(t & 0x7FFFFFFF):
                for lang, leaf in entries(n & 0x7FFFFFFF):
                    rva, size = struct.unpack_from("<II", self.data, base + leaf)
                    blob = self.data[self.offset(rva):self.offset(rva) + size]
                    out.setdefault(rtype, []).append((name, lang, blob))
        return out


def version_strings(blob):
    """Strings and fixed versions of a VS_VERSIONINFO resource."""
    result = {}

    def node(off):
        length, value_len, vtype = struct.unpack_from("<HHH", blob, off)
        key_start = off + 6
        end = key_start
        while blob[end:end + 2] != b"\0\0":
            end += 2
        key = blob[key_start:end].decode("utf-16-le")
        value_off = (end + 2 + 3) & ~3
        return length, value_len, vtype, key, value_off

    def walk(off, limit, depth):
        while off < limit:
            length, value_len, vtype, key, value_off = node(off)
            if length == 0:
                break
            if key == "VS_VERSION_INFO" and value_len >= 52:
                sig, _, fms, fls, pms, pls = struct.unpack_from("<IIIIII", blob, value_off)
                if sig == 0xFEEF04BD:
                    result["fixed_file_version"] = f"{fms >> 16}.{fms & 0xFFFF}.{fls >> 16}.{fls & 0xFFFF}"
                    result["fixed_product_version"] = f"{pms >> 16}.{pms & 0xFFFF}.{pls >> 16}.{pls & 0xFFFF}"
                children = (value_off + value_len + 3) & ~3
                walk(children, off + length, depth + 1)
            elif key in ("StringFileInfo", "VarFileInfo") or (depth == 2 and value_len == 0):
                walk(value_off, off + length, depth + 1)
            elif vtype == 1 and depth >= 3:
                # Up to the terminating NUL (tools disagree on whether wValueLength counts bytes).
                raw = blob[value_off:off + length]
                text = raw.decode("utf-16-le", "replace").split("\0", 1)[0]
                result[key] = text
            off = (off + length + 3) & ~3

    walk(0, len(blob), 0)
    return result


def ico_images(path):
    data = open(path, "rb").read()
    _, kind, count = struct.unpack_from("<HHH", data, 0)
    if kind != 1:
        raise ValueError(f"{path}: not an .ico file")
    images = []
    for i in range(count):
        size, off = struct.unpack_from("<II", data, 6 + 16 * i + 8)
        images.append(data[off:off + size])
    return images


def main(argv):
    if not argv or argv[0].startswith("-"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    pe = PE(open(argv[0], "rb").read())
    res = pe.resources()
    print(f"machine={pe.machine}")
    print(f"subsystem={pe.subsystem}")
    print(f"icon_groups={len(res.get(RT_GROUP_ICON, []))}")
    print(f"manifest={1 if res.get(RT_MANIFEST) else 0}")
    for _, _, blob in res.get(RT_VERSION, [])[:1]:
        for k, v in version_strings(blob).items():
            print(f"{k}={v}")
    if "--icon" in argv:
        wanted = ico_images(argv[argv.index("--icon") + 1])
        have = {blob for _, _, blob in res.get(RT_ICON, [])}
        print(f"icon_match={1 if wanted and all(w in have for w in wanted) else 0}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
