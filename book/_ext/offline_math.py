"""Serve MathJax from the built book, so that its maths renders with no network.

Jupyter Book loads MathJax from a CDN by default: a reader offline, or behind a
firewall, sees raw TeX. This extension copies MathJax into the book's `_static/mathjax`
and points Sphinx at it. MathJax comes from `jupyter-server-mathjax`, the package Project
Jupyter maintains to serve MathJax to notebooks offline (it bundles MathJax 2.7.9, the
final 2.x release), pinned in requirements.txt like everything else.
"""

from pathlib import Path

import jupyter_server_mathjax
from sphinx.util.fileutil import copy_asset

MATHJAX = Path(jupyter_server_mathjax.__file__).parent / "static"


def use_local_mathjax(app, config):
    config.mathjax_path = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML"
    # MathJax 2 reads its options from `MathJax.Hub.Config`: typeset only the \( \) and
    # \[ \] that Sphinx writes for $...$ and $$...$$, never a dollar sign in prose.
    config.mathjax2_config = {
        "tex2jax": {"inlineMath": [["\\(", "\\)"]], "displayMath": [["\\[", "\\]"]],
                    "processEscapes": False},
        "showMathMenu": False,
    }


def copy_mathjax(app, exception):
    if exception is None and app.builder.format == "html":
        copy_asset(str(MATHJAX), str(Path(app.outdir) / "_static" / "mathjax"))


def setup(app):
    app.connect("config-inited", use_local_mathjax, priority=900)
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
