"""The base of the exhibits' typed results: frozen dataclasses that turn into plain JSON."""

from __future__ import annotations

import dataclasses


def plain(value):
    """``value`` as plain JSON data: records and dataclasses by their ``to_dict``, containers item by item.

    Parameters
    ----------
    value : object
        A :class:`Record`, another object with ``to_dict``, a dict, list or tuple of them, or a plain value.

    Returns
    -------
    object
        Dicts, lists and plain values only (tuples become lists, as JSON has no tuples).
    """
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


class Record:
    """Mixin of the frozen dataclasses that feed the report: ``to_dict`` gives the JSON written to disk."""

    def to_dict(self) -> dict:
        """Every field by name, nested records and containers turned into plain data.

        Returns
        -------
        dict
            ``{field: plain value}`` (see :func:`plain`).
        """
        return {f.name: plain(getattr(self, f.name)) for f in dataclasses.fields(self)}
