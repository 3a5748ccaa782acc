"""Routing suggestion: accuracy on our Qingdao evaluation set and on the teddy2020c labelled messages,
and suggest_units latency against a baseline measured in the same run.

    .venv/bin/python -m tests.bench.bench_routing [--db STORE] [--teddy PATH] [--rounds N]

- Evaluation set (tests/data/routing_eval.tsv, written for this project): top-1 / top-3 of
  ``suggest_units(description, place)`` against the expected unit code(s) (``a|b`` = either is right),
  for the whole set and for each ``set`` (when the rows were written).
  Measured with the rules alone (a desk with no history) and, with ``--db``, with that store's learned
  counts as well.
- teddy2020c (``--teddy PATH``; by default ``../shared/data/teddy2020c/messages_labeled.csv`` beside the
  repository, when present; not shipped, no licence): category-level top-1 / top-3 of
  ``suggest_categories(title + " " + text, 3)``, each suggestion's level 1 mapped to their seven labels by
  TEDDY_LABEL below. Nothing is learned from that data: the taxonomy's keywords were written without it.
- Latency (``--db STORE``, e.g. a store filled by ``hotline demo --tickets 100000``): the time of
  ``warm_routing()`` (the learned-count query), then ``suggest_units`` p50/p95 over the evaluation
  descriptions, interleaved with the baseline ``Directory.rank(description, limit=10)`` (a lookup worked out afresh) of the same text
  (the F3 lookup an operator would otherwise type), printed as a ratio; and ``search_categories`` on
  each prefix of a few category names typed in Chinese, full pinyin and initials, against
  ``Directory.lookup`` of the same keys.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
EVAL = ROOT / "tests" / "data" / "routing_eval.tsv"
TEDDY = ROOT.parent / "shared" / "data" / "teddy2020c" / "messages_labeled.csv"

# Our level 1 → teddy2020c's level-1 label. Where their taxonomy files a matter under another level 1
# than ours, the (level 1, level 2) override says so: their 公共汽车 and 地铁城铁 are under 城乡建设, their
# 食品安全 and 药品 under 卫生计生. Our 民政, 公安政法 … map to labels absent from the 495 labelled rows,
# so a suggestion there counts as wrong.
TEDDY_LABEL = {
    "城乡建设": "城乡建设", "城市管理": "城乡建设", "应急管理": "城乡建设", "环境保护": "环境保护",
    "劳动和社会保障": "劳动和社会保障", "交通运输": "交通运输", "市场监管": "商贸旅游", "商贸旅游": "商贸旅游",
    "教育": "教育文体", "文化体育": "教育文体", "卫生健康": "卫生计生", "民政": "民政", "公安政法": "政法",
    "自然资源": "国土资源", "农业农村": "农村农业", "通信": "科技与信息产业", "政务服务": "党务政务",
}
TEDDY_OVERRIDE = {
    ("交通运输", "公共交通"): "城乡建设", ("交通运输", "轨道交通"): "城乡建设",
    ("市场监管", "食品安全"): "卫生计生", ("市场监管", "药品安全"): "卫生计生",
}


def eval_rows(path: Path = EVAL) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def unit_accuracy(suggest, rows) -> tuple[float, float]:
    """``suggest(description, place)`` → ranked codes; (top-1, top-3) share of rows."""
    top1 = top3 = 0
    for r in rows:
        expected = set(r["expected"].split("|"))
        got = suggest(r["description"], r["place"] or None)[:3]
        top1 += bool(got) and got[0] in expected
        top3 += bool(expected & set(got))
    return top1 / len(rows), top3 / len(rows)


def teddy_label(path: list[str]) -> str | None:
    return TEDDY_OVERRIDE.get((path[0], path[1]), TEDDY_LABEL.get(path[0]))


def teddy_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def teddy_accuracy(suggest_categories, rows) -> tuple[float, float]:
    """(top-1, top-3) of the mapped level-1 label among ``suggest_categories(text, 3)``."""
    top1 = top3 = 0
    for r in rows:
        labels = [teddy_label(c["path"]) for c in suggest_categories(f"{r['title']} {r['text']}", 3)]
        top1 += labels[:1] == [r["label"]]
        top3 += r["label"] in labels
    return top1 / len(rows), top3 / len(rows)


def _codes(desk):
    return lambda text, place: [u["code"] for u in desk.suggest_units(text, place)]


def latency(desk, rows, rounds: int) -> None:
    directory = desk.directory
    texts = [(r["description"], r["place"] or None) for r in rows]
    desk.suggest_units(*texts[0])
    directory.rank(texts[0][0])
    ours, base = [], []
    for _ in range(rounds):
        for text, place in texts:
            t = time.perf_counter()
            desk.suggest_units(text, place)
            ours.append(time.perf_counter() - t)
            t = time.perf_counter()
            directory.rank(text, limit=10)
            base.append(time.perf_counter() - t)

    def q(xs):
        return statistics.median(xs), statistics.quantiles(xs, n=20)[-1]

    (o50, o95), (b50, b95) = q(ours), q(base)
    print(f"  suggest_units   p50 {o50 * 1e3:6.3f} ms   p95 {o95 * 1e3:6.3f} ms   ({len(ours)} calls)")
    print(f"  baseline        p50 {b50 * 1e3:6.3f} ms   p95 {b95 * 1e3:6.3f} ms   (Directory.lookup of the same text)")
    print(f"  ratio           p50 {o50 / b50:6.2f}      p95 {o95 / b95:6.2f}")


def search_latency(desk, rounds: int) -> None:
    """search_categories on every prefix an operator types (Chinese, pinyin, initials) vs Directory.lookup."""
    typed = []
    for word, py, ini in (("暖气不热", "nuanqibure", "nqbr"), ("占道经营", "zhandaojingying", "zdjy"),
                          ("拖欠工资", "tuoqiangongzi", "tqgz"), ("物业服务", "wuyefuwu", "wyfw")):
        for w in (word, py, ini):
            typed += [w[:i] for i in range(1, len(w) + 1)]
    directory = desk.directory
    ours, base = [], []
    for _ in range(rounds):
        for q in typed:
            t = time.perf_counter()
            desk.search_categories(q)
            ours.append(time.perf_counter() - t)
            t = time.perf_counter()
            directory.rank(q, limit=10)
            base.append(time.perf_counter() - t)
    o50, o95 = statistics.median(ours), statistics.quantiles(ours, n=20)[-1]
    b50, b95 = statistics.median(base), statistics.quantiles(base, n=20)[-1]
    print(f"  search_categories p50 {o50 * 1e3:6.3f} ms   p95 {o95 * 1e3:6.3f} ms   ({len(ours)} key presses)")
    print(f"  baseline          p50 {b50 * 1e3:6.3f} ms   p95 {b95 * 1e3:6.3f} ms   (Directory.lookup of the same keys)")
    print(f"  ratio             p50 {o50 / b50:6.2f}      p95 {o95 / b95:6.2f}")


def main() -> int:
    from tests.deskkit import make_desk

    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, help="a store (e.g. from `hotline demo`) for learned counts and latency")
    parser.add_argument("--teddy", type=Path, default=TEDDY, help="teddy2020c messages_labeled.csv")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rows = eval_rows()
    with tempfile.TemporaryDirectory() as tmp:
        fresh = make_desk(Path(tmp))
        t1, t3 = unit_accuracy(_codes(fresh), rows)
        print(f"evaluation set: {len(rows)} requests")
        print(f"  rules alone          top-1 {t1:.1%}   top-3 {t3:.1%}")
        for written in sorted({r.get("set", "") for r in rows} - {""}):
            part = [r for r in rows if r.get("set") == written]
            s1, s3 = unit_accuracy(_codes(fresh), part)
            print(f"    set {written:<5} {len(part):4} top-1 {s1:.1%}   top-3 {s3:.1%}")
        if args.teddy.is_file():
            trows = teddy_rows(args.teddy)
            c1, c3 = teddy_accuracy(fresh.suggest_categories, trows)
            print(f"teddy2020c: {len(trows)} labelled messages, category level (7 labels)")
            print(f"  suggest_categories   top-1 {c1:.1%}   top-3 {c3:.1%}")
        else:
            print(f"teddy2020c: skipped ({args.teddy} is not there; give --teddy PATH)")
    if args.db is None:
        print("latency: skipped (give --db STORE, e.g. a store filled by `hotline demo --tickets 100000`)")
        return 0
    desk = make_desk(args.db.parent, store_name=args.db.name)
    t = time.perf_counter()
    warm = desk.warm_routing()
    print(f"store {args.db.name}: warm_routing {(time.perf_counter() - t) * 1e3:.0f} ms "
          f"({warm['tickets']:,} tickets in the last 30 days; includes opening the store)")
    t = time.perf_counter()
    desk.warm_routing(refresh=True)
    print(f"  warm_routing again (store open) {(time.perf_counter() - t) * 1e3:.0f} ms")
    l1, l3 = unit_accuracy(_codes(desk), rows)
    print(f"  with learned counts  top-1 {l1:.1%}   top-3 {l3:.1%}")
    latency(desk, rows, args.rounds)
    search_latency(desk, args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
