"""rnnbook: the code that the chapters of *Recurrent Neural Networks in TensorFlow 2*
build and later chapters reuse.

Every function here is written out, and explained, in a chapter of the book; the
chapter cell is marked ``# @save`` and ``tests/book/test_book_agrees.py`` checks that the
chapter and this package hold the same code.
"""

from rnnbook.baselines import (
    DEPENDENCY_BASELINES,
    P_ONE,
    binary_entropy,
    expected_loss,
)
from rnnbook.data import (
    batch_windows,
    dependency_series,
    echo_series,
    to_batch_matrix,
)

__all__ = [
    "DEPENDENCY_BASELINES",
    "P_ONE",
    "binary_entropy",
    "expected_loss",
    "batch_windows",
    "dependency_series",
    "echo_series",
    "to_batch_matrix",
]
