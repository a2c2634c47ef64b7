"""Figure 1's smoothing, defined once: the exhibits, the verdicts and the plots all use it.

Kept apart from :mod:`backlash.exhibits.empirics` so that the plot functions can use it
without importing the empirics (a model figure's rule would otherwise depend on them).
"""

from __future__ import annotations

import pandas as pd

SMOOTHING_YEARS = 5  # Figure 1: centred 5-year moving average over the yearly points


def moving_average(values: pd.Series, window: int = SMOOTHING_YEARS) -> pd.Series:
    """Figure 1's smoothing: a centred ``window``-year mean, over at least half the window at the edges.

    Parameters
    ----------
    values : Series
        Yearly values in year order.
    window : int
        Years in the window.

    Returns
    -------
    Series
        The smoothed values, same index.
    """
    return values.rolling(window, center=True, min_periods=window // 2 + 1).mean()
