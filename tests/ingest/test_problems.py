"""Locations read like a person would say them; a rejection lists its problems."""

from __future__ import annotations

from scicity.ingest.problems import ImportRejected, Location, Problem, ProblemLog


def test_location_names_file_sheet_row_column():
    assert str(Location("data.xlsx", "Talent", 7, "value")) == "data.xlsx, sheet 'Talent', row 7, column 'value'"
    assert str(Location("data.csv", row=3)) == "data.csv, row 3"
    assert str(Location("data.csv")) == "data.csv"


def test_problem_reads_location_then_message():
    p = Problem(Location("d.csv", row=2, column="period"), "write 2023", value="2023年", field="period")
    assert str(p) == "d.csv, row 2, column 'period': write 2023"


def test_rejection_counts_and_lists_the_first_fifty():
    problems = [Problem(Location("d.csv", row=i), f"bad {i}") for i in range(2, 62)]
    exc = ImportRejected(problems, "d.csv")
    text = str(exc)
    assert text.startswith("d.csv: 60 problems; nothing was imported.")
    assert "d.csv, row 51: bad 51" in text
    assert "row 52:" not in text
    assert "… and 10 more." in text


def test_log_keeps_a_cap_and_counts_the_rest():
    log = ProblemLog("d.csv", cap=3)
    for i in range(5):
        log.report(Location("d.csv", row=i + 2), "bad")
    assert len(log.problems) == 3 and log.omitted == 2 and len(log) == 5
    try:
        log.raise_if_any()
    except ImportRejected as exc:
        assert exc.total == 5
        assert str(exc).startswith("d.csv: 5 problems")
        assert "… and 2 more." in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected ImportRejected")


def test_one_problem_is_singular():
    assert str(ImportRejected([Problem(Location("d.csv"), "empty")], "d.csv")).startswith("d.csv: 1 problem;")
