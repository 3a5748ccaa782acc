"""Where requests come from: Qingdao's districts, streets and communities (from the unit directory),
with real road names per district and made-up estates, shops and companies."""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass

# Rough resident share by district (市南, 市北, 西海岸, 崂山, 李沧, 城阳, 即墨, 胶州, 平度, 莱西).
DISTRICT_WEIGHT = {
    "370202": 5.5, "370203": 10.5, "370211": 18.0, "370212": 5.5, "370213": 7.5,
    "370214": 11.0, "370215": 13.5, "370281": 9.5, "370283": 12.0, "370285": 7.0,
}

ROADS = {
    "370202": ("香港中路", "东海西路", "燕儿岛路", "福州南路", "山东路", "延安三路", "中山路", "湛山二路", "南京路", "宁夏路"),
    "370203": ("台东三路", "威海路", "辽宁路", "延吉路", "敦化路", "抚顺路", "鞍山路", "合肥路", "登州路", "哈尔滨路"),
    "370211": ("长江中路", "江山中路", "漓江西路", "珠江路", "井冈山路", "滨海大道", "香江路", "峨眉山路"),
    "370212": ("松岭路", "苗岭路", "海尔路", "银川东路", "深圳路", "崂山路", "株洲路", "香港东路"),
    "370213": ("九水路", "京口路", "振华路", "四流中路", "黑龙江中路", "书院路", "金水路", "峰山路"),
    "370214": ("正阳路", "春阳路", "长城路", "崇阳路", "兴阳路", "文阳路", "重庆北路", "黑龙江中路"),
    "370215": ("烟青路", "鹤山路", "蓝鳌路", "振华街", "嵩山二路", "德馨路", "华山二路"),
    "370281": ("扬州路", "福州路", "澳门路", "郑州路", "广州北路", "兰州东路", "常州路"),
    "370283": ("红旗路", "胜利路", "杭州路", "扬州路", "人民路", "常州路", "北京路"),
    "370285": ("烟台路", "上海路", "文化路", "石岛路", "长岛路", "威海路", "重庆路"),
}

ESTATE_A = ("阳光", "海韵", "金色", "福瀛", "和馨", "翠湖", "锦绣", "名人", "海尔", "万科", "中海", "鲁商", "保利", "绿城",
            "青特", "海信", "华润", "金茂", "融创", "世纪", "东城", "幸福", "温馨", "丽景")
ESTATE_B = ("花园", "家园", "嘉园", "新苑", "小区", "公馆", "山庄", "国际", "城", "湾", "府", "雅居", "名邸")
SHOP_A = ("美丽人生", "健身达人", "好邻居", "金钥匙", "鑫源", "优品", "乐学", "老字号", "鲜又多", "一品")
SHOP_B = ("美容店", "健身房", "超市", "装饰公司", "教育培训中心", "干洗店", "手机店", "烧烤店", "海鲜大排档", "母婴店")
COMPANY = ("青岛鑫达建筑劳务有限公司", "青岛海博物流有限公司", "青岛东方电子科技有限公司", "青岛华瑞装饰工程有限公司",
           "青岛润泽餐饮管理有限公司", "青岛福德机械制造有限公司", "青岛海滨物业服务有限公司", "青岛金港包装有限公司",
           "某快递网点", "某房地产开发公司", "一家家政公司", "某汽车销售服务公司")
HOSPITALS = ("青岛大学附属医院", "青岛市市立医院", "青岛市中心医院", "青岛市第八人民医院", "青岛市海慈医疗集团",
             "青岛市妇女儿童医院", "青岛市第三人民医院", "区人民医院", "社区卫生服务中心")
TIMES = ("每天晚上10点以后", "凌晨2点左右", "早上6点", "中午12点到2点", "晚上8点到11点", "周末全天", "每天早上7点前",
         "昨天晚上", "今天上午", "最近一周每天夜里")
BUS = ("1", "2", "5", "11", "26", "104", "110", "125", "202", "222", "301", "316", "321", "362", "375", "501", "605", "801", "隧道3")


@dataclass(frozen=True)
class Place:
    code: str  # the unit code recorded as the ticket's place (community, or a street)
    community: str
    street_code: str
    street: str
    district_code: str
    district: str


class Places:
    """Communities grouped by district, chosen by district weight."""

    def __init__(self, directory) -> None:
        units = {u.code: u for u in directory}
        self.by_district: dict[str, list[Place]] = {}
        for u in directory:
            if u.kind != "community" or not u.parent:
                continue
            street = units.get(u.parent)
            if street is None or street.parent not in DISTRICT_WEIGHT:
                continue
            district = units[street.parent]
            self.by_district.setdefault(district.code, []).append(
                Place(u.code, u.name, street.code, street.name, district.code, district.name))
        self.districts = sorted(self.by_district)
        if not self.districts:
            raise ValueError("the unit directory has no communities under Qingdao's districts")
        self._cum = list(itertools.accumulate(DISTRICT_WEIGHT[d] for d in self.districts))
        self.codes = frozenset(units)
        self._by_code = {p.code: p for ps in self.by_district.values() for p in ps}

    def by_place(self, code: str | None) -> Place | None:
        return self._by_code.get(code or "")

    def pick(self, rng) -> Place:
        d = self.districts[bisect.bisect(self._cum, rng.random() * self._cum[-1])]
        return rng.choice(self.by_district[d])


def estate(rng) -> str:
    return rng.choice(ESTATE_A) + rng.choice(ESTATE_B)


def shop(rng) -> str:
    return rng.choice(SHOP_A) + rng.choice(SHOP_B)
