"""Full-text search: the candidate techniques compared by measurement on real Chinese request texts.

    .venv/bin/python -m tests.bench.bench_fts [--corpus PATH] [--docs 1000000] [--data DIR] [--seg DIR]
                                              [--store STORE] [--repeat 5]

Techniques (tests/bench/fts_techniques.py): bigram (the one the store uses, hotline_tui.store.search_text),
bigram-none, trigram with an instr() fallback for 1–2 characters, unigram, and jieba when rjieba can be
imported (``--seg DIR``: a folder it was installed into with ``pip install --target DIR rjieba``; it is not
a dependency of the project).

1. Accuracy on the real texts unchanged (teddy2020c and fuzhou12345 messages and replies, ~12k documents;
   ``--data``, by default ``../shared/data`` beside the repository; not shipped): recall and precision of
   each technique against a plain substring scan of the same normalised texts, for query words of one
   character, two, three, four to eight, mixed Chinese and digits, and latin or digits.
2. Size and build: the corpus (tests/bench/fts_corpus.py: ``--docs`` documents made from the real texts,
   built once at ``--corpus``, default in the temporary folder, and reused) is indexed once per technique
   into ``CORPUS.NAME.sqlite`` beside it, also reused; index bytes per document and per 1,000 characters
   (dbstat, after FTS5's optimize). The build rate is timed afresh on 50,000 documents each run against
   a plain insert of the same texts into an ordinary table.
3. Query time at full size, for common and rare words: the first page (50 newest rowids), the count, and
   every matching rowid fetched into Python, p50/p95 over ``--repeat`` runs of each word, against the
   baseline measured in the same run: the same three queries as a plain scan with instr() over the texts in
   an ordinary table. Counts are checked against the scan's.
4. With ``--store STORE`` (a store filled by ``hotline demo``): the bigram index over its event texts and the
   number of distinct tickets matching a word, keyed three ways: by event seq joined to the event table for
   the ticket; by ticket key << 12 | the text's number (the ticket is the rowid shifted, no join); by event
   seq joined to a narrow seq → ticket key table; against instr() over a plain table of the same texts.
5. Appending one event and its text per commit (WAL, synchronous=FULL), as a desk's action does, against
   the same commits without the index.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

from hotline_tui.store import search_text

ROOT = Path(__file__).resolve().parent.parent.parent
DATA = ROOT.parent / "shared" / "data"

COMMON = ["小区", "问题", "停车", "噪音", "物业"]
RARE = ["漏水", "停电", "暖气", "3号楼", "12号", "垃圾清运", "楼", "噪音扰民"]
FIXED = {"2": ["漏水", "噪音", "停电", "暖气", "停车", "小区"], "mixed": ["3号楼", "12号", "5栋", "2单元"]}
PAGE = 50


def _cjk(c: str) -> bool:
    return unicodedata.category(c) == "Lo"


def _sample_words(texts: list[str], rnd: random.Random, per_class: int) -> dict[str, list[str]]:
    """Query words by class, taken at random from the normalised texts (so each occurs at least once)."""
    segs = [s for t in texts for s in search_text.segments(t)]
    classes: dict[str, list[str]] = {"1": [], "2": [], "3": [], "4-8": [], "mixed": [], "latin/digit": []}
    tests = {
        "1": (lambda w: _cjk(w), (1, 1)),
        "2": (lambda w: all(map(_cjk, w)), (2, 2)),
        "3": (lambda w: all(map(_cjk, w)), (3, 3)),
        "4-8": (lambda w: all(map(_cjk, w)), (4, 8)),
        "mixed": (lambda w: any(map(_cjk, w)) and any(c.isdigit() for c in w), (2, 5)),
        "latin/digit": (lambda w: w.isascii() and w.isalnum(), (2, 6)),
    }
    for name, (ok, (lo, hi)) in tests.items():
        words = set(FIXED.get(name, []))
        for _ in range(200_000):
            if len(words) >= per_class + len(FIXED.get(name, [])):
                break
            seg = rnd.choice(segs)
            n = rnd.randint(lo, hi)
            if len(seg) < n:
                continue
            i = rnd.randrange(len(seg) - n + 1)
            if ok(seg[i:i + n]):
                words.add(seg[i:i + n])
        classes[name] = sorted(words)
    return classes


def _rowids(conn: sqlite3.Connection, where) -> set[int]:
    table, clause, params = where
    return {r for (r,) in conn.execute(f"SELECT rowid FROM {table} WHERE {clause}", params)}


def _fill(conn: sqlite3.Connection, tech, rows) -> None:
    conn.execute(tech.ddl)
    conn.executemany("INSERT INTO t(rowid, body) VALUES (?, ?)", ((i, tech.document(b)) for i, b in rows))
    conn.execute("INSERT INTO t(t) VALUES ('optimize')")
    conn.commit()


def accuracy(techs, texts: list[str], rnd: random.Random) -> None:
    print(f"\n1. accuracy on {len(texts):,} real texts: recall / precision against a substring scan "
          "(micro-averaged over the class's words; words drawn from the texts)")
    normal = [search_text.normalise(t) for t in texts]
    words = _sample_words(texts, rnd, 60)
    dbs = {}
    for tech in techs:
        conn = sqlite3.connect(":memory:")
        conn.execute("CREATE TABLE doc(id INTEGER PRIMARY KEY, body TEXT)")
        conn.executemany("INSERT INTO doc VALUES (?, ?)", enumerate(texts, 1))
        _fill(conn, tech, enumerate(texts, 1))
        dbs[tech.name] = conn
    print(f"  {'class':12} {'words':>5} {'docs':>7}  " + "  ".join(f"{t.name:>17}" for t in techs))
    for name, ws in words.items():
        truth = {w: {i for i, t in enumerate(normal, 1) if w in t} for w in ws}
        cells = []
        for tech in techs:
            hit = got = want = 0
            for w in ws:
                found = _rowids(dbs[tech.name], tech.word(w))
                hit += len(found & truth[w])
                got += len(found)
                want += len(truth[w])
            cells.append(f"{hit / want:7.1%} / {(hit / got if got else 1):7.1%}")
        print(f"  {name:12} {len(ws):5} {sum(map(len, truth.values())):7,}  " + "  ".join(f"{c:>17}" for c in cells))
    print("  examples: " + ", ".join(f"{k}: {' '.join(rnd.sample(v, 4))}" for k, v in words.items()))


def _index_path(corpus: Path, name: str) -> Path:
    return corpus.with_name(f"{corpus.stem}.{name}.sqlite")


def _index_bytes(conn: sqlite3.Connection, table: str = "t") -> int:
    """Bytes of an FTS5 table's pages (its shadow tables ``table_data``, ``table_idx``, …)."""
    return conn.execute("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = ? OR name LIKE ? || '\\_%' ESCAPE '\\'",
                        (table, table)).fetchone()[0]


