"""The main study queue: due reviews read page by page, new cards spread evenly among them.

Kept apart from `session.py` because it is pure bookkeeping: it never reads the store
itself; it pulls review keys from an iterator (the session hands it one that pages through
`Store.due_reviews`), so building a session costs the same for 100 or 100,000 due cards.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence

from cjstudy.model import CardKey

KINDS = ("new", "learning", "review")


def new_slots(reviews: int, new: int) -> set[int]:
    """Positions (0-based, among reviews + new) that new cards take: evenly spread, never first
    unless there are no reviews."""
    if new <= 0:
        return set()
    total = reviews + new
    return {int((i + 0.5) * total / new) for i in range(new)}


def interleave(reviews: Sequence[CardKey], new: Sequence[CardKey]) -> list[CardKey]:
    """The whole order `MainQueue` hands out, for lists known in advance."""
    queue = MainQueue(iter(reviews), len(reviews), list(new))
    out = []
    while (key := queue.head()) is not None:
        out.append(key)
        queue.take(key)
    return out


class MainQueue:
    """Reviews and new cards in asking order, plus cards put back in front by undo.

    `head()` is stable until `take()` removes it, so the UI may peek as often as it likes.
    """

    def __init__(self, reviews: Iterator[CardKey], review_total: int, new: list[CardKey],
                 accept: Callable[[CardKey], bool] = lambda key: True) -> None:
        self._reviews = reviews
        self._accept = accept
        self.review_total = review_total  # reviews this session hands out at most
        self.new_total = len(new)
        self._new = deque(new)
        self._slots = new_slots(review_total, len(new))
        self.reviews_out = 0
        self.new_out = 0
        self.front: deque[tuple[CardKey, str]] = deque()  # (key, kind) put back by undo
        self.skip: set[CardKey] = set()  # answered or buried: never handed out again
        self._handed: set[CardKey] = set()  # reviews handed out (counted in reviews_out)
        self._dropped: dict[CardKey, str] = {}  # siblings dropped while still to come, with their kind
        self._head: tuple[CardKey, str] | None = None

    def _next_review(self) -> CardKey | None:
        if self.reviews_out >= self.review_total:
            return None
        for key in self._reviews:
            if key not in self.skip and self._accept(key):
                return key
        self.review_total = self.reviews_out  # the store had fewer than counted: stop expecting more
        return None

    def head(self) -> CardKey | None:
        """The next card to ask (without removing it)."""
        if self.front:
            return self.front[0][0]
        if self._head is None:
            position = self.reviews_out + self.new_out
            if self._new and position in self._slots:
                self._head = (self._new[0], "new")
            elif (review := self._next_review()) is not None:
                self._head = (review, "review")
            elif self._new:  # reviews ran out: the remaining new cards follow
                self._head = (self._new[0], "new")
        return self._head[0] if self._head else None

    def take(self, key: CardKey) -> str | None:
        """Remove `key` if it is the head or was put back in front; returns its kind, else None."""
        self.skip.add(key)
        for index, (front_key, kind) in enumerate(self.front):
            if front_key == key:
                del self.front[index]
                return kind
        if self._head is None or self._head[0] != key:
            return None
        kind = self._head[1]
        self._head = None
        if kind == "new":
            self._new.popleft()
            self.new_out += 1
        else:
            self.reviews_out += 1
            self._handed.add(key)
        return kind

    def drop(self, key: CardKey, kind: str, pending: bool) -> None:
        """Never hand out `key` this session (a buried sibling); `pending`: the key is still among
        the reviews counted in `review_total`, so the count shrinks by one."""
        if key in self.skip:
            return
        self.skip.add(key)
        was_front = any(k == key for k, _ in self.front)
        self.front = deque((k, c) for k, c in self.front if k != key)
        if self._head is not None and self._head[0] == key:
            self._head = None
        if key in self._new:
            self._new.remove(key)
            self.new_total -= 1
            self._slots = new_slots(max(0, self.review_total - self.reviews_out), len(self._new))
            self._slots = {self.reviews_out + self.new_out + s for s in self._slots}
            self._dropped[key] = "new"
        elif kind == "review" and pending and key not in self._handed and not was_front:
            self.review_total = max(self.reviews_out, self.review_total - 1)
            self._dropped[key] = "review"
        elif was_front:
            self._dropped[key] = kind

    def restore(self, key: CardKey) -> None:
        """Undo `drop`: the key may be handed out again (after anything put in front)."""
        self.skip.discard(key)
        kind = self._dropped.pop(key, None)
        if kind is not None:
            self.front.append((key, kind))

    def put_front(self, key: CardKey, kind: str) -> None:
        """Ask this card next (undo brings a card back this way)."""
        self.skip.discard(key)
        self.front = deque((k, c) for k, c in self.front if k != key)
        self.front.appendleft((key, kind))

    def left(self, kind: str) -> int:
        """Cards of `kind` still to come (new and review from the queue, any kind from `front`)."""
        in_front = sum(1 for _, c in self.front if c == kind)
        if kind == "new":
            return in_front + len(self._new)
        if kind == "review":
            return in_front + max(0, self.review_total - self.reviews_out)
        return in_front

    def __bool__(self) -> bool:
        return self.head() is not None
