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
