"""Charts of the last 24 months (matplotlib, Agg, PNG in memory). No pyplot: no global state."""

from __future__ import annotations

import io
from datetime import date

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .tables import Extract, format_de

# Okabe–Ito: distinguishable with colour-vision deficiencies and in greyscale print
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
MONTH_ABBR = ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez")
DPI = 150
FONT = {"family": "DejaVu Sans", "size": 8}


def _month_labels(months: list[date]) -> list[str]:
    return [
        f"{MONTH_ABBR[m.month - 1]}\n{m.year}"
        if (m.month == 1 or i == 0)
        else MONTH_ABBR[m.month - 1]
        for i, m in enumerate(months)
    ]


def _german_axis(ax, decimals: int = 0) -> None:
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: format_de(v, decimals)))
    ax.yaxis.set_major_locator(MaxNLocator(integer=decimals == 0, nbins=5))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def _figure(height: float = 3.4, bottom: float = 0.5, top: float = 0.1) -> Figure:
    """A 7-inch-wide figure with fixed margins (inches): no layout engine, one draw."""
    fig = Figure(figsize=(7.0, height))
    fig.subplots_adjust(
        left=0.7 / 7.0,
        right=1 - 0.1 / 7.0,
        bottom=bottom / height,
        top=1 - top / height,
        hspace=0.12,
    )
    return fig


def _apply_font(fig: Figure) -> None:
    for text in fig.findobj(lambda o: hasattr(o, "set_fontfamily")):
        text.set_fontfamily(FONT["family"])


def _stacked_bars(ax, months, series: dict[str, list[float]], labels: dict[str, str]) -> None:
    x = range(len(months))
    bottom = [0.0] * len(months)
    for i, (key, values) in enumerate(series.items()):
        ax.bar(
            x,
            values,
            bottom=bottom,
            width=0.75,
            color=PALETTE[i % len(PALETTE)],
            label=labels.get(key, key),
        )
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_xticks(list(x), _month_labels(months), fontsize=7)
    ax.set_xlim(-0.6, len(months) - 0.4)


def new_projects_chart(ex: Extract) -> bytes:
    f = ex.figures
    names = dict(f.clusters)
    fig = _figure(3.6, bottom=1.0)
    ax = fig.add_subplot()
    series = {c: f.new_projects_by_cluster.get(c, [0] * len(f.chart_months)) for c, _ in f.clusters}
    _stacked_bars(ax, f.chart_months, series, names)
    _german_axis(ax)
    ax.set_ylabel("Neue Projekte", fontsize=8)
    ax.legend(fontsize=7, ncols=3, loc="upper center", bbox_to_anchor=(0.5, -0.16), frameon=False)
    _apply_font(fig)
    return _png(fig)


def settlements_chart(ex: Extract) -> bytes:
    f = ex.figures
    fig = _figure(4.6)
    ax1, ax2 = fig.subplots(2, 1, sharex=True, height_ratios=(1, 1))
    _stacked_bars(ax1, f.chart_months, f.settlements_by_area, {})
    _german_axis(ax1)
    ax1.set_ylim(0, max([sum(v) for v in zip(*f.settlements_by_area.values())] + [1]) * 1.25)
    ax1.set_ylabel("Ansiedlungen", fontsize=8)
    ax1.legend(fontsize=7, ncols=4, loc="upper left", frameon=False)
    ax1.tick_params(labelbottom=False)

    x = list(range(len(f.chart_months)))
    values = [v if v is not None else 0 for v in ex.jobs_series]
    ax2.bar(x, values, width=0.75, color="#4D4D4D", label="Neue Arbeitsplätze (Region)")
    top = max(values + [1])
    for i, hidden in enumerate(ex.jobs_hidden):
        if hidden:
            ax2.text(i, 0, "•", ha="center", va="bottom", fontsize=20, color="#D55E00")
    ax2.set_xticks(x, _month_labels(f.chart_months), fontsize=7)
    ax2.set_xlim(-0.6, len(x) - 0.4)
    _german_axis(ax2)
    ax2.set_ylim(0, top * 1.15)
    ax2.set_ylabel("Neue Arbeitsplätze", fontsize=8)
    _apply_font(fig)
    return _png(fig)


def free_land_chart(ex: Extract) -> bytes:
    f = ex.figures
    fig = _figure(3.0)
    ax = fig.add_subplot()
    x = list(range(len(f.chart_months)))
    for i, (area, values) in enumerate(f.free_ha_by_area.items()):
        ys = [float(v) if v is not None else float("nan") for v in values]
        ax.plot(
            x,
            ys,
            marker="o",
            markersize=2.5,
            linewidth=1.6,
            color=PALETTE[i % len(PALETTE)],
            label=area,
        )
    ax.set_xticks(x, _month_labels(f.chart_months), fontsize=7)
    ax.set_xlim(-0.6, len(x) - 0.4)
    ax.set_ylim(bottom=0)
    _german_axis(ax)
    ax.set_ylabel("Freie Fläche (ha)", fontsize=8)
    if f.free_ha_by_area:
        ax.legend(fontsize=7, ncols=3, loc="lower left", frameon=False)
    _apply_font(fig)
    return _png(fig)
