"""Citizen requests (e-Otinish-like appeals), vectorised with numpy.

One demo request stands for 100 real appeals (facts: 3.3 mn registered in 2023, 4.4 mn in 2024),
with at least 110,000 requests. Kinds follow the facts' 2024 split (applications 69 %, inquiries
14 %, complaints 6 %, the rest proposals); region by population and appeal propensity; housing and
utilities is the most common topic; due 15 working days after receipt."""

from __future__ import annotations

import datetime as dt

import numpy as np

from data_sources.demo._common import Streams, texts
from data_sources.demo.geo import APPEAL_PROPENSITY, ORDER, RegionInfo

TOPICS = [
    ("HOUSING_UTILITIES", texts("Тұрғын үй-коммуналдық шаруашылық", "Жилищно-коммунальное хозяйство", "Housing and utilities"), 0.22),
    ("HOUSING", texts("Тұрғын үймен қамтамасыз ету", "Обеспечение жильем", "Housing provision"), 0.08),
    ("WATER_SUPPLY", texts("Сумен жабдықтау", "Водоснабжение", "Water supply"), 0.07),
    ("ROADS", texts("Жолдар", "Дороги", "Roads"), 0.08),
    ("HEALTHCARE", texts("Денсаулық сақтау", "Здравоохранение", "Healthcare"), 0.09),
    ("EDUCATION", texts("Білім беру", "Образование", "Education"), 0.07),
    ("SOCIAL_PROTECTION", texts("Әлеуметтік қорғау", "Социальная защита", "Social protection"), 0.10),
    ("LAND", texts("Жер қатынастары", "Земельные отношения", "Land"), 0.08),
    ("EMPLOYMENT", texts("Еңбек және жұмыспен қамту", "Труд и занятость", "Labour and employment"), 0.05),
    ("ECOLOGY", texts("Экология", "Экология", "Environment"), 0.03),
    ("TRANSPORT", texts("Қоғамдық көлік", "Общественный транспорт", "Public transport"), 0.04),
    ("PUBLIC_SAFETY", texts("Қоғамдық қауіпсіздік", "Общественная безопасность", "Public safety"), 0.05),
    ("BUSINESS", texts("Кәсіпкерлік", "Предпринимательство", "Business"), 0.04),
]
#: Regional emphasis of topics (multipliers).
TOPIC_REGION = {
    "WATER_SUPPLY": {"TRK": 1.8, "JMB": 1.6, "KZY": 1.7, "MNG": 1.7, "ALR": 1.4, "SHY": 1.4, "PVD": 1.5},
    "HOUSING_UTILITIES": {"NKR": 1.3, "KST": 1.3, "PVD": 1.3, "KGD": 1.3, "EKR": 1.3, "AKM": 1.2},
    "ECOLOGY": {"KGD": 2.0, "PVD": 1.8, "EKR": 1.8, "ALA": 1.8, "AST": 1.4, "ATY": 1.5},
    "LAND": {"ALR": 1.6, "TRK": 1.5, "SHY": 1.4, "ALA": 1.3, "JTS": 1.4},
    "ROADS": {"AKM": 1.3, "KST": 1.3, "ABY": 1.4, "ULY": 1.5, "WKR": 1.3},
    "TRANSPORT": {"ALA": 1.8, "AST": 1.8, "SHY": 1.5},
    "HOUSING": {"AST": 1.6, "ALA": 1.5, "SHY": 1.4, "MNG": 1.3},
}
TOPIC_TEMPLATES = {
    "HOUSING_UTILITIES": {"heating", "heat_net", "water_net", "housing", "gas", "sewer", "lighting", "chp"},
    "WATER_SUPPLY": {"water_city", "water_rural", "wwtp"},
    "ROADS": {"road"},
    "HEALTHCARE": {"hospital", "phc", "fap", "crh", "oncology", "rehab"},
    "EDUCATION": {"school", "kindergarten", "keleshek", "keleshek_rural", "school_repair", "college"},
    "TRANSPORT": {"buses"},
    "ECOLOGY": {"waste_plant", "forest"},
    "PUBLIC_SAFETY": {"cctv", "fire_station", "e112"},
    "HOUSING": {"housing"},
}
ANNUAL = {2023: 3.3e6, 2024: 4.4e6, 2025: 4.5e6, 2026: 4.6e6}
KINDS = (("application", 0.75), ("inquiry", 0.154), ("complaint", 0.067), ("proposal", 0.029))
CHANNELS = ("portal", "mobile", "reception", "phone", "letter")
PER_REQUEST = 100
MINIMUM = 110_000


