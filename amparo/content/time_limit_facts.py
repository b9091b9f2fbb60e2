"""The time limits of the guides, by the id a quiz deadline names them with: each fact written once,
in its guide or in shared.yml, and found here by the quiz's checks and its flow."""

from __future__ import annotations

from .models import Procedure, SharedFile, TimeLimit


def time_limit_facts(shared: SharedFile, guides) -> dict[str, tuple[TimeLimit, set[str]]]:
    """Every time limit a deadline can count, by its id, with the procedures whose guide has it:
    <guide id>.steps.<step id> for a guide's own step, shared.steps.<id> and shared.fees.<id> for
    pieces of shared.yml (resolved into each guide that uses them)."""
    facts: dict[str, tuple[TimeLimit, set[str]]] = {}
    for step in shared.steps:
        if step.time_limit is not None:
            facts[f"shared.steps.{step.id}"] = (step.time_limit, set())
    for fee in shared.fees:
        if fee.time_limit is not None:
            facts[f"shared.fees.{fee.id}"] = (fee.time_limit, set())
    for guide in guides:
        if not isinstance(guide, Procedure):
            continue
        for step in guide.steps:
            if step.time_limit is None:
                continue
            if f"shared.steps.{step.id}" in facts:
                facts[f"shared.steps.{step.id}"][1].add(guide.id)
            else:
                facts[f"{guide.id}.steps.{step.id}"] = (step.time_limit, {guide.id})
        if guide.fee is not None and f"shared.fees.{guide.fee.id}" in facts:
            facts[f"shared.fees.{guide.fee.id}"][1].add(guide.id)
    return facts