def build_indexes(techs, corpus: Path) -> None:
    """Index the whole corpus once per technique (reused by later runs); print bytes per document."""
    src = sqlite3.connect(corpus)
    docs, chars = src.execute("SELECT count(*), sum(length(body)) FROM doc").fetchone()
    print(f"\n2. size: each index over the {docs:,}-document corpus (built once, reused), after optimize")
    plain = src.execute("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = 'doc'").fetchone()[0]
    print(f"  corpus: {chars / docs:.0f} characters a document; its plain table holds {plain / docs:.0f} bytes a "
          "document (the baseline of the size ratio)")
    for tech in techs:
        path = _index_path(corpus, tech.name)
        if not path.exists():
            t0 = time.perf_counter()
            conn = sqlite3.connect(path)
            conn.execute("PRAGMA journal_mode=OFF")
            _fill(conn, tech, src.execute("SELECT id, body FROM doc ORDER BY id"))
            conn.execute("VACUUM")
            print(f"  {tech.name}: built in {time.perf_counter() - t0:.0f} s")
            conn.close()
        conn = sqlite3.connect(path)
        size = _index_bytes(conn)
        conn.close()
        print(f"  {tech.name:12} {size / docs:7.0f} bytes/document  {size / chars * 1000:6.0f} bytes per 1,000 "
              f"characters  {size / plain:5.2f}× the plain texts  ({size / 2**20:,.0f} MiB)")


