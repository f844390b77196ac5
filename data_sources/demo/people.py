"""Officials (synthetic people: plausible Kazakh names, never real ones) and who is accountable
for what: posts with tenures, and responsibilities that follow the tenures."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np

from data_sources.demo._common import Streams, facts, texts
from data_sources.demo.geo import ORDER, RegionInfo

MALE = [("Ерлан", "Ерлан", "Yerlan"), ("Нұрлан", "Нурлан", "Nurlan"), ("Серік", "Серик", "Serik"), ("Асқар", "Аскар", "Askar"),
        ("Бауыржан", "Бауыржан", "Bauyrzhan"), ("Дәурен", "Даурен", "Dauren"), ("Ержан", "Ержан", "Yerzhan"), ("Қанат", "Канат", "Kanat"),
        ("Марат", "Марат", "Marat"), ("Болат", "Болат", "Bolat"), ("Ғалым", "Галым", "Galym"), ("Талғат", "Талгат", "Talgat"),
        ("Әділет", "Адилет", "Adilet"), ("Бақытжан", "Бахытжан", "Bakhytzhan"), ("Жандос", "Жандос", "Zhandos"), ("Айдос", "Айдос", "Aidos"),
        ("Санжар", "Санжар", "Sanzhar"), ("Нұржан", "Нуржан", "Nurzhan"), ("Мұрат", "Мурат", "Murat"), ("Арман", "Арман", "Arman"),
        ("Ғабит", "Габит", "Gabit"), ("Олжас", "Олжас", "Olzhas"), ("Дархан", "Дархан", "Darkhan"), ("Ербол", "Ербол", "Yerbol"),
        ("Тимур", "Тимур", "Timur"), ("Руслан", "Руслан", "Ruslan"), ("Мақсат", "Максат", "Maksat"), ("Ақылбек", "Акылбек", "Akylbek"),
        ("Данияр", "Данияр", "Daniyar"), ("Еркебұлан", "Еркебулан", "Yerkebulan")]
FEMALE = [("Әлия", "Алия", "Aliya"), ("Гүлнар", "Гульнар", "Gulnar"), ("Айгүл", "Айгуль", "Aigul"), ("Динара", "Динара", "Dinara"),
          ("Жанар", "Жанар", "Zhanar"), ("Сәуле", "Сауле", "Saule"), ("Ләззат", "Ляззат", "Lyazzat"), ("Мадина", "Мадина", "Madina"),
          ("Ақмарал", "Акмарал", "Akmaral"), ("Гүлмира", "Гульмира", "Gulmira"), ("Әсел", "Асель", "Assel"), ("Назгүл", "Назгуль", "Nazgul"),
          ("Ботагөз", "Ботагоз", "Botagoz"), ("Жансая", "Жансая", "Zhansaya"), ("Аружан", "Аружан", "Aruzhan"), ("Камила", "Камила", "Kamila"),
          ("Индира", "Индира", "Indira"), ("Салтанат", "Салтанат", "Saltanat"), ("Шынар", "Шынар", "Shynar"), ("Меруерт", "Меруерт", "Meruert")]
SURNAMES = [("Әбдірахманов", "Абдрахманов", "Abdrakhmanov"), ("Жұмабеков", "Жумабеков", "Zhumabekov"),
            ("Сәрсенбаев", "Сарсенбаев", "Sarsenbayev"), ("Құдайбергенов", "Кудайбергенов", "Kudaibergenov"),
            ("Ермеков", "Ермеков", "Yermekov"), ("Нұрпейісов", "Нурпеисов", "Nurpeisov"), ("Бекмұхамбетов", "Бекмухамбетов", "Bekmukhambetov"),
            ("Тілеубаев", "Тлеубаев", "Tleubayev"), ("Оспанов", "Оспанов", "Ospanov"), ("Есенов", "Есенов", "Yessenov"),
            ("Мұқанов", "Муканов", "Mukanov"), ("Байжанов", "Байжанов", "Baizhanov"), ("Сейітқалиев", "Сейткалиев", "Seitkaliyev"),
            ("Әлімжанов", "Алимжанов", "Alimzhanov"), ("Түсіпбеков", "Тусупбеков", "Tussupbekov"), ("Жақсылықов", "Жаксылыков", "Zhaksylykov"),
            ("Қожахметов", "Кожахметов", "Kozhakhmetov"), ("Шәріпов", "Шарипов", "Sharipov"), ("Төлегенов", "Тулегенов", "Tulegenov"),
            ("Мырзахметов", "Мырзахметов", "Myrzakhmetov"), ("Дүйсенов", "Дюсенов", "Dyussenov"), ("Смағұлов", "Смагулов", "Smagulov"),
            ("Рахымжанов", "Рахимжанов", "Rakhimzhanov"), ("Бейсенов", "Бейсенов", "Beissenov"), ("Қалиев", "Калиев", "Kaliyev"),
            ("Өтебаев", "Утебаев", "Utebayev"), ("Сұлтанбеков", "Султанбеков", "Sultanbekov"), ("Әмірханов", "Амирханов", "Amirkhanov"),
            ("Иманғалиев", "Имангалиев", "Imangaliyev"), ("Жарылғасов", "Жарылгасов", "Zharylgassov"), ("Тоқтаров", "Токтаров", "Toktarov"),
            ("Байғожин", "Байгожин", "Baigozhin"), ("Нұрғалиев", "Нургалиев", "Nurgaliyev"), ("Серікбаев", "Серикбаев", "Serikbayev"),
            ("Медеуов", "Медеуов", "Medeuov"), ("Орынбасаров", "Орынбасаров", "Orynbassarov"), ("Қуанышев", "Куанышев", "Kuanyshev"),
            ("Әбенов", "Абенов", "Abenov"), ("Ілиясов", "Ильясов", "Ilyassov"), ("Сағынтаев", "Сагынтаев", "Sagyntayev")]

DEPARTMENTS = {
    "CON": ("құрылыс басқармасының басшысы", "Руководитель управления строительства", "Head of the Construction Department"),
    "UTL": ("энергетика және тұрғын үй-коммуналдық шаруашылық басқармасының басшысы",
            "Руководитель управления энергетики и жилищно-коммунального хозяйства", "Head of the Energy and Housing and Utilities Department"),
    "HLT": ("денсаулық сақтау басқармасының басшысы", "Руководитель управления здравоохранения", "Head of the Healthcare Department"),
    "EDU": ("білім басқармасының басшысы", "Руководитель управления образования", "Head of the Education Department"),
}
TEMPLATE_DEPARTMENT = {
    "hospital": "HLT", "rehab": "HLT", "phc": "HLT", "oncology": "HLT", "fap": "HLT", "crh": "HLT", "sports": "CON",
    "school": "EDU", "kindergarten": "EDU", "college": "EDU", "school_repair": "EDU", "keleshek": "EDU", "keleshek_rural": "EDU",
    "water_city": "UTL", "water_rural": "UTL", "heating": "UTL", "heat_net": "UTL", "chp": "UTL", "chp2": "UTL", "water_net": "UTL",
    "wwtp": "UTL", "power_net": "UTL", "gas": "UTL", "lighting": "UTL", "sewer": "UTL",
}


@dataclass
class Official:
    code: str
    name: dict
    post: dict
    kind: str
    agency: str
    region: str
    female: bool = False


@dataclass
class Post:
    """An office held by a sequence of officials: ``tenures`` = [(official code, from, to or None)]."""

    key: str
    tenures: list = field(default_factory=list)

    def holder(self, day: dt.date) -> str:
        for code, start, end in self.tenures:
            if start <= day and (end is None or day <= end):
                return code
        return self.tenures[0][0] if day < self.tenures[0][1] else self.tenures[-1][0]


@dataclass
class Responsibility:
    node: str
    goal: str | None  # indicator code of the node's goal, or None for the whole node
    official: str
    valid_from: dt.date
    valid_to: dt.date | None


class Names:
    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.used: set[tuple] = set()

    def draw(self, female: bool) -> dict:
        firsts = FEMALE if female else MALE
        while True:
            first = firsts[int(self.rng.integers(len(firsts)))]
            last = SURNAMES[int(self.rng.integers(len(SURNAMES)))]
            if (first, last) not in self.used:
                self.used.add((first, last))
                break
        suffix = "а" if female else ""
        return texts(f"{first[0]} {last[0]}{suffix}", f"{first[1]} {last[1]}{suffix}", f"{first[2]} {last[2]}{'a' if female else ''}")


def _minister_post(m: dict) -> dict:
    en = re.sub(r"\s*\([^)]*\)", "", m["name_en"]).replace("Ministry", "Minister", 1)
    return texts(re.sub(r"министрлігі$", "министрі", m["name_kk"]), m["name_ru"].replace("Министерство", "Министр", 1), en)


GOV_POSTS = {
    "PM": texts("Қазақстан Республикасының Премьер-Министрі", "Премьер-Министр Республики Казахстан", "Prime Minister of the Republic of Kazakhstan"),
    "FDPM": texts("Қазақстан Республикасы Премьер-Министрінің бірінші орынбасары", "Первый заместитель Премьер-Министра Республики Казахстан",
                  "First Deputy Prime Minister of the Republic of Kazakhstan"),
    "DPM": texts("Қазақстан Республикасы Премьер-Министрінің орынбасары", "Заместитель Премьер-Министра Республики Казахстан",
                 "Deputy Prime Minister of the Republic of Kazakhstan"),
    "DPM-MNE": texts("Премьер-Министрдің орынбасары – Ұлттық экономика министрі", "Заместитель Премьер-Министра – Министр национальной экономики",
                     "Deputy Prime Minister – Minister of National Economy"),
}


def _change_date(rng: np.random.Generator, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=int(rng.integers(0, max((hi - lo).days, 1))))


def officials_and_posts(regions: list[RegionInfo], streams: Streams, today: dt.date):
    """All officials and the posts they hold, with tenure history."""
    rng = streams("officials")
    names = Names(streams("names"))
    officials: dict[str, Official] = {}
    posts: dict[str, Post] = {}
    early = dt.date(2019, 1, 1)
    late = today - dt.timedelta(days=120)

    def person(code, post, kind, agency, region, female_share):
        female = bool(rng.random() < female_share)
        officials[code] = Official(code, names.draw(female), post, kind, agency, region, female)
        return code

    # Government
    posts["PM"] = Post("PM", [(person("OF-GOV-01", GOV_POSTS["PM"], "political", "GOV", "KZ", 0.1), dt.date(2022, 1, 11), None)])
    fdpm_change = dt.date(2022, 1, 11)
    posts["FDPM"] = Post("FDPM", [
        (person("OF-GOV-02", GOV_POSTS["FDPM"], "political", "GOV", "KZ", 0.1), early, fdpm_change - dt.timedelta(days=1)),
        (person("OF-GOV-03", GOV_POSTS["FDPM"], "political", "GOV", "KZ", 0.1), fdpm_change, None)])
    dpm_mne_from = dt.date(2023, 9, 1)
    posts["DPM-MNE"] = Post("DPM-MNE", [(person("OF-GOV-04", GOV_POSTS["DPM-MNE"], "political", "MNE", "KZ", 0.15), dpm_mne_from, None)])
    posts["DPM"] = Post("DPM", [(person("OF-GOV-05", GOV_POSTS["DPM"], "political", "GOV", "KZ", 0.3), dt.date(2022, 1, 11), None)])
    posts["DPM2"] = Post("DPM2", [(person("OF-GOV-06", GOV_POSTS["DPM"], "political", "GOV", "KZ", 0.3), dt.date(2023, 2, 6), None)])
    # Ministers: about a third of the ministries changed minister since 2022
    for m in facts()["ministries"]:
        code = m["code"]
        post = _minister_post(m)
        if code == "MNE":
            former = person(f"OF-{code}-01", post, "political", code, "KZ", 0.15)
            posts[code] = Post(code, [(former, early, dpm_mne_from - dt.timedelta(days=1)), *posts["DPM-MNE"].tenures])
            continue
        if rng.random() < 0.35:
            change = _change_date(rng, dt.date(2022, 1, 1), late)
            a = person(f"OF-{code}-01", post, "political", code, "KZ", 0.15)
            b = person(f"OF-{code}-02", post, "political", code, "KZ", 0.15)
            posts[code] = Post(code, [(a, early, change - dt.timedelta(days=1)), (b, change, None)])
        else:
            start = _change_date(rng, early, dt.date(2021, 12, 31))
            posts[code] = Post(code, [(person(f"OF-{code}-01", post, "political", code, "KZ", 0.15), min(start, early), None)])
    # Akims
    by_code = {r.code: r for r in regions}
    for code in ORDER:
        r = by_code[code]
        post = texts(f"{r.kk_gen} әкімі", f"Аким {r.gen_ru}", f"Akim of {r.name['en']}")
        first = r.valid_from or early
        agency = f"AKIMAT-{code}"
        if rng.random() < 0.3:
            change = _change_date(rng, max(first, dt.date(2022, 1, 1)) + dt.timedelta(days=200), late)
            a = person(f"OF-AKIM-{code}-01", post, "political", agency, code, 0.08)
            b = person(f"OF-AKIM-{code}-02", post, "political", agency, code, 0.08)
            posts[f"AKIM-{code}"] = Post(f"AKIM-{code}", [(a, first, change - dt.timedelta(days=1)), (b, change, None)])
        else:
            posts[f"AKIM-{code}"] = Post(f"AKIM-{code}", [(person(f"OF-AKIM-{code}-01", post, "political", agency, code, 0.08), first, None)])
        # Heads of the akimat's departments (administrative servants); some were replaced
        for dept, (kk, ru, en) in DEPARTMENTS.items():
            dpost = texts(f"{r.kk_gen} {kk}", f"{ru} {r.gen_ru}", f"{en}, {r.name['en']}")
            key = f"{code}-{dept}"
            if dept in ("CON", "UTL") and rng.random() < 0.4:
                change = _change_date(rng, dt.date(2023, 1, 1), late)
                a = person(f"OF-{code}-{dept}-01", dpost, "administrative", agency, code, 0.35)
                b = person(f"OF-{code}-{dept}-02", dpost, "administrative", agency, code, 0.35)
                posts[key] = Post(key, [(a, early, change - dt.timedelta(days=1)), (b, change, None)])
            else:
                posts[key] = Post(key, [(person(f"OF-{code}-{dept}-01", dpost, "administrative", agency, code, 0.45), early, None)])
    # Project offices of the ministries that run national projects
    for m in facts()["ministries"]:
        code = m["code"]
        if code not in ("MOH", "MOE", "MCI", "MAIDD", "MNE", "MENR", "MOA", "MIA", "MOEN"):
            continue
        gen_kk = re.sub(r"министрлігі$", "министрлігінің", m["name_kk"])
        en_name = re.sub(r"\s*\([^)]*\)", "", m["name_en"])
        post = texts(f"{gen_kk} жобалық кеңсесінің директоры", f"Директор проектного офиса {m['name_ru'].replace('Министерство', 'Министерства', 1)}",
                     f"Director of the Project Office, {en_name}")
        posts[f"PO-{code}"] = Post(f"PO-{code}", [(person(f"OF-{code}-PO-01", post, "administrative", code, "KZ", 0.45), early, None)])
    return officials, posts


def responsibilities(post: Post, node: str, goal: str | None, since: dt.date, today: dt.date) -> list[Responsibility]:
    """Split an assignment from ``since`` along the post's tenures (handovers end one official's
    responsibility and start the next one's)."""
    out = []
    for code, start, end in post.tenures:
        a = max(since, start)
        if end is not None and end < since:
            continue
        if a > today:
            continue
        out.append(Responsibility(node, goal, code, a, end if (end is not None and end < today) else None))
    if not out:  # assigned ahead of time (a planned project): the current holder
        out.append(Responsibility(node, goal, post.tenures[-1][0], min(since, today), None))
    return out
