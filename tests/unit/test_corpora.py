"""The corpora shipped inside rnnbook are the files their README describes."""

import hashlib
from importlib import resources

SHAKESPEARE_SHA256 = "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"


def test_tinyshakespeare_is_the_published_file():
    data = resources.files("rnnbook").joinpath("corpora/tinyshakespeare.txt").read_bytes()
    assert hashlib.sha256(data).hexdigest() == SHAKESPEARE_SHA256
    text = data.decode("utf-8")
    assert len(text) == 1_115_394 and len(set(text)) == 65
    assert SHAKESPEARE_SHA256 in resources.files("rnnbook").joinpath(
        "corpora/README.md").read_text()
