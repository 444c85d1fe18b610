#!/usr/bin/env python3
"""press15b-cover.py PDF PROFILE: a wrap cover read back through `qpdf --json`
(streams decoded), asserted against the rules of PDF/X-1a:2001 (ISO 15930-1)
or PDF/X-4 (ISO 15930-7) that a machine can check, with the print profile's
figures: version, identification in Info and XMP, /ID, one GTS_PDFX output
intent with an embedded CMYK output profile, no DeviceRGB (operators and
images) in X-1a nor device RGB in X-4, no transparency, fonts embedded, no
annotations, boxes nested with the bleed on every edge, crop marks' room in
offset's media box, and total ink (every k/K operator) within the profile's
limit. One "ok"/"FAIL" line per rule, as tests/lib.sh's suites print."""
import base64, json, re, subprocess, sys
from pdfjson import PdfJson

path, profile = sys.argv[1], sys.argv[2]
IN, MM = 72.0, 72 / 25.4
# standard, bleed, crop marks, ink limit, OutputConditionIdentifier
PROFILES = {
    "ingramspark": ("x1a", 0.125 * IN, False, 240),
    "kdp": ("x1a", 0.125 * IN, False, 0),
    "lulu": ("x4", 0.125 * IN, False, 0),
    "offset": ("x4", 3 * MM, True, 300),
}
std, bleed, marks, ink_limit = PROFILES[profile]
condition = sys.argv[3] if len(sys.argv) > 3 else None
tag = f"cover {profile}:"

def check(cond, name, detail=""):
    print(f"ok   {tag} {name}" if cond else f"FAIL {tag} {name}")
    if not cond and detail != "":
        print("     " + str(detail)[:400])

pdf = PdfJson(path)
raw, j, objs, trailer = pdf.raw, pdf.json, pdf.objs, pdf.trailer
deref, stream, text = pdf.deref, pdf.stream, pdf.text
root, info, pages = pdf.root, pdf.info, pdf.pages
check(len(pages) == 1, "one page", len(pages))
page = pages[0]
want_ver = "%PDF-1.3" if std == "x1a" else "%PDF-1.6"
check(raw[:8] == want_ver.encode(), f"header {want_ver}", raw[:8])

# --- boxes ------------------------------------------------------------------------
def box(k):
    b = deref(page.get(k))
    return [float(deref(x)) for x in b] if b else None
mb, tb, bb = box("/MediaBox"), box("/TrimBox"), box("/BleedBox")
check(tb is not None and bb is not None, "TrimBox and BleedBox")
if tb and bb:
    edges = [tb[0] - bb[0], tb[1] - bb[1], bb[2] - tb[2], bb[3] - tb[3]]
    check(all(abs(e - bleed) < .01 for e in edges), f"bleed {bleed:.2f} pt on every edge", edges)
    room = 18 if marks else 0
    media = [bb[0] - mb[0], bb[1] - mb[1], mb[2] - bb[2], mb[3] - bb[3]]
    check(all(abs(m - room) < .01 for m in media),
          f"media box {room} pt beyond the bleed box" + (" (crop marks)" if marks else ""), media)

# --- colour and ink ----------------------------------------------------------------
TOKEN = re.compile(rb"<[0-9A-Fa-f\s]*>|\([^)]*\)|/[^\s/\[\]()<>]+|[-+]?\d*\.?\d+|[A-Za-z'\"*]+|\S")
ops, max_ink, stack, mark_inks = set(), 0.0, [], 0
for ref in (page["/Contents"] if isinstance(page["/Contents"], list) else [page["/Contents"]]):
    _, data = stream(ref)
    for t in TOKEN.findall(data):
        if re.fullmatch(rb"[-+]?\d*\.?\d+", t):
            stack.append(float(t))
            continue
        if re.fullmatch(rb"[A-Za-z'\"*]+", t):
            op = t.decode()
            ops.add(op)
            if op in ("k", "K") and len(stack) >= 4:
                ink = sum(stack[-4:]) * 100
                if ink >= 399.5 and op == "K":
                    mark_inks += 1  # registration colour: the crop marks, outside the bleed
                else:
                    max_ink = max(max_ink, ink)
        stack = [] if not re.fullmatch(rb"[-+]?\d*\.?\d+", t) else stack
spaces, smask = set(), False
for k, o in objs.items():
    d = o.get("stream", {}).get("dict") if "stream" in o else o.get("value")
    if isinstance(d, dict) and d.get("/Subtype") == "/Image":
        cs = deref(d.get("/ColorSpace"))
        spaces.add(cs if isinstance(cs, str) else str(deref(cs[0])))
        smask |= "/SMask" in d or "/Mask" in d
    if isinstance(d, dict) and (d.get("/Type") == "/ExtGState" or "/Group" in d):
        smask |= "/Group" in d or d.get("/CA", 1) != 1 or d.get("/ca", 1) != 1 or "/SMask" in d
check(not ops & {"rg", "RG"} and not any("RGB" in s for s in spaces),
      "no DeviceRGB (operators or images)", (ops, spaces))
check(ops & {"k"} != set(), "the accent in CMYK (k)", ops)
if std == "x1a":
    check(not any("ICC" in s or "Lab" in s for s in spaces), "X-1a: no ICCBased or Lab images", spaces)
check(not smask, "no transparency (SMask, CA, Group)")
if ink_limit:
    check(max_ink <= ink_limit + 0.5, f"total ink {max_ink:.0f}% <= {ink_limit}%", max_ink)
check((mark_inks > 0) == marks, "crop marks in registration colour" if marks else "no crop marks", mark_inks)

# --- fonts ---------------------------------------------------------------------------
fonts = [o["value"] for o in objs.values() if isinstance(o.get("value"), dict) and o["value"].get("/Type") == "/FontDescriptor"]
check(fonts and all(any(f in d for f in ("/FontFile", "/FontFile2", "/FontFile3")) for d in fonts),
      f"fonts: all {len(fonts)} embedded")

# --- identification ------------------------------------------------------------------
pdf.check_pdfx_identification(std, check)
ois = [deref(o) for o in deref(root.get("/OutputIntents", []))]
px = [o for o in ois if o.get("/S") == "/GTS_PDFX"]
check(len(px) == 1, "one /GTS_PDFX output intent", len(px))
if px:
    oi = px[0]
    if condition:
        check(text(oi.get("/OutputConditionIdentifier")) == condition, f"OutputConditionIdentifier {condition}",
              text(oi.get("/OutputConditionIdentifier")))
    check(text(oi.get("/RegistryName")) == "http://www.color.org", "RegistryName")
    d, icc = stream(oi.get("/DestOutputProfile"))
    check(len(icc) > 128 and icc[36:40] == b"acsp" and icc[12:16] == b"prtr" and icc[16:20] == b"CMYK"
          and d and d.get("/N") == 4, "DestOutputProfile: an embedded prtr CMYK profile, N 4")
annots = len(deref(page.get("/Annots", [])) or [])
check(annots == 0, "no annotations", annots)
