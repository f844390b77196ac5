"""Agencies, the node tree (portfolios -> programs -> projects) with milestones and monthly budget
lines. Programs are real (facts); projects are synthesised from templates with a delivery profile
that decides their schedule, spending and milestones."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np

from data_sources.demo._common import FACTS_REF, Streams, add_months, facts, month_start, origin, parse_kzt, texts
from data_sources.demo.geo import CITIES, ORDER, RegionInfo
from data_sources.demo.texts import MILESTONES, NATIONAL_PROJECTS, PROGRAM_TEMPLATES, Template, render

# --------------------------------------------------------------------------------------------- agencies

EXTRA_AGENCIES = [
    ("GOV", "agency", texts("Қазақстан Республикасының Үкіметі", "Правительство Республики Казахстан",
                            "Government of the Republic of Kazakhstan"), origin("translation")),
    ("ASPR", "agency", texts("Стратегиялық жоспарлау және реформалар агенттігі (Ұлттық статистика бюросы)",
                             "Агентство по стратегическому планированию и реформам (Бюро национальной статистики)",
                             "Agency for Strategic Planning and Reforms (Bureau of National Statistics)"),
     {"kk": "translation", "ru": "translation", "en": "official"}),
]


def _ministry_origin(confidence: str) -> dict:
    """name_origin per locale from the facts' confidence note: locales marked unverified are our own
    rendering ("translation"); the others are official names as found in the sources."""
    conf = str(confidence).lower()
    if conf.strip() == "unverified":
        return origin("translation")
    out = origin("official")
    for part in conf.split(";"):
        if "unverified" in part:
            head = part.split("unverified")[0]
            for loc in ("kk", "ru", "en"):
                if re.search(rf"\b{loc}\b", head):
                    out[loc] = "translation"
    return out


@dataclass
class Agency:
    code: str
    kind: str
    name: dict
    name_origin: dict
    region: str


def agencies(regions: list[RegionInfo]) -> list[Agency]:
    out = []
    for m in facts()["ministries"]:
        out.append(Agency(m["code"], "ministry", texts(m["name_kk"], m["name_ru"], m["name_en"]),
                          _ministry_origin(m.get("confidence", "unverified")), "KZ"))
    for code, kind, name, orig in EXTRA_AGENCIES:
        out.append(Agency(code, kind, name, orig, "KZ"))
    for r in regions:
        if r.code == "KZ":
            continue
        out.append(Agency(f"AKIMAT-{r.code}", "akimat",
                          texts(f"{r.kk_gen} әкімдігі", f"Акимат {r.gen_ru}", f"Akimat of {r.name['en']}"),
                          origin("translation"), r.code))
    return out


# --------------------------------------------------------------------------------------------- nodes


@dataclass
class Milestone:
    seq: int
    name: dict
    weight: float
    planned: dt.date
    actual: dt.date | None


@dataclass
class Node:
    code: str
    level: str
    kind: str
    parent: str | None
    name: dict
    name_origin: dict
    agency: str
    region: str
    start: dt.date
    end: dt.date
    state: str = "active"
    weight: float = 1.0
    budget: float | None = None
    legal_act: str | None = None
    synthetic: bool = False
    source: str | None = None
    description: dict = field(default_factory=dict)
    # projects only
    template: Template | None = None
    profile: str | None = None
    slip: float = 0.0
    cost_factor: float = 1.0
    stall_at: float | None = None  # fraction of the actual schedule where work stopped
    approved: dt.date | None = None
    milestones: list[Milestone] = field(default_factory=list)

    # --- schedule model: planned S-curve; actual = planned stretched by (1 + slip), frozen at a stall ---
    @property
    def duration_days(self) -> int:
        return max((self.end - self.start).days, 1)

    def planned_progress(self, day: dt.date) -> float:
        x = min(max((day - self.start).days / self.duration_days, 0.0), 1.0)
        return 3 * x * x - 2 * x ** 3

    def actual_x(self, day: dt.date) -> float:
        x = min(max((day - self.start).days / (self.duration_days * (1 + self.slip)), 0.0), 1.0)
        if self.stall_at is not None:
            x = min(x, self.stall_at)
        return x

    def actual_progress(self, day: dt.date) -> float:
        x = self.actual_x(day)
        return 3 * x * x - 2 * x ** 3

    def stall_date(self) -> dt.date | None:
        if self.stall_at is None:
            return None
        return self.start + dt.timedelta(days=int(self.stall_at * self.duration_days * (1 + self.slip)))


def _program_names(p: dict, missing: dict) -> tuple[dict, dict]:
    name, orig = {}, {}
    for loc in ("kk", "ru", "en"):
        value = p.get(f"name_{loc}")
        conf = str(p.get(f"name_{loc}_confidence", ""))
        if value:
            name[loc] = value
            orig[loc] = "translation" if ("unverified" in conf or "derived" in conf or "translation" in conf) else "official"
        else:
            name[loc] = missing[loc]
            orig[loc] = "translation"
    return name, orig


NP1_AGENCY = {"NP-HEALTH": "MOH", "NP-EDU": "MOE", "NP-SPIRIT": "MCI", "NP-TECH": "MAIDD", "NP-SME": "MNE", "NP-REGIONS": "MNE",
              "NP-GROWTH": "MNE", "NP-GREEN": "MENR", "NP-AGRO": "MOA", "NP-SAFE": "MIA"}
NP2 = {  # agency, start, end, budget (KZT) where the facts give it outside budget_kzt, missing names
    "NP2-SCHOOL": ("MOE", dt.date(2023, 1, 1), dt.date(2025, 12, 31), None, {}),
    "NP2-RURALHEALTH": ("MOH", dt.date(2024, 1, 1), dt.date(2025, 12, 31), 125.6e9, {}),
    "NP2-INTERNET": ("MAIDD", dt.date(2024, 1, 1), dt.date(2027, 12, 31), 13e9,
                     {"kk": "«Қолжетімді интернет»"}),
    "NP2-UTILITIES": ("MOEN", dt.date(2025, 1, 1), dt.date(2029, 12, 31), None,
                      {"kk": "Энергетика және коммуналдық секторларды жаңғырту"}),
    "NP2-COOP": ("MOA", dt.date(2023, 1, 1), dt.date(2027, 12, 31), 1e12,
                 {"kk": "Ауыл шаруашылығы кооперациясы жөніндегі жалпыұлттық жоба",
                  "ru": "Общенациональный проект по сельскохозяйственной кооперации"}),
}


def portfolios_and_programs(regions: list[RegionInfo], today: dt.date) -> list[Node]:
    f = facts()
    sp = f["strategic_plan"]
    ndp25, ndp29 = sp["ndp_2025_2021_edition"], sp["ndp_2029"]

    def state(start: dt.date, end: dt.date) -> str:
        return "planned" if start > today else "completed" if end < today else "active"

    priorities_ru = "; ".join(i["name_ru"] for i in ndp25["national_priorities"]["items"])
    priorities_en = "; ".join(i["name_en"] for i in ndp25["national_priorities"]["items"])
    nodes = [
        Node("NDP-2025", "portfolio", "national_plan", None,
             texts("Қазақстан Республикасының 2025 жылға дейінгі Ұлттық даму жоспары", ndp25["name_ru"], ndp25["name_en"]),
             {"kk": "translation", "ru": "official", "en": "official"}, "MNE", "KZ", dt.date(2021, 1, 1), dt.date(2025, 12, 31),
             legal_act=f"{sp['sdp_2025']['approved']} (Strategic Development Plan to 2025), reworked into the NDP-2025 in 2021; "
                       "the decree of the 2021 edition was not verified",
             source=f"{sp['sdp_2025']['approved_source']} ; {FACTS_REF}",
             description={"kk": "Ұлттық басымдықтар: әлеуметтік саясат, денсаулық сақтау, білім, мемлекеттік басқару, экономика, "
                                "аумақтық даму (жобаның өз аудармасы).",
                          "ru": "Национальные приоритеты: " + priorities_ru, "en": "National priorities: " + priorities_en}),
        Node("NDP-2029", "portfolio", "national_plan", None,
             texts(ndp29["name_kk"], ndp29["name_ru"], "National Development Plan of the Republic of Kazakhstan until 2029"),
             {"kk": "official", "ru": "official", "en": "translation"}, "MNE", "KZ", dt.date(2024, 1, 1), dt.date(2029, 12, 31),
             legal_act="Presidential decree (number and date not verified)", source=f"{ndp29['existence_source']} ; {FACTS_REF}",
             description={"kk": "Экономиканы екі есе ұлғайту, азаматтардың әл-ауқаты, өңірлердің теңгерімді дамуы.",
                          "ru": "Удвоение экономики к 2029 году, благосостояние граждан, сбалансированное развитие регионов.",
                          "en": "Doubling the economy by 2029, citizens' well-being, balanced development of the regions."}),
    ]
    list_decree = f["national_projects_2021"]["list_decree"]
    for p in f["national_projects_2021"]["projects"]:
        name, orig = _program_names(p, {})
        act = p.get("legal_act")
        if not act or "NOT VERIFIED" in str(act):
            act = f"Included in the list of national projects: {list_decree.split(';')[0]}"
        nodes.append(Node(p["id"], "program", "national_project", "NDP-2025", name, orig, NP1_AGENCY[p["id"]], "KZ",
                          dt.date(2021, 10, 12), dt.date(2025, 12, 31), budget=parse_kzt(p.get("budget_kzt")), legal_act=act,
                          source=f"{p.get('sources', '')} (via {FACTS_REF})"))
    for p in f["national_projects_2023_plus"]:
        agency, start, end, budget, missing = NP2[p["id"]]
        name, orig = _program_names(p, missing)
        nodes.append(Node(p["id"], "program", "national_project", "NDP-2029", name, orig, agency, "KZ", start, end,
                          budget=parse_kzt(p.get("budget_kzt")) or budget, legal_act=p.get("approved"),
                          source=f"{p.get('sources') or p.get('source', '')} (via {FACTS_REF})"))
    for r in regions:
        if r.code == "KZ":
            continue
        nodes.append(Node(f"TDP-{r.code}", "program", "territorial_program", "NDP-2029",
                          texts(f"{r.kk_gen} аумағын дамыту бағдарламасы", f"Программа развития территории {r.gen_ru}",
                                f"Territorial development program of {r.name['en']}"),
                          origin("synthetic"), f"AKIMAT-{r.code}", r.code, dt.date(2024, 1, 1), dt.date(2029, 12, 31),
                          synthetic=True, source="synthetic (demo generator): one territorial development program per region"))
    for node in nodes:
        node.state = state(node.start, node.end)
    return nodes


PROFILES = (("on_track", 0.62), ("late", 0.16), ("over_budget", 0.09), ("late_over", 0.05), ("stalled", 0.08))


def _profile(rng: np.random.Generator) -> str:
    names, weights = zip(*PROFILES)
    return str(rng.choice(names, p=np.array(weights) / sum(weights)))


def projects(programs: list[Node], regions: list[RegionInfo], streams: Streams, today: dt.date) -> list[Node]:
    rng = streams("projects")
    by_code = {r.code: r for r in regions}
    pops = {r.code: r.pop2023 for r in regions if r.code != "KZ"}
    out: list[Node] = []
    for prog in programs:
        if prog.level != "program":
            continue
        key = "TDP" if prog.kind == "territorial_program" else prog.code
        templates = PROGRAM_TEMPLATES[key]
        window_end = min(prog.end - dt.timedelta(days=180), today + dt.timedelta(days=270))
        window_start = max(prog.start, dt.date(2021, 11, 1))
        counters: dict[str, int] = {}
        if prog.kind == "territorial_program":
            count = int(rng.integers(7, 10))
            plan = [(templates[int(i)], prog.region) for i in rng.permutation(len(templates))[:count]]
        else:
            count = int(rng.integers(10, 14))
            plan = []
            codes = list(ORDER)
            weights = np.sqrt(np.array([pops[c] for c in codes], dtype=float))
            for k in range(count):
                tpl = templates[k % len(templates)] if k < len(templates) else templates[int(rng.integers(len(templates)))]
                allowed = [c for c in codes if (not tpl.rural or c not in CITIES) and (not tpl.only or c in tpl.only)]
                w = np.array([weights[codes.index(c)] for c in allowed])
                plan.append((tpl, str(rng.choice(allowed, p=w / w.sum()))))
            if prog.code in NATIONAL_PROJECTS:
                plan.insert(0, (None, "KZ"))
        stages: dict[tuple, int] = {}
        for tpl, region_code in plan:
            counters[region_code] = counters.get(region_code, 0) + 1
            seq = counters[region_code]
            code = f"{prog.code}-{seq:02d}" if prog.kind == "territorial_program" else f"{prog.code}-{region_code}-{seq:02d}"
            stage_key = (tpl.key if tpl else None, region_code)
            stages[stage_key] = stages.get(stage_key, 0) + 1
            region = by_code[region_code]
            if tpl is None:
                kk, ru, en, ms_key, budget_bn = NATIONAL_PROJECTS[prog.code]
                name = texts(kk, ru, en)
                tpl_used = Template("national", kk, ru, en, ms_key, (budget_bn * 0.8, budget_bn * 1.2), (24, 42))
            else:
                tpl_used = tpl
                n = int(rng.choice(tpl.numbers)) if tpl.numbers else None
                name = render(tpl, region, n=n, s=stages[stage_key])
            months = int(rng.integers(tpl_used.months[0], tpl_used.months[1] + 1))
            # projects end by the program's end (a few months' grace), and none starts later than ~9 months ahead
            latest = min(add_months(prog.end, -months + 4), window_end)
            if latest <= window_start:
                months = max(6, (prog.end - window_start).days // 30 - 2)
                latest = window_start + dt.timedelta(days=30)
            start = window_start + dt.timedelta(days=int(rng.integers(0, (latest - window_start).days)))
            start = dt.date(start.year, start.month, 1) + dt.timedelta(days=int(rng.integers(0, 20)))
            end = add_months(start, months)
            lo, hi = tpl_used.budget_bn
            budget = float(np.exp(rng.uniform(np.log(lo), np.log(hi)))) * 1e9
            profile = _profile(rng)
            node = Node(code, "project", tpl_used.key, prog.code, name, origin("synthetic"),
                        prog.agency if prog.kind == "national_project" and region_code == "KZ" else
                        (prog.agency if prog.kind == "territorial_program" else f"AKIMAT-{region_code}"),
                        region_code, start, end, budget=round(budget, -6), synthetic=True,
                        source="synthetic (demo generator)", template=tpl_used, profile=profile)
            node.approved = min(start - dt.timedelta(days=int(rng.integers(30, 150))), today)
            if profile in ("late", "late_over"):
                node.slip = float(rng.uniform(0.1, 0.32))
            elif profile == "stalled":
                node.slip = float(rng.uniform(0.05, 0.3))
                node.stall_at = float(rng.uniform(0.2, 0.7))
            else:
                node.slip = float(rng.uniform(-0.05, 0.03))
            node.cost_factor = float(rng.uniform(1.15, 1.4)) if profile in ("over_budget", "late_over") else \
                float(rng.normal(1.0, 0.025))
            _milestones(node, rng, today)
            if start > today:
                node.state = "planned"
            elif node.milestones and node.milestones[-1].actual is not None:
                node.state = "completed"
            elif profile == "stalled" and node.stall_date() is not None and node.stall_date() < today and rng.random() < 0.6:
                node.state = "suspended"
            else:
                node.state = "active"
            out.append(node)
    # weights: the project's budget relative to its program's mean
    for prog_code in {p.parent for p in out}:
        group = [p for p in out if p.parent == prog_code]
        mean = float(np.mean([p.budget for p in group]))
        for p in group:
            p.weight = round(float(np.clip(p.budget / mean, 0.2, 5.0)), 2)
    return out


def _milestones(node: Node, rng: np.random.Generator, today: dt.date) -> None:
    names = MILESTONES[node.template.milestones]
    k = int(rng.integers(3, len(names) + 1))
    middle = sorted(rng.choice(np.arange(1, len(names) - 1), size=k - 2, replace=False).tolist())
    chosen = [0, *middle, len(names) - 1]
    raw = rng.dirichlet(np.full(k, 2.0))
    weights = np.maximum(np.round(raw * 20) / 20, 0.05)
    weights[-1] = round(1.0 - weights[:-1].sum(), 2)
    if weights[-1] < 0.05:
        weights = np.full(k, round(1.0 / k, 3))
    positions = np.sort(rng.uniform(0.05, 0.95, size=k - 1)).tolist() + [1.0]
    stall = node.stall_at
    for i, (idx, w, pos) in enumerate(zip(chosen, weights, positions)):
        planned = node.start + dt.timedelta(days=int(pos * node.duration_days))
        if stall is not None and pos > stall:
            actual = None
        else:
            jitter = int(rng.integers(-15, 8))
            actual = node.start + dt.timedelta(days=int(pos * node.duration_days * (1 + node.slip)) + jitter)
            actual = max(actual, node.start)
            if actual > today:
                actual = None
        node.milestones.append(Milestone(i + 1, texts(*names[idx]), float(round(w, 3)), planned, actual))
    # keep actual dates in order
    last = None
    for m in node.milestones:
        if m.actual is not None:
            if last is not None and m.actual < last:
                m.actual = last
            last = m.actual


def budget_lines(node: Node, streams: Streams, today: dt.date) -> list[dict]:
    """Monthly planned / allocated / spent tenge from the project's start to the last complete month
    (and beyond the planned end while a late project is still being paid for)."""
    if node.start > today:
        return []
    rng = streams(f"budget:{node.code}")
    last_done = max((m.actual for m in node.milestones if m.actual), default=None)
    finish = node.end
    if node.milestones and node.milestones[-1].actual is None:
        finish = max(node.end, today)
    elif last_done:
        finish = max(node.end, last_done)
    stop = min(month_start(finish), add_months(month_start(today), -1))
    rows = []
    month = month_start(node.start)
    budget = node.budget or 0.0
    while month <= stop:
        nxt = add_months(month, 1)
        a, b = max(month, node.start), min(nxt, today)
        planned = budget * (node.planned_progress(nxt) - node.planned_progress(max(month, node.start)))
        allocated = planned * float(rng.normal(1.0, 0.05)) if planned > 0 else 0.0
        spent = budget * node.cost_factor * (node.actual_progress(b) - node.actual_progress(a))
        spent *= float(max(rng.normal(1.0, 0.08), 0.0))
        rows.append({"period_start": month, "planned_kzt": round(max(planned, 0.0), -3),
                     "allocated_kzt": round(max(allocated, 0.0), -3), "spent_kzt": round(max(spent, 0.0), -3)})
        month = nxt
    return rows


def readiness(node: Node, day: dt.date) -> float:
    """Technical readiness in percent on ``day`` (100 once the last milestone is done)."""
    if node.milestones and node.milestones[-1].actual is not None and node.milestones[-1].actual <= day:
        return 100.0
    return round(min(node.actual_progress(day) * 100, 99.0), 0)


__all__ = ["Agency", "Node", "agencies", "portfolios_and_programs", "projects", "budget_lines", "readiness"]
