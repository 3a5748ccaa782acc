"""F6's analysis tab (AnalysisView) mounted in a tiny app at 80×24 and 120×40: the month's summary is on
screen, the five charts are mounted and drawn, the keys scroll down to the tables (whose figures are the
report's), an empty month says so without failing, and the canary phone number is nowhere on screen."""

from __future__ import annotations

import html
import re

import pytest
from textual.app import App, ComposeResult
from textual_plotext import PlotextPlot

from screens.report_analysis import AnalysisView
from screens.report_charts import Chart
from tests import analysiskit as kit
from tests.pilotkit import pilot

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    fx = kit.build(tmp_path_factory.mktemp("analysis-view"))
    return {m: fx.desk.analysis(m) for m in (kit.MONTH, kit.EMPTY_MONTH)}


class Tiny(App):
    def __init__(self, result):
        super().__init__()
        self.result = result

    def compose(self) -> ComposeResult:
        yield AnalysisView()

    def on_mount(self) -> None:
        self.query_one(AnalysisView).show(self.result)
        self.query_one(AnalysisView).focus()


def screen_text(app) -> str:
    """The screen's text, row by row, from its SVG picture."""
    rows: dict[float, list] = {}
    for m in re.finditer(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', app.export_screenshot()):
        rows.setdefault(float(m.group(2)), []).append((float(m.group(1)), html.unescape(m.group(3))))
    return "\n".join("".join(t for _, t in sorted(r)).replace("\xa0", " ") for _, r in sorted(rows.items()))


@SIZES
@pilot
async def test_the_month_on_screen_with_its_charts(results, size):
    a = results[kit.MONTH]
    app = Tiny(a)
    async with app.run_test(size=size) as p:
        await p.pause()
        text = screen_text(app)
        assert f"{kit.MONTH} 决策参考" in text and f"诉求 {a['tickets']:,} 件" in text.replace(" ", " ")
        charts = list(app.query(Chart))
        assert len(charts) == 5
        for chart in charts:
            plot = chart.query_one(PlotextPlot)
            assert plot.size.width > 20 and plot.size.height > 5
        assert "市北区" in text and kit.CANARY not in text  # the district bars' legend, first on screen
        await p.press("end")
        await p.pause()
        text = screen_text(app)
        assert "近十二个月诉求量与三率" in text and a["trend"][-1]["month"] in text
        assert kit.CANARY not in text
        assert app.query_one(AnalysisView).max_scroll_y > 0 and app.query_one(AnalysisView).scroll_y > 0


@SIZES
@pilot
async def test_an_empty_month_says_so(results, size):
    app = Tiny(results[kit.EMPTY_MONTH])
    async with app.run_test(size=size) as p:
        await p.pause()
        text = screen_text(app)
        assert f"{kit.EMPTY_MONTH} 没有登记的诉求" in text and "(无数据)" in text
        await p.press("end")
        await p.pause()
        text = screen_text(app)
        assert re.search(kit.EMPTY_MONTH + r"\s*│\s*0\s*│\s*—", text)  # June: 0 requests, rates without denominator: —


@pilot
async def test_an_error_is_shown_as_one_line():
    class Bare(App):
        def compose(self) -> ComposeResult:
            yield AnalysisView()

    app = Bare()
    async with app.run_test(size=(80, 24)) as p:
        app.query_one(AnalysisView).show_error("2027-01 is in the future")
        await p.pause()
        assert "2027-01 is in the future" in screen_text(app)


@pilot
async def test_the_trend_may_come_after_the_rest(results):
    a = results[kit.MONTH]
    app = Tiny({**a, "trend": None})
    async with app.run_test(size=(80, 24)) as p:
        await p.pause()
        view = app.query_one(AnalysisView)
        titles = [str(c.query_one(".chart-title").render()) for c in app.query(Chart)]
        assert sum("计算中" in t for t in titles) == 2
        view.show_trend(a["trend"])
        await p.pause()
        titles = [str(c.query_one(".chart-title").render()) for c in app.query(Chart)]
        assert not any("计算中" in t for t in titles)
        await p.press("end")
        await p.pause()
        assert a["trend"][0]["month"] in screen_text(app) or a["trend"][-1]["month"] in screen_text(app)


@pilot
async def test_load_asks_the_desk_in_a_worker(tmp_path):
    """``load`` shows the month, then its trend, from the facade; a refused month is its one line."""
    from tests.pilotkit import workers_done

    fx = kit.build(tmp_path)

    class Bare(App):
        def compose(self) -> ComposeResult:
            yield AnalysisView()

    app = Bare()
    async with app.run_test(size=(120, 40)) as p:
        view = app.query_one(AnalysisView)
        view.load(fx.desk, kit.MONTH)
        await workers_done(app)
        await p.pause()
        assert view.result["tickets"] == fx.desk.analysis(kit.MONTH)["tickets"]
        assert view.result["trend"] == fx.desk.analysis_trend(kit.MONTH)
        assert f"诉求 {view.result['tickets']:,} 件" in screen_text(app)
        view.load(fx.desk, "2999-01")
        await workers_done(app)
        await p.pause()
        assert "2999-01 is in the future" in screen_text(app)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pilot
async def test_f6s_analysis_tab_shows_the_month(tmp_path, size):
    """On the desk: F6, then 4 (决策参考), shows the month F6 is on (the last finished one), trend included."""
    from hotline_tui.app import HotlineApp
    from screens.reports import ReportsScreen
    from tests.deskkit import Clock, china_ms, shipped_desk
    from tests.pilotkit import settle

    kit.build(tmp_path).desk.store.close()
    desk = shipped_desk(tmp_path, Clock(china_ms(*kit.NOW)), role="supervisor")
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=size) as p:
        await settle(app, p)
        await p.press("f6")
        for _ in range(3):
            await settle(app, p)
        assert isinstance(app.screen, ReportsScreen) and app.screen.month == kit.MONTH
        await p.press("4")
        for _ in range(3):
            await settle(app, p)
        view = app.screen.query_one(AnalysisView)
        assert view.result["month"] == kit.MONTH and view.result["trend"] == desk.analysis_trend(kit.MONTH)
        text = "\n".join(s.text for s in app.screen._compositor.render_strips())
        assert f"{kit.MONTH} 决策参考" in text and kit.CANARY not in text
