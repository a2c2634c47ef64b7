"""Replication package for Melnick (2025), "Domestic Inequality, Heterogeneous
Redistribution, and the Globalization Backlash".

Modules
-------
model     the probabilistic-voting model (Lemma 1, Props. 1-3, the reputational-cost extension)
data      ingest of COW IGO v3, COW state membership and Polity5 into tidy panels
exits     withdrawal rules, the sensitivity table, Figure 1's series and the count model
plots     plot functions (each takes a matplotlib Axes) and the shared figure style
sources   the pinned manifest of raw inputs, fetching and sha256 verification
paths     every file location of the project
render    the paper renderer (Quarto when installed, otherwise pandoc + typst)
"""

__version__ = "1.0.0"
