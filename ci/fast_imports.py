"""Write a .pth file into the environment that keeps jsonschema from importing
rfc3987_syntax, which builds an Earley parser for RFC 3987 at import time.

Why: nbformat imports jsonschema, and jsonschema imports rfc3987_syntax (when it is
installed, as jupyter-events' `jsonschema[format-nongpl]` makes it) to check the "iri"
formats. Measured 2026-12-02 on the 2-core CI machine: `import nbformat` took 1.19 s
with it and 0.20 s without. Every nbgrader command, grading worker, trusted kernel and
book build imports nbformat; the course never validates an "iri" format. jsonschema
skips that check when the import fails, which is all this changes.
"""

import site
from pathlib import Path

LINE = 'import sys; sys.modules.setdefault("rfc3987_syntax", None)\n'
PATH = Path(site.getsitepackages()[0]) / "rnn_course_fast_imports.pth"

if __name__ == "__main__":
    PATH.write_text(LINE)
    print(f"wrote {PATH}")
