"""Flow networks from a Spark DataFrame: the same rows as the pandas path, numbers by hand, problems counted.

A real local Spark session (``local[2]``, the ``spark`` fixture of conftest.py); under ``CI=true`` a
missing Spark fails these tests rather than skipping them.
"""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import caregraph as cg
from caregraph import ArgumentError, CareGraph, ValidationError
from caregraph.cli import main

DAY = "2026-05-01"
COLUMNS = "commissioner_id string, provider_id string, activity string, service string, unit_cost_gbp string, " \
          "period string"


def _model() -> CareGraph:
    """ICBs A and B in region R1, C in R2; sub-ICBs a1, b1, c1 in them; trusts TA, TB, TC; hub H in R1."""
    g = CareGraph()
    g.add_node("R1", "NHSERegion", name="Region one")
    g.add_node("R2", "NHSERegion", name="Region two")
    for icb, region in (("A", "R1"), ("B", "R1"), ("C", "R2")):
        g.add_node(icb, "ICB", name=f"NHS {icb} Integrated Care Board", population=1_000)
        g.add_edge(icb, region, "PART_OF")
        g.add_node(icb.lower() + "1", "SubICBLocation")
        g.add_edge(icb.lower() + "1", icb, "PART_OF")
        g.add_node(f"T{icb}", "NHSTrust", name=f"Trust {icb}")
        g.add_edge(f"T{icb}", icb, "LOCATED_IN")
    g.add_node("H", "CommissioningHub")
    g.add_edge("H", "R1", "PART_OF")
    return g


# As a CSV gives them: text, a thousands comma, padded ids; two services with unit costs 10 and 20.
ROWS = [("a1", "TA", "1,200", "S1", "10", "2026-04"), (" a1 ", "TB", "300", "S1", "10", "2026-04"),
        ("a1", "TB", "100", "S2", "20", "2026-04"), ("b1", "TB", "500", "S1", "10", "2026-04"),
        ("b1", "TA", "50", "S2", "20", "2026-04"), ("c1", "TC", "400", "S1", "10", "2026-04"),
        ("c1", "TA", "100", "S1", "10", "2026-04"), ("H", "TA", "70", "S1", "10", "2026-04"),
        ("NONC", "TB", "30", "S2", "20", "2026-04")]
PANDAS = pd.DataFrame(ROWS, columns=[c.split()[0] for c in COLUMNS.split(", ")])


def test_containment_by_hand(spark):
    network = cg.flow_network(_model(), spark.createDataFrame(ROWS, COLUMNS), "icb", DAY)
    table = network.containment().set_index("area_code")
    # A (a1): TA 1,200 inside, TB 300 + 100 outside -> 1,600, 75%.  B (b1): TB 500 of 550 -> 90.9%.
    # C (c1): TC 400 of 500 -> 80%.  Hub H 70 and NONC 30 stay apart.  Known residents 2,650, inside 2,100.
    assert table.loc[["A", "B", "C", "H", "NONC", "ALL"], "activity"].tolist() == [1600, 550, 500, 70, 30, 2750]
    assert table.loc["A", "share_inside_pct"] == pytest.approx(75.0)
    assert table.loc["B", "share_inside_pct"] == pytest.approx(100 * 500 / 550)
    assert table.loc["ALL", "share_inside_pct"] == pytest.approx(100 * 2100 / 2650)
    crossing = network.cross_boundary()
    assert crossing[["from_area", "to_area", "activity"]].values.tolist() == [
        ["A", "B", 400.0], ["C", "A", 100.0], ["B", "A", 50.0]]
    # B treats 400 (from A) + 500 (its own) + 30 (NONC) = 930
    assert crossing.loc[0, "share_of_destination_pct"] == pytest.approx(100 * 400 / 930)
    # money along A -> B: 300 x 10 + 100 x 20 = 5,000 over 2 rows; A -> A: 1,200 x 10
    edges = network.flows.set_index(["from_area", "to_area"])
    assert edges.loc[("A", "B"), ["cost_gbp", "rows"]].tolist() == [5000.0, 2]
    assert edges.loc[("A", "A"), "cost_gbp"] == 12000.0
    # the rows stay in Spark, each with its areas
    rows = network.rows.where("from_area = 'A'").selectExpr("sum(activity) AS a").collect()[0]["a"]
    assert rows == 1600.0


