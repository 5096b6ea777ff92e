"""Small plotting helpers for learning curves, written out in chapter 3."""

import numpy as np

from rnnbook.baselines import DEPENDENCY_BASELINES


# @save
def running_mean(values, width):
    return np.convolve(values, np.ones(width) / width, mode="valid")


# @save
def plot_baselines(ax):
    for (name, loss), style in zip(DEPENDENCY_BASELINES.items(), ("--", "-.", ":"),
                                   strict=True):
        ax.axhline(loss, color="black", ls=style, lw=1, label=f"{name} ({loss:.4f})")
