#!/usr/bin/env python3
"""press15-pdfx.py PDF PROFILE TRIM_W TRIM_H [PARITY]

Reads PDF back through `qpdf --json` (streams decoded) and asserts the
rules of ISO 15930-1 (PDF/X-1a:2001) and ISO 15930-7 (PDF/X-4) that a
machine can check, with octavo's profile figures (tests/suites/press15.sh
passes the profile's name and the style's trim in points). Prints one
"ok   ..." or "FAIL ..." line per rule, as tests/lib.sh's suites do.
"""
import base64
import json
import re
import subprocess
import sys

from pdfjson import PdfJson

path, profile, trim_w, trim_h = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
IN = 72.0
MM = 72 / 25.4
PROFILES = {
    # standard, bleed, bleed at the spine, crop marks, grey, parity
    "ingramspark": ("x1a", 0.125 * IN, False, False, True, 2),
    "kdp": ("x1a", 0.125 * IN, False, False, True, 2),
    "lulu": ("x4", 0.125 * IN, True, False, True, 2),
    "offset": ("x4", 3 * MM, True, True, False, 16),
    "screen": ("pdf", 0, True, False, None, 1),
}
std, bleed, spine_bleed, marks, grey, parity = PROFILES[profile]
tag = f"{profile}:"

def ok(name):
    print(f"ok   {tag} {name}")

def no(name, detail=""):
    print(f"FAIL {tag} {name}")
    if detail:
        print("     " + str(detail)[:400])

def check(cond, name, detail=""):
    (ok if cond else no)(name, *(() if cond else (detail,)))

pdf = PdfJson(path)
raw, j, objs, trailer = pdf.raw, pdf.json, pdf.objs, pdf.trailer
deref, stream, text = pdf.deref, pdf.stream, pdf.text
root, info, pages = pdf.root, pdf.info, pdf.pages
npages = len(pages)
header = raw[:8].decode("latin-1")

# --- version and parity ---------------------------------------------------------
want_ver = {"x1a": "%PDF-1.3", "x4": "%PDF-1.6"}.get(std)
if want_ver:
    check(header == want_ver, f"header {header} is {want_ver}", header)
check(npages % parity == 0, f"{npages} pages, a multiple of {parity}", npages)

# --- boxes, to 0.01 pt ----------------------------------------------------------
def box(p, k):
    b = deref(p.get(k))
    return [float(deref(x)) for x in b] if b else None

bad = []
for i, p in enumerate(pages):
    mb, tb, bb = box(p, "/MediaBox"), box(p, "/TrimBox"), box(p, "/BleedBox") or box(p, "/MediaBox")
    if not tb:
        bad.append(f"page {i + 1}: no TrimBox")
        continue
    if "/ArtBox" in p and std == "x1a":
        pass  # libharu writes no ArtBox; a viewer's default is not one
    ins = lambda a, b: a[0] >= b[0] - .01 and a[1] >= b[1] - .01 and a[2] <= b[2] + .01 and a[3] <= b[3] + .01
    if not (ins(tb, bb) and ins(bb, mb)):
        bad.append(f"page {i + 1}: boxes not nested {tb} {bb} {mb}")
    if abs(tb[2] - tb[0] - trim_w) > .01 or abs(tb[3] - tb[1] - trim_h) > .01:
        bad.append(f"page {i + 1}: trim {tb[2] - tb[0]:.3f} x {tb[3] - tb[1]:.3f}")
    recto = i % 2 == 0
    spine = (tb[0] - bb[0]) if recto else (bb[2] - tb[2])
    fore = (bb[2] - tb[2]) if recto else (tb[0] - bb[0])
    want = [bleed, bleed, bleed if spine_bleed else 0, bleed]
    got = [bb[3] - tb[3], tb[1] - bb[1], spine, fore]
    if any(abs(a - b) > .01 for a, b in zip(got, want)):
        bad.append(f"page {i + 1}: bleed head/foot/spine/fore {got}, want {want}")
    mark_room = 18 if marks else 0
    mw = trim_w + bleed * (2 if spine_bleed else 1) + 2 * mark_room
    mh = trim_h + 2 * bleed + 2 * mark_room
    if abs(mb[2] - mb[0] - mw) > .01 or abs(mb[3] - mb[1] - mh) > .01:
        bad.append(f"page {i + 1}: media {mb[2] - mb[0]:.3f} x {mb[3] - mb[1]:.3f}, want {mw:.3f} x {mh:.3f}")
check(not bad, "every page: TrimBox, trim in bleed in media, bleed and media to 0.01 pt", bad[:3])