@pytest.mark.parametrize("level", ["icb", "sub_icb", "region", "provider"])
def test_every_level_gives_what_pandas_gives(spark, level):
    by_pandas = cg.flow_network(_model(), PANDAS, level, DAY)
    by_spark = cg.flow_network(_model(), spark.createDataFrame(ROWS, COLUMNS), level, DAY)
    assert_frame_equal(by_spark.flows, by_pandas.flows)
    assert_frame_equal(by_spark.containment(), by_pandas.containment())
    assert_frame_equal(by_spark.cross_boundary(), by_pandas.cross_boundary())


def test_aggregate_flows_on_typed_columns_and_by_service(spark):
    rows = [("36L", "RJ7", 30.0, 300.0, "S1"), ("36L", "RJZ", 70.0, 7.0, "S1"), ("36L", "RJZ", 5.0, 1.0, "S2"),
            ("NONC", "RJZ", 50.0, 2.0, "S1")]
    flows = spark.createDataFrame(rows, "commissioner_id string, provider_id string, activity double, "
                                        "cost_gbp double, service string")
    commissioners = pd.DataFrame({"commissioner_id": ["36L", "NONC"], "from_area": ["QWE", "NONC"],
                                  "from_footprint": ["QWE", None]})
    providers = pd.DataFrame({"provider_id": ["RJ7", "RJZ"], "to_area": ["QWE", "QKK"], "to_footprint": ["QWE", "QKK"]})
    result = cg.aggregate_flows(flows, commissioners, providers, by=["service"])
    # NONC sorts after QWE; its footprint stays None
    assert result.values.tolist() == [
        ["NONC", None, "QKK", "QKK", "S1", 50.0, 2.0, 1],
        ["QWE", "QWE", "QKK", "QKK", "S1", 70.0, 7.0, 1],
        ["QWE", "QWE", "QKK", "QKK", "S2", 5.0, 1.0, 1],
        ["QWE", "QWE", "QWE", "QWE", "S1", 30.0, 300.0, 1]]
    in_pandas = pd.DataFrame(rows, columns=flows.columns)
    assert_frame_equal(result, cg.aggregate_flows(in_pandas, commissioners, providers, by=["service"]))
    with pytest.raises(ValueError, match="has no area"):
        cg.aggregate_flows(flows, commissioners, providers.iloc[:1])


def test_bad_values_and_ids_are_counted_not_listed(spark):
    rows = [("a1", "TA", "-3"), ("a1", "TB", "abc"), ("a1", "TC", "-5"), ("QXX", "TA", "7"), ("QXX", "TB", "3"),
            ("a1", "TA", "2"), ("TA", "TA", "1"), (None, "TB", "4")]
    flows = spark.createDataFrame(rows, "commissioner_id string, provider_id string, activity string")
    with pytest.raises(ValidationError) as excinfo:
        cg.flow_network(_model(), flows, "icb", DAY)
    assert [str(p) for p in excinfo.value.problems] == [
        "Spark DataFrame, field 'commissioner_id': required value is missing",
        "Spark DataFrame, field 'activity': 'abc' is not a number",
        "Spark DataFrame, field 'activity': -5.0 is below the minimum 0 (1 more row like this)",
        "Spark DataFrame: 1 row repeats another (same commissioner_id, provider_id), e.g. a1, TA",
        "Spark DataFrame, field 'commissioner_id': 'QXX' is not an organisation of the model (2 rows; activity 10)",
        "Spark DataFrame, field 'commissioner_id': 'TA' is a NHSTrust, not a commissioner (1 row; activity 1)"]


