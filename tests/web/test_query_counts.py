"""Pages read with a fixed number of queries, whatever the number of series, periods or departments."""

from __future__ import annotations

from tests.queries import selects_from, statements


def test_the_indicator_page_reads_the_observations_of_every_series_and_period_in_one_query(client_for) -> None:  # noqa: ANN001
    client = client_for("analyst")
    client.get("/")  # judge the plan first: the status read is not what is counted here
    with statements() as seen:
        page = client.get("/indicators/rd_intensity")  # a formula of three series over the plan's years
    assert page.status_code == 200
    assert page.text.count("<tr") > 10, "the page should list many observations"
    reads = selects_from(seen, "observations")
    assert len(reads) == 1, f"{len(reads)} queries on observations: {reads[:3]}"


def test_the_admin_page_reads_departments_and_their_indicators_in_one_query(client_for) -> None:  # noqa: ANN001
    admin = client_for("admin")

    with statements() as seen:
        page = admin.get("/admin")
    assert page.status_code == 200
    reads = selects_from(seen, "departments") + selects_from(seen, "department_indicators")
    assert len(reads) == 1, f"{len(reads)} queries on departments: {reads}"
