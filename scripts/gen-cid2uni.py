#!/usr/bin/env python3
"""Writes a CID→Unicode table for one Adobe character collection by inverting
Adobe's Uni*-UTF32-H CMap (BSD-3-Clause). Output: one line per CID, the hex
code point or empty. Called by scripts/gen-cmaps."""
import re
import sys

src, out = sys.argv[1], sys.argv[2]
text = open(src, encoding="latin-1").read()
best = {}


def rank(u):
    # Prefer ordinary code points over compatibility ideographs, radicals
    # and private use, then the smaller one.
    bad = 0xF900 <= u <= 0xFAFF or 0x2F800 <= u <= 0x2FA1F or 0xE000 <= u <= 0xF8FF \
        or 0x2E80 <= u <= 0x2FDF or 0xFE30 <= u <= 0xFE4F
    return (bad, u)


def put(u, cid):
    if cid not in best or rank(u) < rank(best[cid]):
        best[cid] = u


for block in re.findall(r"begincidrange(.*?)endcidrange", text, re.S):
    for lo, hi, cid in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\d+)", block):
        lo, hi, cid = int(lo, 16), int(hi, 16), int(cid)
        for k in range(hi - lo + 1):
            put(lo + k, cid + k)
for block in re.findall(r"begincidchar(.*?)endcidchar", text, re.S):
    for code, cid in re.findall(r"<([0-9a-fA-F]+)>\s*(\d+)", block):
        put(int(code, 16), int(cid))
n = max(best) + 1 if best else 0
with open(out, "w") as f:
    f.write("# CID to Unicode, inverted from %s (Adobe, BSD-3-Clause)\n" % src.split("/")[-1])
    for cid in range(n):
        f.write("%x\n" % best[cid] if cid in best else "\n")
