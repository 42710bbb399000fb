"""The analyst's criteria for suitability, readiness and tiering of specialised services (seed 002).

Seed 002 (South London Specialised Services Delegation Programme, July 2022)
assesses each specialised service in three steps: **suitable?** (patient /
clinical benefit, co-dependent services, financial risk and volatility,
number of providers), **ready?** (future technologies, provider landscape:
patient flows and network arrangements, commissioning infrastructure) and
**tiering** (one ICS, several ICSs, or a region). ``Criteria`` holds the
weights, pass marks, floors, bands and analyst scores that make the
judgement explicit; ``loaders.criteria.read_criteria`` reads them from the
YAML file documented in ``docs/inputs.md``.

``source: analyst`` criteria are scored by the analyst (a blank score is
"not scored", which fails the step); ``source: computed`` criteria are
measured from the graph (``COMPUTED_MEASURES``) and scored with ``bands``:
``(at_least, score)`` pairs in increasing order, a measure getting the score
of the last band it reaches (below the first: the scale minimum).

Examples
--------
>>> import caregraph as cg
>>> providers = cg.Criterion("number_of_providers", "computed", bands=((0, 1), (2, 5)))
>>> providers.score(3)
5.0
"""


from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = ["COMPUTED_MEASURES", "STEPS", "AssessmentStep", "Criteria", "Criterion"]

COMPUTED_MEASURES = {
    "codependency_exposure": "co-located or in-reach links to highly specialised services (which stay national)",
    "number_of_providers": "providers (trusts) offering the service in the model",
    "footprint_containment": "share of residents' activity treated by providers in their own ICB (needs flows)",
}
"""The measures a ``source: computed`` criterion can use, with what each counts."""

STEPS = ("suitability", "readiness")
"""The assessment's two scored steps, in order."""


@dataclass(frozen=True)
class Criterion:
    """One criterion: where its score comes from, its weight and (if computed) its bands."""

    name: str
    source: str
    weight: float = 1.0
    bands: tuple[tuple[float, float], ...] = ()
    description: str = ""
    scale_min: float = 1.0

    def score(self, measure: float) -> float:
        """Score a computed measure with the bands.

        Examples
        --------
        >>> import caregraph as cg
        >>> cg.Criterion("c", "computed", bands=((0, 5), (1, 2), (2, 1))).score(1)
        2.0
        """
        reached = [score for at_least, score in self.bands if measure >= at_least]
        return float(reached[-1]) if reached else float(self.scale_min)


@dataclass(frozen=True)
class AssessmentStep:
    """A step (suitability or readiness): its criteria, pass mark and floor."""

    name: str
    pass_mark: float
    floor: float
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Criteria:
    """Checked criteria with their analyst scores.

    Attributes
    ----------
    steps : tuple of AssessmentStep
        Suitability then readiness.
    min_providers, min_containment : int, float
        Tiering thresholds.
    scores : pandas.DataFrame
        ``service_id``, one column per analyst criterion (floats, NaN when
        not scored) and ``row``.
    scores_file : str
        Name used in problems about the scores.
    """

    steps: tuple[AssessmentStep, ...]
    min_providers: int = 1
    min_containment: float = 0.8
    scale: tuple[float, float] = (1.0, 5.0)
    scores: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"service_id": [], "row": []}))
    scores_file: str = "scores"

    def analyst_criteria(self) -> list[str]:
        """Names of the analyst-scored criteria, in file order."""
        return [c.name for step in self.steps for c in step.criteria if c.source == "analyst"]
