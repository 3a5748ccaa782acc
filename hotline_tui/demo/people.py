"""Callers (phones that repeat, as real ones do) and the people at the demo desks. All derived from the seed."""

from __future__ import annotations

import hashlib

MOBILE_PREFIXES = ("138", "139", "135", "136", "137", "150", "151", "152", "157", "158", "159", "182", "183", "187",
                   "188", "130", "131", "132", "155", "156", "185", "186", "133", "153", "180", "181", "189", "177",
                   "173", "199", "166", "178", "176", "198")
SURNAMES = "王张李刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅鹏飞辉建国志强海燕晓东晓明春雨"


def _h(seed: int, *parts) -> int:
    data = "|".join(str(p) for p in (seed, *parts)).encode()
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


class Callers:
    """A pool of callers. A few frequent callers make many calls; most call once or twice a year."""

    def __init__(self, seed: int, expected_calls: int) -> None:
        self.seed = seed
        self.size = max(40, int(expected_calls * 0.6))
        self.frequent = max(5, self.size // 400)

    def pick(self, rng) -> tuple[str, str]:
        r = rng.random()
        i = rng.randrange(self.frequent) if r < 0.04 else rng.randrange(self.size)
        return self.phone(i), self.name(i)

    def phone(self, i: int) -> str:
        h = _h(self.seed, "phone", i)
        if h % 10 == 0:  # a Qingdao landline
            return f"0532{8 + h // 10 % 2}{h // 100 % 10_000_000:07d}"
        return MOBILE_PREFIXES[h % len(MOBILE_PREFIXES)] + f"{h // 64 % 100_000_000:08d}"

    def name(self, i: int) -> str:
        h = _h(self.seed, "name", i)
        return SURNAMES[h % len(SURNAMES)] + ("先生", "女士")[h // 1000 % 2]


def operators(desk: str, seed: int) -> tuple[str, ...]:
    """Three operators per desk (three shifts)."""
    names = []
    for k in range(3):
        h = _h(seed, "op", desk, k)
        names.append(SURNAMES[h % len(SURNAMES)] + GIVEN[h // 200 % len(GIVEN)] + GIVEN[h // 9000 % len(GIVEN)])
    return tuple(names)


SUPERVISORS = ("督办科 刘建国", "督办科 孙海燕", "督办科 赵志强")
CALLBACK_STAFF = ("回访组 陈静", "回访组 周晓东", "回访组 吴春雨")
