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

import caregraph as cg

HERE = Path(__file__).parent


def main() -> None:
    """Print the findings, the bundles and the assessment."""
    pd.set_option("display.width", 200)
    pd.set_option("display.max_colwidth", 80)
    frames = cg.delegation_frames(cg.load_model(HERE))
    plan = cg.read_plan(HERE / "plan.csv")
    flows = cg.read_flows(HERE / "flows.csv")

    findings = cg.check_delegation(frames, plan, flows=flows)
    print(f"== check_delegation: {len(findings)} findings\n")
    print(findings[["check", "severity", "services", "areas", "sites", "level"]].to_string())
    print()
    for number, message in findings["message"].items():
        print(f"{number:>2}. {message}")

    print("\n== delegation_bundles\n")
    bundles = cg.delegation_bundles(frames, plan)
    print(bundles[["bundle", "n_services", "n_links", "n_providers", "split", "split_areas"]].to_string())
    for row in bundles.itertuples():
        print(f"{row.bundle}: {row.services.replace(';', ', ')}")

    print("\n== assess_services\n")
    assessed = cg.assess_services(frames, cg.read_criteria(HERE / "criteria.yaml"), flows=flows,
                                  published=cg.published_decisions())
    columns = ["service_id", "classification", "recommended_tier", "suitability_score", "readiness_score"]
    print(assessed[columns].round(2).to_string())
    print()
    for row in assessed.itertuples():
        print(f"{row.service_id}\n  suitability: {row.suitability_reasons}\n  readiness: {row.readiness_reasons}"
              f"\n  tier: {row.tier_reasons}\n  published: {row.published}")


if __name__ == "__main__":
    main()
