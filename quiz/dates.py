"""Date arithmetic for personal deadlines. Standard library only (runs under Pyodide).

Three ways of counting, each the one the quiz explains to the reader. The official sheets say
how long a deadline is, not how to count it: every date here is an estimate, and says so.

- `add_days(start, n)`: calendar days; the result is `start + n` days.
- `add_months(start, n)`: the same day number `n` months later; if that month has no such
  day (31 January + 1 month), the last day of that month (28 or 29 February).
- `add_business_days(start, n)`: Monday to Friday only, counting from the day after `start`;
  the n-th such day. Public holidays are not known here, so the real last day may be later.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def parse_iso(value: object) -> date | None:
    """`YYYY-MM-DD` → date; anything else (other ISO forms too) → None. Never raises."""
    if not isinstance(value, str) or len(value) != 10 or value[4] != "-" or value[7] != "-":
        return None
    digits = value[:4] + value[5:7] + value[8:]
    if not digits.isdigit() or not digits.isascii():
        return None
    try:
        return date(int(value[:4]), int(value[5:7]), int(value[8:]))
    except ValueError:
        return None


def add_days(start: date, days: int) -> date:
    return start + timedelta(days=days)


def add_months(start: date, months: int) -> date:
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last))


def add_business_days(start: date, days: int) -> date:
    current = start
    counted = 0
    while counted < days:
        current += timedelta(days=1)
        if current.weekday() < 5:  # Monday = 0 … Friday = 4
            counted += 1
    return current


UNITS = {"days": add_days, "months": add_months, "business_days": add_business_days}


def deadline(start: date, amount: int, unit: str) -> date:
    return UNITS[unit](start, amount)
