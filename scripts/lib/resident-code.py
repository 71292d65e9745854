#!/usr/bin/env python3
"""Which code of a running claimscan is resident: the pages of the binary's mappings that
/proc/PID/pagemap marks present, each attributed to the module of the symbols `nm` lists on it
(Swift modules from the mangled names; C++, the Swift runtime, BoringSSL, SQLite, ICU by prefix).

  resident-code.py snapshot PID OUT     at a moment of interest: write the present pages
  resident-code.py report BINARY OUT    afterwards: kB per mapping kind and module
"""
import bisect, collections, re, subprocess, sys

def snapshot(pid, out):
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/pagemap", "rb") as pm, open(out, "w") as f:
        for line in maps:
            parts = line.split()
            if len(parts) < 6 or "claimscan" not in parts[5]:
                continue
            start, end = (int(x, 16) for x in parts[0].split("-"))
            offset = int(parts[2], 16)
            pm.seek(start // 4096 * 8)
            data = pm.read((end - start) // 4096 * 8)
            for i in range((end - start) // 4096):
                if int.from_bytes(data[i * 8:i * 8 + 8], "little") >> 63:
                    f.write(f"{parts[1]} {offset + i * 4096}\n")

def module(name):
    m = re.match(r"\$s(\d+)([A-Za-z_]\w*)", name)
    if m and not name.startswith(("$ss", "$sS")):
        return "swift " + m.group(2)[:int(m.group(1))]
    if name.startswith(("$ss", "$sS")): return "swift Swift (stdlib)"
    if name.startswith(("swift_", "_swift")): return "swift runtime"
    if name.startswith("_Z"): return "C++ (ICU)" if "icu" in name.lower() else "C++"
    if name.startswith("CCryptoBoringSSL"): return "BoringSSL"
    if name.startswith("sqlite3"): return "SQLite"
    return "other"

def report(binary, pages):
    segments = []   # (file offset, virtual address, size) of the LOAD segments
    for line in subprocess.run(["readelf", "-lW", binary], capture_output=True, text=True).stdout.splitlines():
        f = line.split()
        if f and f[0] == "LOAD":
            segments.append((int(f[1], 16), int(f[2], 16), int(f[4], 16)))
    symbols = []
    for line in subprocess.run(["nm", "-n", "--defined-only", binary], capture_output=True, text=True).stdout.splitlines():
        f = line.split(maxsplit=2)
        if len(f) == 3:
            symbols.append((int(f[0], 16), f[2]))
    symbols.sort()
    addresses = [a for a, _ in symbols]
    tally = collections.Counter()
    for line in open(pages):
        perm, offset = line.split()
        offset = int(offset)
        va = next((offset - fo + v for fo, v, size in segments if fo - fo % 4096 <= offset < fo + size), None)
        owners = collections.Counter()
        if va is not None:
            k = max(bisect.bisect_right(addresses, va) - 1, 0)
            while k < len(symbols) and symbols[k][0] < va + 4096:
                owners[module(symbols[k][1])] += 1
                k += 1
        tally[(perm, owners.most_common(1)[0][0] if owners else "none")] += 1
    for (perm, name), pages in tally.most_common(25):
        print(f"  {perm}  {name:40s} {pages * 4:6d} kB")

if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "snapshot":
        snapshot(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "report":
        report(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