def build_rate(techs, corpus: Path, n: int) -> None:
    print(f"\n   build rate, {n:,} documents into a fresh file (one transaction, then optimize), against a plain "
          "insert of the same texts")
    rows = sqlite3.connect(corpus).execute("SELECT id, body FROM doc ORDER BY id LIMIT ?", (n,)).fetchall()
    chars = sum(len(b) for _, b in rows)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        conn = sqlite3.connect(Path(tmp) / "plain.sqlite")
        conn.execute("CREATE TABLE doc(id INTEGER PRIMARY KEY, body TEXT)")
        conn.executemany("INSERT INTO doc VALUES (?, ?)", rows)
        conn.commit()
        base = time.perf_counter() - t0
        print(f"  {'plain table':12} {n / base:9,.0f} documents/s")
        for tech in techs:
            t0 = time.perf_counter()
            conn = sqlite3.connect(Path(tmp) / f"{tech.name}.sqlite")
            _fill(conn, tech, rows)
            took[name] = time.perf_counter() - t0
            t1 = time.perf_counter()
            for _, body in rows:
                tech.document(body)
            tokenize = time.perf_counter() - t1
            print(f"  {tech.name:12} {n / took:9,.0f} documents/s, {chars / took / 1e6:4.2f} M characters/s "
                  f"({took / base:4.1f}× the plain insert's time; "
                  f"tokenising in Python {tokenize / took:4.0%} of it)")


def _time(conn: sqlite3.Connection, sql: str, params) -> tuple[float, object]:
    t0 = time.perf_counter()
    rows = conn.execute(sql, params).fetchall()
    return (time.perf_counter() - t0) * 1000, rows


def _queries(where) -> dict[str, str]:
    table, clause, _ = where
    return {
        "first page": f"SELECT rowid FROM {table} WHERE {clause} ORDER BY rowid DESC LIMIT {PAGE}",
        "count": f"SELECT count(*) FROM {table} WHERE {clause}",
        "all rowids": f"SELECT rowid FROM {table} WHERE {clause}",
    }


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p * (len(xs) - 1)))]


def query_times(techs, corpus: Path, repeat: int) -> None:
    print(f"\n3. query time at full size, ms p50 / p95 over {repeat} runs of each word; ratio = p50 / the plain "
          "instr() scan's p50 in the same run")
    conns = {}
    for tech in techs:
        conn = sqlite3.connect(_index_path(corpus, tech.name))
        conn.execute("ATTACH ? AS c", (str(corpus),))
        conns[tech.name] = conn
    base = conns[techs[0].name]
    for label, words in (("common", COMMON), ("rare", RARE)):
        counts = {w: base.execute("SELECT count(*) FROM doc WHERE instr(body, ?) > 0", (w,)).fetchone()[0]
                  for w in words}
        print(f"  {label} words (documents holding them, by the scan): "
              + ", ".join(f"{w} {n:,}" for w, n in counts.items()))
        samples: dict[tuple[str, str], list[float]] = {}
        per_word: dict[tuple[str, str, str], list[float]] = {}
        wrong: dict[str, list[str]] = {}
        for r in range(repeat):
            for w in words:
                scan = ("doc", "instr(body, ?) > 0", (w,))
                runs = [("scan", base, scan)] if r < 2 else []  # the scan is slow: two runs of it
                runs += [(t.name, conns[t.name], t.word(search_text.segments(w)[0])) for t in techs]
                for name, conn, where in runs:
                    for op, sql in _queries(where).items():
                        ms, rows = _time(conn, sql, where[2])
                        samples.setdefault((name, op), []).append(ms)
                        per_word.setdefault((name, op, w), []).append(ms)
                        if op == "count" and rows[0][0] != counts[w] and r == 0:
                            wrong.setdefault(name, []).append(f"{w} {rows[0][0]:,}")
        ops = list(_queries(("t", "", ())))
        print(f"  {'':12} " + "  ".join(f"{op:>26}" for op in ops))
        for name in ["scan"] + [t.name for t in techs]:
            cells = []
            for op in ops:
                xs = samples[(name, op)]
                ratio = statistics.median(xs) / statistics.median(samples[("scan", op)])
                cells.append(f"{_pct(xs, .5):7.1f} / {_pct(xs, .95):7.1f} {ratio:6.3f}×")
            print(f"  {name:12} " + "  ".join(f"{c:>26}" for c in cells))
        for name, ws in wrong.items():
            print(f"    {name} counts differing from the scan: {', '.join(ws)}")
        chosen = techs[0].name
        print(f"  {chosen}, word by word (median ms; the scan's in brackets):")
        for w in words:
            cells = [f"{op} {statistics.median(per_word[(chosen, op, w)]):5.1f} "
                     f"({statistics.median(per_word[('scan', op, w)]):5.1f})" for op in ops]
            rate = counts[w] / statistics.median(per_word[(chosen, "all rowids", w)]) / 1000
            print(f"    {w:6} {counts[w]:8,} docs  " + "  ".join(cells) + f"  {rate:5.1f} M rowids/s")


