"""Commands that need neither matplotlib nor the Neo4j driver never import them (issue 12).

Each command runs on an example in a fresh process, which then lists the heavy modules it holds. Every
command of the parser is in one list or the other, so that a new command has to be placed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from caregraph.cli import build_parser

ROOT = Path(__file__).parents[1]
CARDIOLOGY = "examples/cardiology"
SOUTH_LONDON = "examples/delegation-south-london"
MIMIC = "tests/data/mimic_iii_demo/transfers.csv"

# Each command that needs neither library, with a run of it on an example (OUT: a file in a fresh folder;
# LOG: a three-event log that matches tests/fixtures/small_model) and the exit status that run gives.
LIGHT: dict[str, tuple[list[str], int]] = {
    "validate": ([CARDIOLOGY], 0),
    "summary": ([CARDIOLOGY, "--as-at", "2026-05-01"], 0),
    "export": ([CARDIOLOGY, "OUT/cardiology.graphml"], 0),
    "reference": (["icbs", "--as-at", "2026-05-01"], 0),
    "handoffs list": ([CARDIOLOGY, "--pathway", "chest-pain-to-pci", "--by", "commissioner"], 0),
    "handoffs summary": ([CARDIOLOGY, "--by", "setting"], 0),
    "handoffs routes": ([CARDIOLOGY, "--pathway", "heart-failure", "-k", "5"], 0),
    "handoffs hotspots": ([CARDIOLOGY, "--by", "site"], 0),
    "crossings": ([CARDIOLOGY, "--as-at", "2026-05-01"], 0),
    "pools what-if": ([CARDIOLOGY, "--budgets", "bud-nhse-specialised,bud-qhm-core"], 0),
    "pools suggest": ([CARDIOLOGY, "-k", "2", "--method", "exhaustive"], 0),
    "appraise": (["examples/cornwall-options", "examples/cornwall-options/scenarios.yaml", "--as-at", "2018-04-01"],
                 0),
    "compare-dates": (["examples/devon-integrated-commissioning", "2019-03-31", "2019-04-01", "2022-07-01"], 0),
    # status 3: the example plan breaks co-dependencies (findings of severity error)
    "delegation check": ([SOUTH_LONDON, "--plan", f"{SOUTH_LONDON}/plan.csv", "--flows", f"{SOUTH_LONDON}/flows.csv"],
                         3),
    "delegation bundles": ([SOUTH_LONDON, "--plan", f"{SOUTH_LONDON}/plan.csv"], 0),
    "delegation assess": ([SOUTH_LONDON, "--criteria", f"{SOUTH_LONDON}/criteria.yaml"], 0),
    "flows containment": (["--rtt", "--geography", "both"], 0),
    "flows crossboundary": (["--rtt", "--top", "20"], 0),
    "flows money-shift": (["--rtt", "--geography", "2026"], 0),
    "flows footprints": (["--rtt", "--min-population", "1000000", "--seed", "1"], 0),
    "flows spof": ([CARDIOLOGY, "--as-at", "2026-05-01"], 0),
    "eventlog handoffs": ([MIMIC, "--case-col", "hadm_id", "--resource-col", "curr_careunit", "--timestamp-col",
                           "intime"], 0),
    "eventlog compare": (["LOG", "tests/fixtures/small_model", "--pathway", "chest-pain", "--case-col", "case",
                          "--resource-col", "org", "--timestamp-col", "time"], 0),
}
# The commands that draw (matplotlib) or talk to Neo4j (the driver).
HEAVY = {"report", "plot pathway", "plot codependencies", "plot options", "neo4j load", "neo4j export",
         "neo4j models", "neo4j delete", "query"}

PROBE = """import sys
from caregraph.cli import main
status = main(sys.argv[1:])
print(status, 'matplotlib' in sys.modules, 'neo4j' in sys.modules, file=sys.stderr)
"""


def commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[str]:
    """Every command that runs (not the groups), as its words joined by spaces."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                inner = commands(sub, (*prefix, name))
                found += inner or [" ".join((*prefix, name))]
    return found


def run(command: str, arguments: list[str], folder: Path) -> tuple[int, bool, bool]:
    """Run ``caregraph COMMAND ARGUMENTS`` in a fresh Python; its status and whether it holds each library."""
    log = folder / "log.csv"
    log.write_text("case,org,time\n1,GP1,2024-01-01\n1,RTD,2024-01-05\n1,LA1,2024-02-01\n")
    words = [str(log) if a == "LOG" else a.replace("OUT", str(folder)) for a in arguments]
    done = subprocess.run([sys.executable, "-c", PROBE, *command.split(), *words], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    status, matplotlib, neo4j = done.stderr.strip().splitlines()[-1].split()
    return int(status), matplotlib == "True", neo4j == "True"


def test_every_command_is_placed():
    assert sorted(commands(build_parser())) == sorted([*LIGHT, *HEAVY])


@pytest.mark.parametrize("command", sorted(LIGHT))
def test_a_command_that_needs_neither_imports_neither(command, tmp_path):
    arguments, status = LIGHT[command]
    assert run(command, arguments, tmp_path) == (status, False, False)


def test_the_probe_sees_matplotlib_when_a_command_draws(tmp_path):
    arguments = [CARDIOLOGY, "OUT/chest-pain.png", "--pathway", "chest-pain-to-pci"]
    assert run("plot pathway", arguments, tmp_path) == (0, True, False)
