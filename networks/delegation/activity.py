"""Reading and checking the analyst's CSV inputs to delegation analyses: flows and spend.

Both are optional. **Flows** say where each ICB's residents are treated:
one row per service, residents' commissioner and provider, with an activity
count (e.g. RTT pathways or spells); they give footprint containment.
**Spend** gives a service's annual spend in pounds, summed per bundle.

========  ==================================================================
file      columns
========  ==================================================================
flows     ``service_id``, ``commissioner_id`` (the residents' ICB or sub-ICB
          location), ``provider_id`` (a trust or site; one not in the model
          counts as outside every footprint), ``activity`` (number >= 0)
spend     ``service_id``, ``spend_gbp`` (number >= 0), one row per service
========  ==================================================================

Every problem is collected and raised together as a ``ValidationError``
naming file, row (header = row 1) and field.

Examples
--------
>>> import caregraph as cg
>>> import pandas as pd
>>> g = cg.CareGraph()
>>> g.add_node("QWE", "ICB")
>>> g.add_node("svc-neuro", "Service", specialised=True)
>>> frames = cg.delegation_frames(g)
>>> flows = pd.DataFrame({"service_id": ["svc-neuro"], "commissioner_id": ["QWE"],
...                       "provider_id": ["RJ7"], "activity": ["2629"]})
>>> cg.validate_flows(flows, frames)[["commissioner_id", "activity", "row"]].values.tolist()
[['QWE', 2629.0, 2]]
"""

from __future__ import annotations

import pandas as pd

from networks.errors import Problem, ValidationError
from networks.schema import Property
from networks.values import convert_value, is_blank, read_problems, tidy_frame

from .tables import DelegationFrames

__all__ = ["RESIDENT_FLOW_COLUMNS", "SPEND_COLUMNS", "validate_flows", "validate_spend"]

RESIDENT_FLOW_COLUMNS = ("service_id", "commissioner_id", "provider_id", "activity")
SPEND_COLUMNS = ("service_id", "spend_gbp")
_AMOUNT = Property("amount", "float", minimum=0)


def _amounts(frame: pd.DataFrame, column: str, source: str, problems: list[Problem]) -> list[float | None]:
    values: list[float | None] = []
    for row, raw in zip(frame["row"], frame[column], strict=True):
        if is_blank(raw):
            problems.append(Problem(source, int(row), column, "required value is missing"))
            values.append(None)
            continue
        try:
            values.append(float(convert_value(_AMOUNT, raw)))
        except ValueError as exc:
            problems.append(Problem(source, int(row), column, str(exc)))
            values.append(None)
    return values


def _check_services(frame: pd.DataFrame, frames: DelegationFrames, source: str,
                    problems: list[Problem]) -> None:
    known = set(frames.services["service_id"])
    for row, service in zip(frame["row"], frame["service_id"], strict=True):
        if is_blank(service):
            problems.append(Problem(source, int(row), "service_id", "required value is missing"))
        elif service not in known:
            problems.append(Problem(source, int(row), "service_id", f"unknown service '{service}'"))


def validate_flows(flows: pd.DataFrame, frames: DelegationFrames, source: str | None = None) -> pd.DataFrame:
    """Check a flows frame against the model.

    Parameters
    ----------
    flows : pandas.DataFrame
        Columns ``RESIDENT_FLOW_COLUMNS``; an optional ``row`` column gives row
        numbers for messages (default: index order, first row 2).
    frames : DelegationFrames
        The model.
    source : str, optional
        How problems name the table (default: ``flows.attrs["source"]``,
        which the readers set to the file name, else ``"flows"``).

    Returns
    -------
    pandas.DataFrame
        ``RESIDENT_FLOW_COLUMNS`` with ``activity`` as a float, and ``row``; checking
        the result again gives the same frame.

    Raises
    ------
    ValidationError
        Unknown services, commissioners that are not one ICB or sub-ICB
        location of the model, blank providers, bad activity numbers.
    """
    source = source or flows.attrs.get("source", "flows")
    frame = tidy_frame(flows, RESIDENT_FLOW_COLUMNS)
    problems: list[Problem] = read_problems(flows)
    _check_services(frame, frames, source, problems)
    resident = frames.coverage[frames.coverage.commissioner_kind.isin(["ICB", "SubICBLocation"])]
    icb_of = dict(zip(resident["commissioner_id"], resident["icb_id"], strict=True))
    for row, commissioner, provider in zip(frame["row"], frame["commissioner_id"], frame["provider_id"], strict=True):
        if is_blank(commissioner):
            problems.append(Problem(source, int(row), "commissioner_id", "required value is missing"))
        elif commissioner not in icb_of:
            problems.append(Problem(source, int(row), "commissioner_id",
                                    f"'{commissioner}' is not an ICB or sub-ICB location of the model"))
        if is_blank(provider):
            problems.append(Problem(source, int(row), "provider_id", "required value is missing"))
    activity = _amounts(frame, "activity", source, problems)
    if problems:
        raise ValidationError(problems)
    frame["activity"] = pd.Series(activity, dtype=float)
    return frame


def validate_spend(spend: pd.DataFrame, frames: DelegationFrames, source: str | None = None) -> pd.Series:
    """Check a spend frame; return annual spend in pounds indexed by service id.

    Raises
    ------
    ValidationError
        Unknown or repeated services and bad amounts.

    Examples
    --------
    >>> import caregraph as cg
    >>> import pandas as pd
    >>> g = cg.CareGraph()
    >>> g.add_node("svc-a", "Service", specialised=True)
    >>> cg.validate_spend(pd.DataFrame({"service_id": ["svc-a"], "spend_gbp": ["1,500"]}),
    ...                cg.delegation_frames(g)).to_dict()
    {'svc-a': 1500.0}
    """
    source = source or spend.attrs.get("source", "spend")
    frame = tidy_frame(spend, SPEND_COLUMNS)
    problems: list[Problem] = read_problems(spend)
    _check_services(frame, frames, source, problems)
    first: dict[str, int] = {}
    for row, service in zip(frame["row"], frame["service_id"], strict=True):
        if not is_blank(service) and service in first:
            problems.append(Problem(source, int(row), "service_id",
                                    f"service '{service}' already has a spend in row {first[service]}"))
        first.setdefault(service, int(row))
    amounts = _amounts(frame, "spend_gbp", source, problems)
    if problems:
        raise ValidationError(problems)
    return pd.Series(amounts, index=list(frame["service_id"]), dtype=float, name="spend_gbp")
