"""python -m quiz FLOW.json ANSWERS.json [--today YYYY-MM-DD]

Prints the engine's result as JSON. FLOW.json is a flow exported for one language
(`amparo quiz flow > flow.es.json`); ANSWERS.json maps question ids to values.
"""

import argparse
import json
import sys

from .engine import evaluate


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m quiz", description="Evaluate quiz answers against a flow.")
    parser.add_argument("flow", help="flow JSON file (from `amparo quiz flow`)")
    parser.add_argument("answers", help="answers JSON file: {question id: value}")
    parser.add_argument("--today", help="YYYY-MM-DD (default: the system date)")
    args = parser.parse_args(argv)
    with open(args.flow, encoding="utf-8") as handle:
        flow = json.load(handle)
    with open(args.answers, encoding="utf-8") as handle:
        answers = json.load(handle)
    result = evaluate(flow, answers, args.today)
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
