"""Serve MathJax from the built book, so that its maths renders offline.

Jupyter Book loads MathJax from a CDN by default: a reader offline, or
behind a firewall, sees raw TeX. This extension copies MathJax into the
book's `_static/mathjax` and points Sphinx at it. MathJax comes from
`jupyter-server-mathjax`, the package Project Jupyter maintains to serve
MathJax to notebooks offline (MathJax 2.7.9, the final 2.x release),
pinned in requirements.txt like everything else.
"""

from pathlib import Path

import jupyter_server_mathjax
from sphinx.util.fileutil import copy_asset

MATHJAX = Path(jupyter_server_mathjax.__file__).parent / "static"


def use_local_mathjax(app, config):
    # The package ships the combined configuration (TeX input, HTML-CSS
    # output) that the classic notebook uses, not TeX-AMS-MML_HTMLorMML.js.
    config.mathjax_path = (
        "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"
    )
    # MathJax 2 reads its options from `MathJax.Hub.Config`: typeset only
    # the \( \) and \[ \] that Sphinx writes for $...$ and $$...$$, never a
    # dollar sign in prose.
    config.mathjax2_config = {
        "tex2jax": {
            "inlineMath": [["\\(", "\\)"]],
            "displayMath": [["\\[", "\\]"]],
            "processEscapes": False,
            # Pages are marked "tex2jax_ignore": process only the elements
            # marked as maths (as MyST configures MathJax 3).
            "processClass": (
                "tex2jax_process|mathjax_process|math|output_area"
            ),
        },
        # The package has the STIX-Web fonts only (as the classic notebook
        # configures them), not MathJax's default TeX fonts.
        "HTML-CSS": {
            "availableFonts": ["STIX-Web"],
            "preferredFont": "STIX-Web",
            "webFont": "STIX-Web",
            "imageFont": None,
        },
        "showMathMenu": False,
    }


def copy_mathjax(app, exception):
    if exception is None and app.builder.format == "html":
        target = Path(app.outdir) / "_static" / "mathjax"
        copy_asset(str(MATHJAX), str(target))


def setup(app):
    app.connect("config-inited", use_local_mathjax, priority=900)
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