def build(regions: list[RegionInfo], nodes: list, streams: Streams, today: dt.date) -> dict[str, np.ndarray]:
    rng = streams("requests")
    first = np.datetime64("2023-01-01")
    last = np.datetime64(today.isoformat())
    days = np.arange(first, last, dtype="datetime64[D]")
    years = days.astype("datetime64[Y]").astype(int) + 1970
    months = days.astype("datetime64[M]").astype(int) % 12
    weekday = (days.astype(int) + 3) % 7  # 0 = Monday
    per_day = np.array([ANNUAL.get(int(y), ANNUAL[max(ANNUAL)]) for y in years]) / 365.0
    weight = per_day * np.where(weekday >= 5, 0.35, 1.12) * (1 + 0.12 * np.isin(months, [0, 1, 10, 11]))
    total = max(MINIMUM, int(round(per_day.sum() / PER_REQUEST)))
    counts = rng.multinomial(total, weight / weight.sum())
    received = np.repeat(days, counts)
    n = len(received)
    # region
    pops = np.array([r.pop2023 for code in ORDER for r in regions if r.code == code], dtype=float)
    pref = pops * np.array([APPEAL_PROPENSITY.get(c, 1.0) for c in ORDER])
    region_idx = rng.choice(len(ORDER), size=n, p=pref / pref.sum())
    # topic, conditional on the region
    topic_idx = np.empty(n, dtype=int)
    base = np.array([w for _, _, w in TOPICS])
    for j, code in enumerate(ORDER):
        mask = region_idx == j
        w = base * np.array([TOPIC_REGION.get(t, {}).get(code, 1.0) for t, _, _ in TOPICS])
        topic_idx[mask] = rng.choice(len(TOPICS), size=int(mask.sum()), p=w / w.sum())
    # kind, channel (the mobile app gains share over time)
    kind_names, kind_w = zip(*KINDS)
    kind_idx = rng.choice(len(kind_names), size=n, p=np.array(kind_w) / sum(kind_w))
    t = (received - first).astype(int) / 365.25
    p_mobile = 0.18 + 0.05 * t
    u = rng.random(n)
    channel_idx = np.select([u < p_mobile, u < p_mobile + 0.42 - 0.04 * t, u < 0.81, u < 0.92], [1, 0, 2, 3], default=4)
    # due: 15 working days; decisions: most in time, some late, a few stuck open
    due = np.busday_offset(received, 15, roll="forward")
    late = rng.random(n) < 0.11
    delay_wd = np.where(late, 15 + np.ceil(rng.lognormal(2.0, 0.7, n)), rng.integers(1, 16, n))
    decided = np.busday_offset(received, delay_wd.astype(int), roll="forward")
    stuck = rng.random(n) < 0.006
    open_ = (decided >= last) | stuck
    rejected = rng.random(n) < 0.085
    status = np.where(open_, np.where((last - received).astype(int) <= 2, "open", "in_progress"),
                      np.where(rejected, "rejected", "resolved"))
    resolved = np.where(open_, np.datetime64("NaT"), decided)
    votes = np.where(np.array(kind_names)[kind_idx] == "proposal", np.floor(rng.lognormal(2.3, 1.3, n)), 0).astype(int)
    # linked node: about one in ten, a project of the region matching the topic, else its program
    node_code = np.full(n, None, dtype=object)
    link = rng.random(n) < 0.1
    projects = [p for p in nodes if p.level == "project" and p.region != "KZ"]
    for j, region in enumerate(ORDER):
        for k, (topic, _, _) in enumerate(TOPICS):
            mask = link & (region_idx == j) & (topic_idx == k)
            m = int(mask.sum())
            if not m:
                continue
            cands = [p.code for p in projects if p.region == region and p.template and p.template.key in TOPIC_TEMPLATES.get(topic, set())]
            if not cands:
                cands = [f"TDP-{region}"]
            node_code[mask] = np.array(cands, dtype=object)[rng.integers(0, len(cands), m)]
    order = np.argsort(received, kind="stable")
    return {
        "received": received[order], "region": np.array(ORDER)[region_idx][order], "topic": np.array([t for t, _, _ in TOPICS])[topic_idx][order],
        "channel": np.array(CHANNELS)[channel_idx][order], "kind": np.array(kind_names)[kind_idx][order], "status": status[order],
        "votes": votes[order], "node": node_code[order], "due": due[order], "resolved": resolved[order],
    }
