"""Demand models on plain arrays: no ORM, no clock.

A *panel* is one count series per key over consecutive local days: per service
(bookings of the service a day) or per (category, hour) (hours of masters'
work in that hour). The models forecast the next `horizon` days from an
origin, directly (one model for every horizon, no recursion):

- `seasonal_naive`: the same weekday in the last open week before the origin;
- `seasonal_mean`: the mean of the same weekday over the 8 weeks before it;
- `gbm`: scikit-learn's HistGradientBoostingRegressor with a Poisson loss,
  pooled over the keys, on the weekday, the week of the year, public holidays
  and closures nearby, the horizon, recent levels (28 days, same weekday over
  8 weeks, the seasonal-naive value) and the price relative to the recent one.

`backtest` runs rolling origins (each fold fits only on days before its
origin) and scores each method by WAPE; `fit_and_forecast` fits the chosen
method on everything and forecasts with an 80% interval whose width comes from
the backtest's own errors (scaled residuals, conformal style), so its coverage
is measured, not assumed.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from scipy.stats import poisson  # type: ignore[import-untyped]
from sklearn.ensemble import HistGradientBoostingRegressor  # type: ignore[import-untyped]
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

HORIZON = 28
WEEKS_OF_LEVEL = 8
MIN_DAYS_FOR_MODEL = 10 * 7  # below this, no backtest can be run: a baseline is used
MIN_DAYS_AT_ALL = 14  # below this, nothing is forecast
INTERVAL = (0.1, 0.9)  # an 80% prediction interval
METHODS = ("gbm", "seasonal_naive", "seasonal_mean")


@dataclass
class Panel:
    """Counts per key (rows) and consecutive local day (columns)."""

    keys: list
    days: list[date]
    y: np.ndarray  # (keys, days) float, observed counts (0 on closed days)
    closed: np.ndarray  # (days,) bool, known closures (holidays, no opening hours)
    holiday: np.ndarray  # (days,) bool, public holidays
    price: np.ndarray | None = None  # (keys, days) price paid that day (nan: none)
    attributes: np.ndarray | None = None  # (keys, a) ints: categorical codes, hour…
    future_closed: np.ndarray | None = None  # (horizon,) closures ahead of the last day
    future_holiday: np.ndarray | None = None
    future_price: np.ndarray | None = None  # (keys,) the current price

    @property
    def n_keys(self) -> int:
        return self.y.shape[0]

    @property
    def n_days(self) -> int:
        return self.y.shape[1]


@dataclass
class Scores:
    wape: dict[str, float]
    folds: int
    train_rows: int
    test_rows: int
    coverage: float | None  # of the chosen method's 80% interval on the last fold
    poisson_coverage: float | None  # of a plain Poisson 80% interval around the same forecast
    width: float | None  # mean interval width relative to the mean forecast
    quantiles: tuple[float, float]  # scaled-residual quantiles for the intervals
    per_fold: list[dict] = field(default_factory=list)

    @property
    def best(self) -> str:
        return min(self.wape, key=lambda m: (self.wape[m], METHODS.index(m)))


# ------------------------------------------------------------------ features


def _calendar(days: list[date]) -> tuple[np.ndarray, np.ndarray]:
    weekday = np.array([d.weekday() for d in days])
    week = np.array([d.isocalendar()[1] for d in days])
    return weekday, week


def _near(flags: np.ndarray, reach: int = 3) -> np.ndarray:
    """Days within `reach` days of a flagged day (not the day itself)."""
    out = np.zeros_like(flags, dtype=bool)
    index = np.flatnonzero(flags)
    for shift in range(1, reach + 1):
        for i in index:
            for j in (i - shift, i + shift):
                if 0 <= j < len(flags):
                    out[j] = True
    return out & ~flags


class _Extended:
    """The panel's days followed by `horizon` future days (counts unknown)."""

    def __init__(self, panel: Panel, horizon: int):
        n, extra = panel.n_days, horizon
        self.n = n
        self.days = panel.days + [panel.days[-1] + timedelta(days=i + 1) for i in range(extra)]
        closed = np.zeros(n + extra, dtype=bool)
        closed[:n] = panel.closed
        holiday = np.zeros(n + extra, dtype=bool)
        holiday[:n] = panel.holiday
        if panel.future_closed is not None:
            closed[n:] = panel.future_closed[:extra]
        if panel.future_holiday is not None:
            holiday[n:] = panel.future_holiday[:extra]
        self.closed, self.holiday = closed, holiday
        self.near = _near(closed | holiday)
        self.weekday, self.week = _calendar(self.days)
        y = np.full((panel.n_keys, n + extra), np.nan)
        y[:, :n] = panel.y
        y[:, closed] = np.nan  # a closed day says nothing about demand
        self.y = y
        # Without prices (hours of work), a constant price: the price features are 0.
        price = np.full((panel.n_keys, n + extra), np.nan if panel.price is not None else 1.0)
        if panel.price is not None:
            price[:, :n] = panel.price
            # Carry the last known price forward over days without a booking.
            for k in range(panel.n_keys):
                last = np.nan
                for t in range(n):
                    if np.isnan(price[k, t]):
                        price[k, t] = last
                    else:
                        last = price[k, t]
            future = panel.future_price if panel.future_price is not None else price[:, n - 1]
            price[:, n:] = np.asarray(future, dtype=float)[:, None]
        self.price = price
        self.attributes = (
            panel.attributes
            if panel.attributes is not None
            else np.arange(panel.n_keys).reshape(-1, 1)
        )


