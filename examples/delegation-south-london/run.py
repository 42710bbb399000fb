"""Run the South London delegation example: plan checks, bundles and the service assessment.

Usage (from the repository root)::

    python examples/delegation-south-london/run.py

The same results, with every column, come from the command line::

    caregraph delegation check examples/delegation-south-london \\
        --plan examples/delegation-south-london/plan.csv --flows examples/delegation-south-london/flows.csv
    caregraph delegation bundles examples/delegation-south-london --plan examples/delegation-south-london/plan.csv
    caregraph delegation assess examples/delegation-south-london \\
        --criteria examples/delegation-south-london/criteria.yaml --flows examples/delegation-south-london/flows.csv
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from loaders import load_model
from networks.assessment import assess_services
from networks.codependencies import delegation_bundles
from networks.criteria import read_criteria
from networks.delegation import check_delegation
from networks.delegation_inputs import read_flows
from networks.frames_delegation import delegation_frames
from networks.plans import read_plan

HERE = Path(__file__).parent


def main() -> None:
    """Print the findings, the bundles and the assessment."""
    pd.set_option("display.width", 200)
    pd.set_option("display.max_colwidth", 80)
    frames = delegation_frames(load_model(HERE))
    plan = read_plan(HERE / "plan.csv", frames)
    flows = read_flows(HERE / "flows.csv", frames)

    findings = check_delegation(frames, plan, flows=flows)
    print(f"== check_delegation: {len(findings)} findings\n")
    print(findings[["check", "severity", "services", "areas", "sites", "level"]].to_string())
    print()
    for number, message in findings["message"].items():
        print(f"{number:>2}. {message}")

    print("\n== delegation_bundles\n")
    bundles = delegation_bundles(frames, plan)
    print(bundles[["bundle", "n_services", "n_links", "n_providers", "split", "split_areas"]].to_string())
    for row in bundles.itertuples():
        print(f"{row.bundle}: {row.services.replace(';', ', ')}")

    print("\n== assess_services\n")
    assessed = assess_services(frames, read_criteria(HERE / "criteria.yaml"), flows=flows)
    columns = ["service_id", "classification", "recommended_tier", "suitability_score", "readiness_score"]
    print(assessed[columns].round(2).to_string())
    print()
    for row in assessed.itertuples():
        print(f"{row.service_id}\n  suitability: {row.suitability_reasons}\n  readiness: {row.readiness_reasons}"
              f"\n  tier: {row.tier_reasons}\n  published: {row.published}")


if __name__ == "__main__":
    main()
