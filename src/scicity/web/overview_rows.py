"""The overview's rows, rendered once per judged row: a write re-renders only the rows it re-judged.

The read model keeps the :class:`~scicity.service.status.StatusRow` objects of
the targets a write did not affect (``ReadModel.status`` re-judges only the
affected indicators and reuses the other rows). A row's HTML depends on that
object, the language, the method and as-of year (its link) and the number of
values waiting for approval; so a rendered row is kept with the very object it
was made from and reused while the view holds the same object (an identity
check, not a hash of its contents: held here, an object cannot be replaced by
another at the same address). A full recomputation (a registry write, a new
plan text) makes new row objects, and every row is rendered again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from markupsafe import Markup

from scicity.service.status import StatusRow
from scicity.web.contexts import OverviewItem

#: groups of rows kept (one per plan text, method, as-of year and language)
GROUPS = 32


@dataclass(frozen=True)
class RenderedRow:
    row: StatusRow
    pending: int
    item: OverviewItem
    html: Markup


class OverviewRows:
    """Rendered overview rows per (group, position of the row among its indicator's targets)."""

    def __init__(self, groups: int = GROUPS) -> None:
        self._groups: OrderedDict[Hashable, dict[tuple[str, int], RenderedRow]] = OrderedDict()
        self._size = groups
        self._lock = threading.Lock()
        self.rendered = 0  # rows rendered over the cache's life (what a write re-rendered shows here)

    def rows(self, group: Hashable, rows: list[StatusRow], pending: dict[str, int],
             make: Callable[[StatusRow, int], tuple[OverviewItem, Markup]]) -> list[RenderedRow]:
        """Each row rendered by ``make(row, pending)``, or as kept when the row object and its pending count are
        those it was rendered from."""
        with self._lock:
            kept = self._groups.get(group)
            if kept is None:
                kept = self._groups[group] = {}
                while len(self._groups) > self._size:
                    self._groups.popitem(last=False)
            else:
                self._groups.move_to_end(group)
            kept = dict(kept)  # a snapshot: rendering happens outside the lock
        out: list[RenderedRow] = []
        made = 0
        fresh: dict[tuple[str, int], RenderedRow] = {}
        seen: dict[str, int] = {}
        for row in rows:
            nth = seen[row.indicator.id] = seen.get(row.indicator.id, -1) + 1
            slot = (row.indicator.id, nth)
            waiting = pending.get(row.indicator.id, 0)
            hit = kept.get(slot)
            if hit is None or hit.row is not row or hit.pending != waiting:
                item, html = make(row, waiting)
                hit = RenderedRow(row, waiting, item, html)
                made += 1
            fresh[slot] = hit
            out.append(hit)
        with self._lock:
            self.rendered += made
            if group in self._groups:
                self._groups[group] = fresh  # only the rows of this view: those of older views are let go
        return out

    def clear(self) -> None:
        with self._lock:
            self._groups.clear()
