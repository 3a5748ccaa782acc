"""The dispatch catalogue (派单目录): duty keywords of the directory's units, found in a description."""

from __future__ import annotations


class Duties:
    """Keyword → units holding it. A city department and its district copies share keywords; ``find`` picks
    the copy serving the request's district, and the city unit when the district has none."""

    def __init__(self, directory):
        table: dict[str, list[str]] = {}
        for u in directory:
            for k in u.duties:
                k = k.strip().lower()
                if len(k) >= 2:
                    table.setdefault(k, []).append(u.code)
        self.directory = directory
        self.keywords = sorted(table.items(), key=lambda kv: (-len(kv[0]), kv[0]))

    def find(self, text: str, district: str | None) -> dict[str, list[str]]:
        """unit code → the keywords found for it (longest first)."""
        out: dict[str, list[str]] = {}
        covered: list[str] = []
        get = self.directory.get
        for k, codes in self.keywords:
            if k not in text or any(k in longer for longer in covered):
                continue
            covered.append(k)
            own = [c for c in codes if (u := get(c)) is not None and u.area == district and district]
            city = [c for c in codes if (u := get(c)) is not None and u.area is None]
            for code in own or city or codes[:1]:
                out.setdefault(code, []).append(k)
        return out
