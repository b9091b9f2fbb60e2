"""The engine as the browser's worker calls it: JSON text in, JSON text out, the flow parsed once.

Text, not JavaScript objects, crosses between JavaScript and Python: nothing of the reader's
answers stays behind in a Python object that JavaScript still holds.
"""

from __future__ import annotations

import json
from .engine import evaluate


def evaluator(flow_json: str):
    """`run(answers_json, today)` → the result as JSON text, for one flow."""
    flow = json.loads(flow_json)

    def run(answers_json: str, today: str | None) -> str:
        return json.dumps(evaluate(flow, json.loads(answers_json), today))

    return run