def _naive_at(ext: _Extended, origin: int, t: int) -> np.ndarray:
    """Seasonal naive for day t from `origin`: the same weekday in the last
    week before the origin that was open (nan when none)."""
    back = 7 * math.ceil((t - origin + 1) / 7)
    source = t - back
    while source >= 0 and ext.closed[source]:
        source -= 7
    if source < 0:
        return np.full(ext.y.shape[0], np.nan)
    return ext.y[:, source]


def _window_means(ext: _Extended, origin: int) -> tuple[np.ndarray, np.ndarray]:
    """(keys,) mean over the 28 days before `origin` and (keys, 7) mean per
    weekday over the 8 weeks before it, open days only."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        level = np.nanmean(ext.y[:, max(0, origin - 28) : origin], axis=1)
        start = max(0, origin - 7 * WEEKS_OF_LEVEL)
        by_weekday = np.full((ext.y.shape[0], 7), np.nan)
        for wd in range(7):
            cols = [t for t in range(start, origin) if ext.weekday[t] == wd]
            if cols:
                by_weekday[:, wd] = np.nanmean(ext.y[:, cols], axis=1)
    return level, by_weekday


def _rows(ext: _Extended, origin: int, horizon: int, last: int):
    """Feature rows for target days origin … min(origin+horizon, last)-1 that are
    open: (X, y, naive, mean, key index, day index)."""
    level, by_weekday = _window_means(ext, origin)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        recent_price = np.nanmedian(ext.price[:, max(0, origin - 28) : origin], axis=1)
    blocks, targets, naives, means, keys, ts = [], [], [], [], [], []
    n_keys = ext.y.shape[0]
    key_index = np.arange(n_keys)
    for t in range(origin, min(origin + horizon, last)):
        if ext.closed[t]:
            continue
        naive = _naive_at(ext, origin, t)
        mean = by_weekday[:, ext.weekday[t]]
        with np.errstate(divide="ignore", invalid="ignore"):
            price_ratio = np.log(ext.price[:, t] / recent_price)
        block = np.column_stack(
            [
                ext.attributes,
                np.full(n_keys, ext.weekday[t]),
                np.full(n_keys, ext.week[t]),
                np.full(n_keys, float(ext.holiday[t])),
                np.full(n_keys, float(ext.near[t])),
                np.full(n_keys, t - origin),
                level,
                mean,
                naive,
                price_ratio,
                np.log(ext.price[:, t]),
            ]
        )
        blocks.append(block)
        targets.append(ext.y[:, t])
        naives.append(naive)
        means.append(mean)
        keys.append(key_index)
        ts.append(np.full(n_keys, t))
    if not blocks:
        empty = np.empty((0,))
        return np.empty((0, ext.attributes.shape[1] + 10)), empty, empty, empty, empty, empty
    return (
        np.vstack(blocks),
        np.concatenate(targets),
        np.concatenate(naives),
        np.concatenate(means),
        np.concatenate(keys),
        np.concatenate(ts),
    )


def _training(ext: _Extended, until: int, horizon: int, step: int):
    """Rows of every training origin whose targets are all before `until`."""
    first = 7 * WEEKS_OF_LEVEL
    xs, ys = [], []
    for origin in range(until - horizon, first - 1, -step):
        X, y, *_rest = _rows(ext, origin, horizon, until)
        keep = ~np.isnan(y)
        xs.append(X[keep])
        ys.append(y[keep])
    if not xs:
        return np.empty((0, ext.attributes.shape[1] + 10)), np.empty((0,))
    return np.vstack(xs), np.concatenate(ys)


def _model(n_attributes: int, categorical: tuple[bool, ...]) -> HistGradientBoostingRegressor:
    mask = list(categorical) + [True] + [False] * 9  # the weekday is categorical
    assert len(mask) == n_attributes + 10
    return HistGradientBoostingRegressor(
        loss="poisson",
        learning_rate=0.08,
        max_iter=200,
        max_leaf_nodes=15,
        min_samples_leaf=40,
        l2_regularization=1.0,
        categorical_features=mask,
        random_state=0,
    )


def _fallback(naive: np.ndarray, mean: np.ndarray) -> np.ndarray:
    out = np.where(np.isnan(mean), naive, mean)
    return np.nan_to_num(out, nan=0.0)


def _predict(method, model, X, naive, mean) -> np.ndarray:
    if method == "seasonal_naive":
        return np.where(np.isnan(naive), _fallback(naive, mean), naive)
    if method == "seasonal_mean":
        return _fallback(naive, mean)
    return np.clip(model.predict(X), 0, None)


def wape(actual: np.ndarray, forecast: np.ndarray) -> float:
    total = float(np.sum(actual))
    if total <= 0:
        return float("nan")
    return float(np.sum(np.abs(actual - forecast)) / total)


def _scaled(actual, forecast):
    return (actual - forecast) / np.sqrt(forecast + 0.5)


def _one_thread(function):
    """Fit on one thread: on a busy machine OpenMP's threads wait on each other
    (a backtest measured 137 s on two loaded cores with threads, 5 s without)."""

    def wrapper(*args, **kwargs):
        with threadpool_limits(1):
            return function(*args, **kwargs)

    wrapper.__doc__ = function.__doc__
    wrapper.__name__ = function.__name__
    return wrapper


@_one_thread
def backtest(
    panel: Panel,
    *,
    categorical: tuple[bool, ...] = (True,),
    horizon: int = HORIZON,
    folds: int = 4,
    step: int = 7,
    groups: np.ndarray | None = None,
) -> Scores | None:
    """Rolling-origin backtest: `folds` origins `horizon` days apart at the end
    of the history; each fold fits on the days before its origin only.

    `groups` (one group per key) scores WAPE on the sums per group and day
    instead of per key: hours of work are forecast per (category, hour) for
    staffing, and scored per location × hour."""
    ext = _Extended(panel, 0)
    n = panel.n_days
    folds = min(folds, (n - MIN_DAYS_FOR_MODEL) // horizon)
    if folds < 1:
        return None
    errors: dict[str, list[tuple[float, float]]] = {m: [] for m in METHODS}
    residuals: dict[str, list[np.ndarray]] = {m: [] for m in METHODS}
    per_fold, train_rows, test_rows = [], 0, 0
    last_fold: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for f in range(folds, 0, -1):
        origin = n - f * horizon
        X_train, y_train = _training(ext, origin, horizon, step)
        X, y, naive, mean, keys, ts = _rows(ext, origin, horizon, origin + horizon)
        keep = ~np.isnan(y)
        X, y, naive, mean = X[keep], y[keep], naive[keep], mean[keep]
        cells = None
        if groups is not None:
            # One cell per (group, day): WAPE on the sums of the keys of a group.
            cell_keys = groups[keys[keep].astype(int)] * (len(ext.days) + 1) + ts[keep].astype(int)
            _unique, cells = np.unique(cell_keys, return_inverse=True)
        model = None
        if len(y_train):
            model = _model(ext.attributes.shape[1], categorical).fit(X_train, y_train)
        fold = {"origin": panel.days[origin].isoformat(), "train_rows": len(y_train)}
        for method in METHODS:
            if method == "gbm" and model is None:
                continue
            forecast = _predict(method, model, X, naive, mean)
            scored_y, scored_f = y, forecast
            if cells is not None:
                scored_y = np.bincount(cells, weights=y)
                scored_f = np.bincount(cells, weights=forecast)
            errors[method].append(
                (float(np.sum(np.abs(scored_y - scored_f))), float(np.sum(scored_y)))
            )
            fold[method] = wape(scored_y, scored_f)
            if f > 1:
                residuals[method].append(_scaled(y, forecast))
            else:
                last_fold[method] = (y, forecast)
        per_fold.append(fold)
        train_rows = max(train_rows, len(y_train))
        test_rows += len(y)
    scores = {
        m: sum(e for e, _ in errs) / max(sum(t for _, t in errs), 1e-9)
        for m, errs in errors.items()
        if errs
    }
    result = Scores(
        wape=scores,
        folds=folds,
        train_rows=train_rows,
        test_rows=test_rows,
        coverage=None,
        poisson_coverage=None,
        width=None,
        quantiles=(-1.28, 1.28),
        per_fold=per_fold,
    )
    best = result.best
    calibration = residuals[best]
    if calibration:
        pooled = np.concatenate(calibration)
        q = (float(np.quantile(pooled, INTERVAL[0])), float(np.quantile(pooled, INTERVAL[1])))
        y, forecast = last_fold[best]
        lo, hi = interval(forecast, q)
        result.coverage = float(np.mean((y >= lo) & (y <= hi))) if len(y) else None
        p_lo, p_hi = poisson.ppf(INTERVAL[0], forecast), poisson.ppf(INTERVAL[1], forecast)
        result.poisson_coverage = float(np.mean((y >= p_lo) & (y <= p_hi))) if len(y) else None
        result.width = float(np.mean(hi - lo) / max(np.mean(forecast), 1e-9)) if len(y) else None
        # The intervals used from now on learn from every fold, the last one too.
        pooled = np.concatenate([*calibration, _scaled(*last_fold[best])])
        result.quantiles = (
            float(np.quantile(pooled, INTERVAL[0])),
            float(np.quantile(pooled, INTERVAL[1])),
        )
    return result


def interval(forecast: np.ndarray, quantiles: tuple[float, float]):
    spread = np.sqrt(forecast + 0.5)
    lo = np.clip(forecast + quantiles[0] * spread, 0, None)
    hi = np.clip(forecast + quantiles[1] * spread, 0, None)
    return np.minimum(lo, forecast), np.maximum(hi, forecast)


@dataclass
class Forecast:
    method: str
    days: list[date]  # the forecast days (closed ones included, at 0)
    mean: np.ndarray  # (keys, horizon)
    lo: np.ndarray
    hi: np.ndarray


@_one_thread
def fit_and_forecast(
    panel: Panel,
    *,
    method: str,
    quantiles: tuple[float, float],
    categorical: tuple[bool, ...] = (True,),
    horizon: int = HORIZON,
    step: int = 7,
) -> Forecast:
    """Fit `method` on the whole history and forecast the next `horizon` days."""
    ext = _Extended(panel, horizon)
    n = panel.n_days
    model = None
    if method == "gbm":
        X_train, y_train = _training(ext, n, horizon, step)
        model = _model(ext.attributes.shape[1], categorical).fit(X_train, y_train)
    mean = np.zeros((panel.n_keys, horizon))
    X, _y, naive, means, keys, ts = _rows(ext, n, horizon, n + horizon)
    if len(keys):
        values = _predict(method, model, X, naive, means)
        mean[keys.astype(int), ts.astype(int) - n] = values
    lo, hi = interval(mean, quantiles)
    closed = ext.closed[n:]
    lo[:, closed] = hi[:, closed] = 0
    return Forecast(method=method, days=ext.days[n:], mean=mean, lo=lo, hi=hi)
