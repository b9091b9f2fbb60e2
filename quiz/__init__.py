"""Amparo's private eligibility quiz: standard-library Python that runs in the browser (Pyodide).

    from quiz import evaluate
    result = evaluate(flow, answers, today="2025-06-30")

See quiz/README.md for the flow format and the questions.
"""

from .engine import evaluate
from .enumerate import enumerate_paths

__all__ = ["evaluate", "enumerate_paths"]
