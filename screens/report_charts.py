"""F6's charts, drawn in the terminal with textual-plotext: ranking bars, a bar per district, and twelve months
of volume and of the three rates. Each takes plain values (from the facade's analysis).

Plotext counts every character as one column, so a Chinese label or title inside the plot breaks its frame
(measured: the bars wrapped onto the next line). The plot itself therefore holds only digits and ASCII: bars
are numbered, and the title and a legend (number → name, colour → rate) are Textual text above and below it,
where Chinese is laid out right. A chart with nothing to draw says so in its title.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

EMPTY = " (无数据)"
RATE_COLORS = ("blue", "green", "magenta")  # plotext and Rich both know these names


class Chart(Vertical):
    """A title, a plot and a legend."""

    DEFAULT_CSS = """
    Chart { height: auto; margin-bottom: 1; }
    Chart > .chart-title { height: 1; padding: 0 1; text-style: bold; }
    Chart > PlotextPlot { height: 11; }
    Chart > .chart-legend { height: auto; padding: 0 1; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", classes="chart-title")
        yield PlotextPlot()
        yield Static("", classes="chart-legend")

    @property
    def plot(self) -> PlotextPlot:
        return self.query_one(PlotextPlot)

    def _start(self, title: str, empty: bool):
        self.query_one(".chart-title", Static).update(title + (EMPTY if empty else ""))
        plt = self.plot.plt
        plt.clear_data()
        plt.clear_figure()
        return plt

    def waiting(self, title: str) -> None:
        """Nothing drawn yet: the figures are still being worked out."""
        self._start(title + " (计算中…)", False)
        self._legend("")
        self._done()

    def _legend(self, text: Text | str) -> None:
        self.query_one(".chart-legend", Static).update(text)

    def _done(self) -> None:
        self.plot.refresh()


def numbered_legend(items: list[tuple[str, int]]) -> str:
    return "  ".join(f"{i} {name} {value:,}" for i, (name, value) in enumerate(items, 1))


class RankingBars(Chart):
    """Horizontal bars, largest on top, numbered: the month's top categories or keywords."""

    def show(self, title: str, items: list[tuple[str, int]]) -> None:
        plt = self._start(title, not items)
        if items:
            labels = [str(i) for i in range(1, len(items) + 1)]
            plt.bar(labels[::-1], [v for _, v in items][::-1], orientation="horizontal", width=0.6)
        self._legend(numbered_legend(items))
        self._done()


class DistrictBars(Chart):
    """One bar per district, numbered in the table's order: the month's requests."""

    def show(self, title: str, items: list[tuple[str, int]]) -> None:
        plt = self._start(title, not any(v for _, v in items))
        if items:
            plt.bar([str(i) for i in range(1, len(items) + 1)], [v for _, v in items], width=0.6)
        self._legend(numbered_legend(items))
        self._done()


class TrendLines(Chart):
    """Twelve months: the volume, or the three rates in percent (a month whose denominator is 0 is left out)."""

    def show_volume(self, title: str, months: list[str], tickets: list[int]) -> None:
        plt = self._start(title, not any(tickets))
        if months:
            xs = list(range(1, len(months) + 1))
            plt.plot(xs, tickets, marker="braille", color=RATE_COLORS[0])
            plt.xticks(xs, [m[5:] for m in months])
        self._legend(f"{months[0]} … {months[-1]}" if months else "")
        self._done()

    def show_rates(self, title: str, months: list[str], rates: dict[str, list[float | None]]) -> None:
        drawn = [(label, values) for label, values in rates.items() if any(v is not None for v in values)]
        plt = self._start(title, not drawn)
        xs_all = list(range(1, len(months) + 1))
        legend = Text()
        for (label, values), color in zip(rates.items(), RATE_COLORS):
            points = [(x, v * 100) for x, v in zip(xs_all, values) if v is not None]
            if points:
                plt.plot([p[0] for p in points], [p[1] for p in points], marker="braille", color=color)
            legend.append("━━ ", style=color)
            legend.append(f"{label}  ")
        if months:
            plt.xticks(xs_all, [m[5:] for m in months])
        lows = [v * 100 for _, values in drawn for v in values if v is not None]
        if lows:
            plt.ylim(max(0.0, min(lows) - 5), 100)
        self._legend(legend)
        self._done()
