"""The registry is a real extension point: a third-party method is used like a built-in."""

from __future__ import annotations

import pytest

from scicity.assess import Status, Verdict, assess, assess_all, get_method, methods, register_method, unregister_method
from scicity.assess.formatting import fmt

from .helpers import points, spec


def halfway(case, options):
    """A toy method: on_track when at least half-way to the target."""
    share = (case.yc - case.y0) / (case.aim - case.y0)
    ok = share >= (options or 0.5)
    return Verdict(
        Status.ON_TRACK if ok else Status.OFF_TRACK,
        "half-way" if ok else "not half-way",
        f"{fmt(100 * share)} % of the way.",
        "share = (yc - y0) / (yT - y0)",
        inputs={"share": share},
    )


@pytest.fixture
def toy():
    register_method("halfway", halfway, description="toy", native_labels=("half-way", "not half-way"), default_options=0.5)
    yield "halfway"
    unregister_method("halfway")


def test_third_party_method_joins_every_entry_point(toy):
    assert methods()[0] == "projection" and methods()[-1] == "halfway"
    a = assess(points(4.5, 4.65, 4.85, 5.0), spec(">", 5.5), "halfway")
    assert (a.status, a.native_label, a.explanation.inputs["share"]) == (Status.ON_TRACK, "half-way", 0.5)
    assert a.required_yearly_change == pytest.approx(0.25)  # method-independent numbers come for free
    assert "halfway" in assess_all(points(4.5, 4.6), spec(">", 5.5))
    # guards are applied by the framework, with the default guard labels
    assert assess([(2020, 4.5)], spec(), "halfway").native_label == "insufficient data"
    assert get_method("halfway").native_labels[:2] == ("half-way", "not half-way")


def test_registry_refuses_mistakes(toy):
    with pytest.raises(ValueError, match="already registered"):
        register_method("halfway", halfway)
    with pytest.raises(ValueError, match="lower-case"):
        register_method("Half Way", halfway)
    with pytest.raises(TypeError, match="callable"):
        register_method("broken", "not a function")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown guard label"):
        register_method("odd", halfway, guard_labels={"won": "yay"})
    with pytest.raises(KeyError, match="known methods: projection"):
        assess(points(1, 2), spec(), "nope")


def test_method_must_return_a_verdict():
    register_method("sloppy", lambda case, options: "on track")
    try:
        with pytest.raises(TypeError, match="expected Verdict"):
            assess(points(1, 2), spec(), "sloppy")
    finally:
        unregister_method("sloppy")


def test_builtins_can_be_replaced_and_restored():
    original = get_method("escap")
    register_method("escap", halfway, replace=True, native_labels=("half-way", "not half-way"))
    try:
        assert assess(points(4.5, 5.0), spec(), "escap").native_label == "half-way"
    finally:
        register_method(
            "escap", original.fn, batch_fn=original.batch_fn, description=original.description,
            native_labels=original.native_labels, guard_labels=original.guard_labels,
            default_options=original.default_options, title=original.title, replace=True,
        )
    assert get_method("escap") == original
