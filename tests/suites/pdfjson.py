"""pdfjson.py: a PDF read back through `qpdf --json` (streams decoded), for
the suites' Python checkers (press15-pdfx.py, press15b-cover.py).

    pdf = PdfJson(path)
    pdf.objs, pdf.trailer, pdf.root, pdf.info, pdf.pages, pdf.raw
    pdf.deref(v), pdf.stream(ref) -> (dict, bytes), pdf.text(v) -> str
"""
import base64
import json
import re
import subprocess


class PdfJson:
    def __init__(self, path):
        self.raw = open(path, "rb").read()
        self.json = json.loads(subprocess.run(
            ["qpdf", "--json", "--json-stream-data=inline", "--decode-level=generalized", path],
            check=True, capture_output=True).stdout)
        self.objs = self.json["qpdf"][1]
        self.trailer = self.objs["trailer"]["value"]
        self.root = self.deref(self.trailer["/Root"])
        self.info = self.deref(self.trailer.get("/Info", {})) or {}
        self.pages = [self.deref(p["object"]) for p in self.json["pages"]]

    def deref(self, v):
        """An indirect reference "N G R" to its value (a stream: its
        dictionary and data); anything else as it is."""
        if isinstance(v, str) and re.fullmatch(r"\d+ \d+ R", v):
            o = self.objs.get("obj:" + v, {})
            return o.get("value", o.get("stream"))
        return v

    def stream(self, v):
        """A stream's dictionary and decoded bytes; (None, b"") if v is none."""
        o = self.objs.get("obj:" + v, {}) if isinstance(v, str) else {}
        s = o.get("stream")
        return (s["dict"], base64.b64decode(s.get("data", ""))) if s else (None, b"")

    def text(self, v):
        """A PDF string (qpdf's u: or b: form) as text."""
        v = self.deref(v)
        if isinstance(v, str) and v.startswith("u:"):
            return v[2:]
        if isinstance(v, str) and v.startswith("b:"):
            return bytes.fromhex(v[2:]).decode("latin-1")
        return v

    def check_pdfx_identification(self, std, check):
        """The PDF/X identification, std "x1a" (PDF/X-1a:2001, ISO 15930-1)
        or "x4" (ISO 15930-7): GTS keys and /Trapped in the Info dictionary,
        a two-string /ID, the same in the XMP. check(cond, name, detail)
        prints one line per rule."""
        info, text = self.info, self.text
        want = "PDF/X-1:2001" if std == "x1a" else "PDF/X-4"
        v = text(info.get("/GTS_PDFXVersion"))
        check(v == want, f"Info GTS_PDFXVersion {v}")
        if std == "x1a":
            check(text(info.get("/GTS_PDFXConformance")) == "PDF/X-1a:2001",
                  "Info GTS_PDFXConformance PDF/X-1a:2001")
        check(info.get("/Trapped") == "/False", "Info /Trapped /False", info.get("/Trapped"))
        check(all(k in info for k in ("/Title", "/CreationDate", "/ModDate")),
              "Info Title, CreationDate, ModDate")
        ids = self.trailer.get("/ID")
        check(isinstance(ids, list) and len(ids) == 2 and all(len(text(x)) == 16 for x in ids),
              "trailer /ID: two 16-byte strings")
        _, xmp = self.stream(self.root.get("/Metadata"))
        x = xmp.decode("utf-8", "replace")
        if std == "x1a":
            # ISO 15930-1 is PDF 1.3: pdfxid is X-4's schema (ISO 15930-7),
            # /Lang is PDF 1.4's; the Metadata key the application notes allow.
            check("pdfxid:" not in x and
                  f"<pdfx:GTS_PDFXVersion>{want}</pdfx:GTS_PDFXVersion>" in x and
                  "<pdfx:GTS_PDFXConformance>PDF/X-1a:2001</pdfx:GTS_PDFXConformance>" in x,
                  "XMP pdfx:GTS_PDFXVersion and Conformance, no pdfxid")
            check("/Lang" not in self.root and "/MarkInfo" not in self.root,
                  "catalog: no /Lang or /MarkInfo (PDF 1.4 keys)")
        else:
            check(f"<pdfxid:GTS_PDFXVersion>{want}</pdfxid:GTS_PDFXVersion>" in x,
                  "XMP pdfxid:GTS_PDFXVersion")
        check("<pdf:Trapped>False</pdf:Trapped>" in x, "XMP pdf:Trapped False")