# --- colour, transparency, images ---------------------------------------------------
spaces, smask, ops, ext_alpha = set(), False, set(), False
for k, o in objs.items():
    if not k.startswith("obj:"):
        continue
    d = o.get("stream", {}).get("dict") if "stream" in o else o.get("value")
    if not isinstance(d, dict):
        continue
    if d.get("/Subtype") == "/Image":
        cs = deref(d.get("/ColorSpace"))
        spaces.add(cs if isinstance(cs, str) else deref(cs[0]) + ("/" + deref(cs[1]) if len(cs) > 1 and isinstance(deref(cs[1]), str) else ""))
        smask |= "/SMask" in d
    if d.get("/Type") == "/ExtGState" and (d.get("/CA", 1) != 1 or d.get("/ca", 1) != 1 or "/SMask" in d):
        ext_alpha = True
    if "/Group" in d:
        ext_alpha = True
def operators(data):
    """The operators of a content stream, strings skipped."""
    i, n = 0, len(data)
    while i < n:
        c = data[i:i + 1]
        if c == b"(":
            depth = 0
            while i < n:
                ch = data[i:i + 1]
                if ch == b"\\":
                    i += 2
                    continue
                depth += ch == b"("
                depth -= ch == b")"
                i += 1
                if depth == 0:
                    break
            continue
        if c == b"<" and data[i:i + 2] != b"<<":
            i = data.index(b">", i) + 1
            continue
        m = re.match(rb"[A-Za-z'\"*]+", data[i:])
        if m:
            yield m.group(0).decode()
            i += len(m.group(0))
        else:
            i += 1

for p in pages:
    c = p.get("/Contents")
    for ref in c if isinstance(c, list) else [c]:
        _, data = stream(ref)
        ops |= set(operators(data)) & {"rg", "RG", "k", "K", "g", "G", "cs", "CS", "sc", "scn"}
rgb = any("RGB" in s for s in spaces) or ops & {"rg", "RG"}
if std == "x1a":
    check(not rgb, "PDF/X-1a: no DeviceRGB (images or operators)", (spaces, ops))
    check(not any("ICC" in s or "Lab" in s for s in spaces), "PDF/X-1a: no ICCBased or Lab", spaces)
    check(not smask and not ext_alpha, "PDF/X-1a: no transparency (SMask, CA, Group)")
if grey:
    check(all(s == "/DeviceGray" for s in spaces) and not ops & {"rg", "RG", "k", "K"},
          "black-and-white interior: grey only", (spaces, ops))
elif grey is False:
    check(not rgb and all(s in ("/DeviceGray", "/DeviceCMYK") for s in spaces), "colour interior: CMYK or grey", spaces)
if std != "pdf":
    check(b"/LZWDecode" not in raw and b"/JBIG2Decode" not in raw and b"/JPXDecode" not in raw,
          "no LZW, JBIG2 or JPEG 2000 filters")
    check("/Encrypt" not in trailer, "not encrypted")
    check(b"/JavaScript" not in raw and b"/Launch" not in raw, "no JavaScript or Launch actions")

# --- fonts embedded -------------------------------------------------------------
fonts = [o.get("value") for k, o in objs.items() if isinstance(o.get("value"), dict) and o["value"].get("/Type") == "/FontDescriptor"]
check(fonts and all(any(f in d for f in ("/FontFile", "/FontFile2", "/FontFile3")) for d in fonts),
      f"fonts: all {len(fonts)} embedded")

# --- identification --------------------------------------------------------------
if std != "pdf":
    pdf.check_pdfx_identification(std, check)
    ois = [deref(o) for o in deref(root.get("/OutputIntents", []))]
    px = [o for o in ois if o.get("/S") == "/GTS_PDFX"]
    check(len(px) == 1, "one /GTS_PDFX output intent", len(px))
    if px:
        oi = px[0]
        want_oc = "FOGRA39" if profile == "offset" else "CGATS TR 001"  # press15b: offset is FOGRA39
        check(text(oi.get("/OutputConditionIdentifier")) == want_oc, f"OutputConditionIdentifier {want_oc}",
              text(oi.get("/OutputConditionIdentifier")))
        check(text(oi.get("/RegistryName")) == "http://www.color.org", "RegistryName")
        check(bool(text(oi.get("/Info"))), "output intent Info")
        d, icc = stream(oi.get("/DestOutputProfile"))
        check(len(icc) > 128 and icc[36:40] == b"acsp" and icc[12:16] == b"prtr" and icc[16:20] == b"CMYK"
              and d and d.get("/N") == 4, "DestOutputProfile: an embedded output (prtr) CMYK ICC profile, N 4")
    # annotations and outline
    annots = sum(len(deref(p.get("/Annots", [])) or []) for p in pages)
    check(annots == 0, "no annotations (links left out for print)", annots)
    check("/Outlines" not in root or not deref(root["/Outlines"]).get("/First"), "no outline")
else:
    check("/OutputIntents" not in root and "/GTS_PDFXVersion" not in info, "screen: no PDF/X marks")
