"""The numpy Student-t and normal functions against published table values."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scicity.assess.tdist import cdf, norm_cdf, quantile, t_cdf


@pytest.mark.parametrize(
    ("p", "nu", "expected"),
    [
        (0.9, 1, 3.0777),
        (0.9, 2, 1.8856),
        (0.9, 3, 1.6377),
        (0.9, 5, 1.4759),
        (0.9, 8, 1.3968),
        (0.975, 10, 2.2281),
        (0.995, 4, 4.6041),
        (0.9, None, 1.2816),
        (0.975, None, 1.9600),
    ],
)
def test_quantiles_match_tables(p, nu, expected):
    assert quantile(p, nu) == pytest.approx(expected, abs=1e-4)


def test_closed_forms():
    assert t_cdf(1.0, 1) == pytest.approx(0.75)  # Cauchy
    x = 1.3
    assert t_cdf(x, 2) == pytest.approx(0.5 + x / (2 * np.sqrt(2 + x * x)))
    assert norm_cdf(0.0) == 0.5 and t_cdf(0.0, 7) == 0.5


@given(st.floats(-50, 50), st.integers(1, 40))
@settings(max_examples=200, deadline=None)
def test_t_cdf_is_a_symmetric_distribution(x, nu):
    f = cdf(x, nu)
    assert 0.0 <= f <= 1.0
    assert f + cdf(-x, nu) == pytest.approx(1.0, abs=1e-12)
    assert cdf(x + 0.1, nu) >= f - 1e-12  # monotone up to rounding in the far tail


def test_large_df_approaches_normal():
    xs = np.linspace(-3, 3, 13)
    assert np.allclose(t_cdf(xs, 400), norm_cdf(xs), atol=1e-3)


def test_agrees_with_scipy_over_every_df_a_projection_uses():
    """scipy.special is the oracle of the hand-written functions, to 1e-15 in absolute terms (what a probability
    needs; far in a tail both are 0 or 1 to that precision). scipy stays out of the product's import path: it costs
    about 0.23 s CPU to import, against the start-up goal of issue 14, and gives no speed to the batch path."""
    special = pytest.importorskip("scipy.special")
    xs = np.concatenate([np.linspace(-40, 40, 401), [-1e6, -1e-9, 0.0, 1e-9, 1e6]])
    for nu in range(2, 61):
        assert np.abs(t_cdf(xs, nu) - special.stdtr(nu, xs)).max() < 1e-15, nu
        for p in (0.1, 0.5, 0.8, 0.9, 0.975):
            assert quantile(p, nu) == pytest.approx(float(special.stdtrit(nu, p)), rel=1e-10, abs=1e-12), (nu, p)
    # one df (Cauchy): the closed form 1/2 + atan(x)/pi; scipy's stdtr loses digits near 0 there (3e-10 at 1e-9)
    assert np.abs(t_cdf(xs, 1) - (0.5 + np.arctan(xs) / np.pi)).max() < 1e-15
    assert np.abs(t_cdf(xs, 1) - special.stdtr(1, xs)).max() < 1e-9
    nus = np.arange(1, len(xs) + 1) % 17 + 2  # one df per element, as the batch path passes them
    assert np.abs(t_cdf(xs, nus) - special.stdtr(nus, xs)).max() < 1e-15
    assert np.abs(norm_cdf(xs) - special.ndtr(xs)).max() < 1e-15
    assert quantile(0.9, None) == pytest.approx(float(special.ndtri(0.9)), rel=1e-12)