TEXT_FIELDS = ("description", "text", "answer", "handling", "reason", "detail", "note")
TICKET_SHIFT = 12  # rowid = ticket key << 12 | the text's number within the ticket


def _event_text(payload: str) -> str:
    data = json.loads(payload)
    return " ".join(v for k in TEXT_FIELDS if isinstance(v := data.get(k), str))


def store_join(store: Path, repeat: int) -> None:
    print(f"\n4. a demo store's event texts ({', '.join(TEXT_FIELDS)}): the number of distinct tickets matching "
          "a word, ms p50 / p95, ratio to a plain table of the same texts scanned with instr() and joined the same "
          "way; (a) the bigram index keyed by event seq, joined to event for the ticket; (b) keyed by "
          f"ticket key << {TICKET_SHIFT} | the text's number within the ticket, so the ticket is the rowid shifted; "
          "(c) keyed by event seq as (a), joined to a narrow table seq → ticket key instead of the event table")
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "idx.sqlite")
        conn.execute("ATTACH ? AS s", (f"file:{store}?mode=ro",))
        conn.execute("CREATE TABLE txt(seq INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("CREATE TABLE seq_ticket(seq INTEGER PRIMARY KEY, tkey INTEGER NOT NULL)")
        key: dict[str, int] = {}
        nth: dict[str, int] = {}
        by_ticket = []
        for seq, ticket, tkey, payload in conn.execute(
                "SELECT e.seq, e.ticket, t.rowid, e.payload FROM s.event e JOIN s.ticket t ON t.number = e.ticket "
                "ORDER BY e.seq"):
            text = _event_text(payload)
            if text:
                conn.execute("INSERT INTO txt VALUES (?, ?)", (seq, text))
                conn.execute("INSERT INTO seq_ticket VALUES (?, ?)", (seq, tkey))
                nth[ticket] = nth.get(ticket, -1) + 1
                key[ticket] = tkey
                by_ticket.append((tkey << TICKET_SHIFT | nth[ticket], text))
        took = {}
        for name, rows in (("a", conn.execute("SELECT seq, body FROM txt").fetchall()), ("b", by_ticket)):
            t0 = time.perf_counter()
            conn.execute(search_text.fts_ddl(name))
            conn.executemany(search_text.insert_sql(name), ((r, search_text.index_text(b)) for r, b in rows))
            conn.execute(search_text.optimize_sql(name))
            conn.commit()
            took[name] = time.perf_counter() - t0
        events = conn.execute("SELECT count(*) FROM s.event").fetchone()[0]
        size = {n: _index_bytes(conn, n) for n in ("a", "b")}
        chars = conn.execute("SELECT sum(length(body)), count(*) FROM txt").fetchone()
        print(f"  {events:,} events, {chars[1]:,} with text, of {len(key):,} tickets ({chars[0] / len(key):.0f} characters "
              f"a ticket); indexed in {took['a']:.1f} s; index bytes a ticket: (a) {size['a'] / len(key):.0f}, "
              f"(b) {size['b'] / len(key):.0f}")
        sqls = {
            "scan": ("SELECT count(DISTINCT ticket) FROM s.event WHERE seq IN "
                     "(SELECT seq FROM txt WHERE instr(body, ?) > 0)", lambda w: w),
            "a": ("SELECT count(DISTINCT ticket) FROM s.event WHERE seq IN (SELECT rowid FROM a WHERE a MATCH ?)",
                  search_text.match_expression),
            "b": (f"SELECT count(DISTINCT rowid >> {TICKET_SHIFT}) FROM b WHERE b MATCH ?", search_text.match_expression),
            "c": ("SELECT count(DISTINCT tkey) FROM seq_ticket WHERE seq IN (SELECT rowid FROM a WHERE a MATCH ?)",
                  search_text.match_expression),
        }
        for w in COMMON + RARE[:4]:
            got = {}
            for name, (sql, param) in sqls.items():
                times = [_time(conn, sql, (param(w),)) for _ in range(2 if name == "scan" else repeat)]
                got[name] = ([ms for ms, _ in times], times[0][1][0][0])
            base = statistics.median(got["scan"][0])
            print(f"  {w:6} {got['a'][1]:7,} tickets (scan {got['scan'][1]:,}, b {got['b'][1]:,}, c {got['c'][1]:,})  "
                  + "  ".join(f"{n} {_pct(got[n][0], .5):6.1f} / {_pct(got[n][0], .95):6.1f} ms "
                              f"{statistics.median(got[n][0]) / base:5.3f}×" for n in ("a", "b", "c"))
                  + f"  scan {base:6.1f} ms")


def append_commits(corpus: Path, n: int) -> None:
    print(f"\n5. appending as a desk does, one event and its text per commit (WAL, synchronous=FULL), {n:,} commits: "
          "ms p50 / p95, against the same commits without the index; two rounds")
    rows = sqlite3.connect(corpus).execute("SELECT id, body FROM doc ORDER BY id LIMIT ?", (n,)).fetchall()
    for round_no in range(2):
        cells = {}
        for name in ("plain", "bigram"):
            with tempfile.TemporaryDirectory() as tmp:
                conn = sqlite3.connect(Path(tmp) / "s.sqlite", isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=FULL")
                conn.execute("CREATE TABLE event(seq INTEGER PRIMARY KEY, payload TEXT)")
                if name == "bigram":
                    conn.execute(search_text.fts_ddl("t"))
                times = []
                for seq, body in rows:
                    t0 = time.perf_counter()
                    conn.execute("BEGIN IMMEDIATE")
                    conn.execute("INSERT INTO event VALUES (?, ?)", (seq, body))
                    if name == "bigram":
                        conn.execute(search_text.insert_sql("t"), (seq, search_text.index_text(body)))
                    conn.execute("COMMIT")
                    times.append((time.perf_counter() - t0) * 1000)
                conn.close()
            cells[name] = times
        base = statistics.median(cells["plain"])
        print(f"  round {round_no + 1}: " + "  ".join(
            f"{k} {_pct(v, .5):5.2f} / {_pct(v, .95):5.2f} ms ({statistics.median(v) / base:4.2f}×)" for k, v in cells.items()))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, help="scratch corpus file (built once, reused with its indexes)")
    ap.add_argument("--docs", type=int, default=1_000_000)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--seg", type=Path, help="folder holding rjieba (pip install --target DIR rjieba)")
    ap.add_argument("--store", type=Path, help="a demo store for the event → ticket measurement")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--build-sample", type=int, default=50_000)
    ap.add_argument("--skip", default="", help="comma-separated parts to skip: accuracy,size,rate,time,store,append")
    args = ap.parse_args(argv)
    if args.seg:
        sys.path.insert(0, str(args.seg))
    from tests.bench.fts_corpus import open_corpus, real_texts

    from tests.bench.fts_techniques import techniques

    techs = techniques()
    skip = set(filter(None, args.skip.split(",")))
    print("techniques: " + ", ".join(t.name for t in techs) + f"; SQLite {sqlite3.sqlite_version}")
    corpus = args.corpus or Path(tempfile.gettempdir()) / f"hotline-fts-corpus-{args.docs}.sqlite"
    open_corpus(corpus, args.data, args.docs).close()
    if "accuracy" not in skip:
        descriptions, replies = real_texts(args.data)
        accuracy(techs, descriptions + replies, random.Random(5))
    if "size" not in skip:
        build_indexes(techs, corpus)
    if "rate" not in skip:
        build_rate(techs, corpus, args.build_sample)
    if "time" not in skip:
        query_times(techs, corpus, args.repeat)
    if args.store and "store" not in skip:
        store_join(args.store, args.repeat)
    if "append" not in skip:
        append_commits(corpus, 2000)


if __name__ == "__main__":
    main()
