"""Benchmark: the chapter 3 RNN trained three ways (see bench/variants.py)."""
