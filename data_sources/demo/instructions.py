"""Instructions (поручения) from meetings: Government sessions, the yearly expanded Government
meeting with the Head of State, national-project meetings chaired by a Deputy Prime Minister and
akimat meetings. As of ``today`` most are done on time, some late, some open and overdue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from data_sources.demo._common import Streams, facts, texts
from data_sources.demo.geo import ORDER, RegionInfo

NODE_TEMPLATES = [
    ("«{kk}» жобасының белгіленген мерзімде іске асырылуын қамтамасыз ету",
     "Обеспечить реализацию проекта «{ru}» в установленный срок", "Ensure that '{en}' is delivered on schedule", "project"),
    ("«{kk}» жобасын іске асыруды жеделдету және кешігуді жою бойынша шаралар қабылдау",
     "Принять меры по ускорению реализации проекта «{ru}» и устранению отставания", "Take measures to speed up '{en}' and make up the delay",
     "project"),
    ("«{kk}» толық әрі уақтылы қаржыландырылуын қамтамасыз ету", "Обеспечить полное и своевременное финансирование «{ru}»",
     "Ensure full and timely financing of '{en}'", "any"),
    ("«{kk}» нысаналы индикаторларына қол жеткізу туралы есеп ұсыну",
     "Представить отчет о достижении целевых индикаторов «{ru}»", "Report on achieving the targets of '{en}'", "program"),
    ("«{kk}» бойынша азаматтардың өтініштерін пысықтап, нәтижесін баяндау", "Проработать обращения граждан по «{ru}» и доложить о результатах",
     "Work through citizens' appeals about '{en}' and report back", "any"),
]
TOPICS = [
    ("тұрғын үй-коммуналдық шаруашылықтағы апаттылықты", "аварийности в жилищно-коммунальном хозяйстве", "accidents in housing and utilities"),
    ("ауыз су тапшылығын", "дефицита питьевой воды", "drinking water shortages"),
    ("жол-көлік оқиғаларының санын", "числа дорожно-транспортных происшествий", "road accidents"),
    ("дәрі-дәрмек бағасының өсуін", "роста цен на лекарства", "rising medicine prices"),
    ("азық-түлік бағасының өсуін", "роста цен на продукты питания", "rising food prices"),
    ("оқушы орындарының тапшылығын", "дефицита ученических мест", "the shortage of school places"),
    ("жұмыссыздықты", "безработицы", "unemployment"),
    ("жалақы бойынша берешекті", "задолженности по заработной плате", "wage arrears"),
]
TOPIC_TEMPLATE = ("{kk} төмендету бойынша ұсыныстар енгізу", "Внести предложения по снижению {ru}", "Submit proposals to reduce {en}")
HEATING = ("{y}–{y1} жылдардағы жылыту маусымына дайындықты қамтамасыз ету", "Обеспечить подготовку к отопительному сезону {y}–{y1} годов",
           "Ensure readiness for the {y}-{y1} heating season")
MEETINGS = {
    "gov": texts("Қазақстан Республикасы Үкіметінің отырысы", "Заседание Правительства Республики Казахстан",
                 "Session of the Government of the Republic of Kazakhstan"),
    "expanded": texts("Мемлекет басшысының қатысуымен Үкіметтің кеңейтілген отырысы",
                      "Расширенное заседание Правительства с участием Главы государства",
                      "Expanded Government meeting with the participation of the Head of State"),
    "np": texts("Ұлттық жобаларды іске асыру жөніндегі кеңес", "Совещание по реализации национальных проектов",
                "Meeting on the implementation of national projects"),
}
REPORT = ("Орындалды. Ақпарат {d} жолданды.", "Исполнено. Информация направлена {d}.", "Done. Report submitted on {d}.")


@dataclass
class InstructionRow:
    code: str
    meeting: dict
    meeting_date: dt.date
    text: dict
    issued_by: str
    assignee: str
    agency: str
    node: str | None
    region: str
    issued: dt.date
    due: dt.date
    done: dt.date | None
    report: dict


def _tuesdays(first: dt.date, last: dt.date) -> list[dt.date]:
    day = first + dt.timedelta(days=(1 - first.weekday()) % 7)
    out = []
    while day <= last:
        if (day.day - 1) // 7 in (0, 2):  # the first and third Tuesday of the month
            out.append(day)
        day += dt.timedelta(days=7)
    return out


def build(regions: list[RegionInfo], officials: dict, posts: dict, nodes: list, streams: Streams, today: dt.date) -> list[InstructionRow]:
    rng = streams("instructions")
    first = dt.date(2023, 1, 1)
    last = today - dt.timedelta(days=1)
    by_region = {r.code: r for r in regions}
    programs = [n for n in nodes if n.level == "program"]
    projects = [n for n in nodes if n.level == "project"]
    ministries = [m["code"] for m in facts()["ministries"]]
    raw: list[tuple] = []  # (meeting key, meeting name, date, issuer, assignee, node, region)

    def active(node, day):
        return node.start <= day + dt.timedelta(days=60) and node.end >= day - dt.timedelta(days=90)

    def ministry_node(agency: str, day: dt.date):
        cands = [n for n in programs if n.agency == agency and active(n, day)]
        cands += [n for n in projects if n.parent in {c.code for c in cands} and active(n, day)]
        return cands[int(rng.integers(len(cands)))] if cands else None

    for day in _tuesdays(first, last):
        for _ in range(int(rng.integers(2, 5))):
            if rng.random() < 0.8:
                agency = ministries[int(rng.integers(len(ministries)))]
                assignee = posts[agency].holder(day)
                node = ministry_node(agency, day) if rng.random() < 0.7 else None
                raw.append(("gov", MEETINGS["gov"], day, posts["PM"].holder(day), assignee, node, "KZ"))
            else:
                region = ORDER[int(rng.integers(len(ORDER)))]
                node = next((n for n in programs if n.code == f"TDP-{region}"), None) if rng.random() < 0.5 else None
                raw.append(("gov", MEETINGS["gov"], day, posts["PM"].holder(day), posts[f"AKIM-{region}"].holder(day), node, region))
    for year in range(2023, today.year + 1):
        day = {2023: dt.date(2023, 1, 28), 2024: dt.date(2024, 2, 7), 2025: dt.date(2025, 1, 28)}.get(year, dt.date(year, 1, 27))
        if day > last:
            continue
        for _ in range(int(rng.integers(14, 21))):
            if rng.random() < 0.65:
                agency = ministries[int(rng.integers(len(ministries)))]
                raw.append(("expanded", MEETINGS["expanded"], day, posts["PM"].holder(day), posts[agency].holder(day),
                            ministry_node(agency, day) if rng.random() < 0.6 else None, "KZ"))
            else:
                region = ORDER[int(rng.integers(len(ORDER)))]
                raw.append(("expanded", MEETINGS["expanded"], day, posts["PM"].holder(day), posts[f"AKIM-{region}"].holder(day), None, region))
    month = dt.date(2023, 1, 1)
    while month <= last:
        day = month + dt.timedelta(days=int(rng.integers(8, 25)))
        if day <= last:
            chair = posts["DPM" if rng.random() < 0.5 or day < dt.date(2023, 2, 6) else "DPM2"].holder(day)
            for _ in range(int(rng.integers(2, 5))):
                nps = [n for n in programs if n.kind == "national_project" and active(n, day)]
                if not nps:
                    break
                prog = nps[int(rng.integers(len(nps)))]
                kids = [n for n in projects if n.parent == prog.code and active(n, day) and n.region != "KZ"]
                if kids and rng.random() < 0.5:
                    node = kids[int(rng.integers(len(kids)))]
                    raw.append(("np", MEETINGS["np"], day, chair, posts[f"AKIM-{node.region}"].holder(day), node, node.region))
                else:
                    raw.append(("np", MEETINGS["np"], day, chair, posts[prog.agency].holder(day), prog, "KZ"))
        month = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    for code in ORDER:
        r = by_region[code]
        meeting = texts(f"{r.name['kk']} әкімдігінің отырысы", f"Заседание акимата {r.gen_ru}", f"Meeting of the akimat of {r.name['en']}")
        day = first + dt.timedelta(days=int(rng.integers(10, 60)))
        while day <= last:
            mine = [n for n in projects if n.region == code and active(n, day)]
            for _ in range(int(rng.integers(1, 4))):
                node = mine[int(rng.integers(len(mine)))] if mine and rng.random() < 0.75 else \
                    next((n for n in programs if n.code == f"TDP-{code}"), None)
                dept = "CON"
                if node is not None and node.template is not None:
                    from data_sources.demo.people import TEMPLATE_DEPARTMENT

                    dept = TEMPLATE_DEPARTMENT.get(node.template.key, "CON")
                elif rng.random() < 0.5:
                    dept = ("UTL", "HLT", "EDU")[int(rng.integers(3))]
                raw.append(("akimat", meeting, day, posts[f"AKIM-{code}"].holder(day), posts[f"{code}-{dept}"].holder(day), node, code))
            day += dt.timedelta(days=int(rng.integers(70, 110)))
    raw.sort(key=lambda x: (x[2], x[0], x[6], x[4]))

    out: list[InstructionRow] = []
    counters: dict[int, int] = {}
    for key, meeting, day, issuer, assignee, node, region in raw:
        counters[day.year] = counters.get(day.year, 0) + 1
        code = f"INS-{day.year}-{counters[day.year]:04d}"
        text, due = _text(rng, node, day)
        text = {loc: value[:1].upper() + value[1:] for loc, value in text.items()}
        done = _outcome(rng, day, due, today)
        report = {} if done is None else {loc: t.format(d=done.isoformat()) for loc, t in zip(("kk", "ru", "en"), REPORT)}
        out.append(InstructionRow(code, meeting, day, text, issuer, assignee, officials[assignee].agency,
                                  node.code if node is not None else None, region, day, due, done, report))
    return out


def _text(rng: np.random.Generator, node, day: dt.date) -> tuple[dict, dt.date]:
    if node is None:
        if 3 <= day.month <= 7 and rng.random() < 0.35:
            y = day.year
            text = {loc: t.format(y=y, y1=y + 1) for loc, t in zip(("kk", "ru", "en"), HEATING)}
            return text, dt.date(y, 9, 15)
        topic = TOPICS[int(rng.integers(len(TOPICS)))]
        text = {loc: t.format(kk=topic[0], ru=topic[1], en=topic[2]) for loc, t in zip(("kk", "ru", "en"), TOPIC_TEMPLATE)}
        return text, day + dt.timedelta(days=int(rng.choice([30, 45, 60, 90])))
    fitting = [t for t in NODE_TEMPLATES if t[3] == "any" or t[3] == node.level]
    t = fitting[int(rng.integers(len(fitting)))]
    text = {"kk": t[0].format(kk=node.name["kk"]), "ru": t[1].format(ru=node.name["ru"]), "en": t[2].format(en=node.name["en"])}
    return text, day + dt.timedelta(days=int(rng.choice([14, 30, 30, 60, 60, 90, 180])))


def _outcome(rng: np.random.Generator, issued: dt.date, due: dt.date, today: dt.date) -> dt.date | None:
    span = max((due - issued).days, 1)
    if due < today:
        old = (today - due).days > 365
        r = rng.random()
        p_open = 0.07 if old else 0.25
        if r < p_open:
            return None
        if r < p_open + 0.2:
            done = due + dt.timedelta(days=int(rng.integers(2, 75)))
            return done if done < today else None
        return issued + dt.timedelta(days=int(span * rng.uniform(0.35, 1.0)))
    if rng.random() < 0.3:
        done = issued + dt.timedelta(days=int(span * rng.uniform(0.2, 0.9)))
        return done if done < today else None
    return None