def test_unknown_ids_skipped_say_how_many_rows_and_how_much(spark):
    rows = [*ROWS, ("QXX", "TA", "7", "S1", "10", "2026-04"), ("QXX", "TZZ", "3", "S1", "10", "2026-04")]
    network = cg.flow_network(_model(), spark.createDataFrame(rows, COLUMNS), "icb", DAY, unknown="skip")
    assert network.skipped.values.tolist() == [["commissioner_id", "QXX", None, 2, 10.0],
                                               ["provider_id", "TZZ", None, 1, 3.0]]
    assert cg.describe_skipped(network.skipped, "flows", "an organisation of the model")[0] == (
        "flows: skipped 2 rows of commissioner_id 'QXX' (activity 10): not an organisation of the model")
    assert_frame_equal(network.flows, cg.flow_network(_model(), PANDAS, "icb", DAY).flows)


def test_one_period_is_chosen_or_asked_for(spark):
    rows = [*ROWS, ("a1", "TA", "999", "S1", "10", "2026-03")]
    flows = spark.createDataFrame(rows, COLUMNS)
    with pytest.raises(ValidationError, match=r"2 periods \(2026-03, 2026-04\): flows are for one period"):
        cg.flow_network(_model(), flows, "icb", DAY)
    chosen = cg.flow_network(_model(), flows, "icb", DAY, period="2026-04")
    assert_frame_equal(chosen.flows, cg.flow_network(_model(), PANDAS, "icb", DAY).flows)
    with pytest.raises(ValidationError, match=r"no rows for period '2025-01' \(found: 2026-03, 2026-04\)"):
        cg.flow_network(_model(), flows, "icb", DAY, period="2025-01")
    with pytest.raises(ValidationError, match="field 'activity': no such column"):
        cg.flow_network(_model(), flows.drop("activity"), "icb", DAY)
    with pytest.raises(ArgumentError, match="money_shift takes a pandas flow table"):
        cg.money_shift(_model(), flows, DAY)


@pytest.mark.parametrize("day", ["2026-03-31", DAY], ids=["42-icbs", "36-icbs"])
def test_the_national_rtt_table_gives_what_pandas_gives(spark, day):
    graph, flows = cg.rtt_graph(), cg.rtt_flows()
    by_pandas = cg.flow_network(graph, flows, "icb", day)
    by_spark = cg.flow_network(graph, cg.spark_flow_table(spark, flows), "icb", day)
    assert_frame_equal(by_spark.flows, by_pandas.flows)
    assert_frame_equal(by_spark.containment(), by_pandas.containment())
    assert by_spark.containment().set_index("area_code").loc["ALL", "activity"] == 7_123_980  # the published total


def test_cli_engine_spark_prints_what_duckdb_prints(spark, capsys, tmp_path):
    args = ["flows", "crossboundary", "--rtt", "--top", "15", "--format", "csv", "--as-at", DAY]
    assert main(args) == 0
    by_pandas = capsys.readouterr().out
    assert main([*args, "--engine", "spark"]) == 0
    assert capsys.readouterr().out == by_pandas
    table = tmp_path / "flows.csv"
    table.write_text("commissioner_id,provider_id,activity\n36L,RJ7,-3\n36L,RJZ,x\n")
    assert main(["flows", "containment", str(table), "--engine", "spark"]) == 2
    assert [line for line in capsys.readouterr().err.splitlines() if "Spark DataFrame" in line] == [
        "caregraph: Spark DataFrame, field 'activity': 'x' is not a number",
        "caregraph: Spark DataFrame, field 'activity': -3.0 is below the minimum 0"]
    table.write_text("commissioner_id,provider,activity\n36L,RJ7,3\n")
    assert main(["flows", "containment", str(table), "--engine", "spark"]) == 2
    assert "flows.csv, row 1, field 'provider_id': missing column" in capsys.readouterr().err
    assert main(["flows", "containment", "--rtt", "--geography", "both", "--engine", "spark"]) == 2
    assert "compare_geographies takes a pandas flow table" in capsys.readouterr().err
