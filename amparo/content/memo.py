"""What a check or a build made from some content, kept for the next one in the same process.

`make serve` rebuilds after every save and the tests check hundreds of copies of the content with
one thing changed: most of what a check reads, compares and renders is the same as last time.
Each value is a pure function of its key (the content it was made from, never a file's path or
time), so a value found is the one that would be made again.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from typing import Any, Callable, Generic, Hashable, TypeVar

Value = TypeVar("Value")


class Memo(Generic[Value]):
    """The `size` values asked for last, by key."""

    def __init__(self, size: int):
        self.size = size
        self._values: OrderedDict[Hashable, Value] = OrderedDict()

    def get(self, key: Hashable, make: Callable[[], Value]) -> Value:
        """The value kept for `key`, or the one `make` returns (an exception is not kept: a broken
        input is read again each time, so its problems are always told)."""
        if key in self._values:
            self._values.move_to_end(key)
            return self._values[key]
        value = self._values[key] = make()
        while len(self._values) > self.size:
            self._values.popitem(last=False)
        return value


def digest(data: Any) -> str:
    """A key for a value made of dicts, lists and texts (a quiz flow): the same for equal values."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
