"""Templated texts of the demo in kk, ru and en: project names, milestones, meetings, instructions.

Placeholders: ``{c}`` the region's centre, ``{rl}`` "in the region", ``{rg}`` "of the region", ``{n}`` a
number, ``{s}`` a stage. Each locale has its own grammar (see :class:`data_sources.demo.geo.RegionInfo`).
"""

from __future__ import annotations

from dataclasses import dataclass

MILESTONES = {
    "construction": [
        ("Жобалау-сметалық құжаттама бекітілді", "Утверждена проектно-сметная документация", "Design and cost estimate approved"),
        ("Мемлекеттік сараптаманың қорытындысы алынды", "Получено заключение государственной экспертизы", "State expert review passed"),
        ("Мердігер анықталды", "Определен подрядчик", "Contractor selected"),
        ("Іргетас жұмыстары аяқталды", "Завершены работы нулевого цикла", "Foundation works completed"),
        ("Қаңқа мен шатыр тұрғызылды", "Возведены каркас и кровля", "Frame and roof completed"),
        ("Инженерлік желілер тартылды", "Подведены инженерные сети", "Utility connections completed"),
        ("Әрлеу жұмыстары аяқталды, жабдық орнатылды", "Завершены отделочные работы, установлено оборудование", "Finishing works done, equipment installed"),
        ("Нысан пайдалануға берілді", "Объект введен в эксплуатацию", "Facility commissioned"),
    ],
    "network": [
        ("Жобалау-сметалық құжаттама бекітілді", "Утверждена проектно-сметная документация", "Design and cost estimate approved"),
        ("Мемлекеттік сараптаманың қорытындысы алынды", "Получено заключение государственной экспертизы", "State expert review passed"),
        ("Мердігер анықталды", "Определен подрядчик", "Contractor selected"),
        ("Бірінші кезектің құрылысы аяқталды", "Завершено строительство первой очереди", "First phase completed"),
        ("Екінші кезектің құрылысы аяқталды", "Завершено строительство второй очереди", "Second phase completed"),
        ("Сынақтар жүргізілді", "Проведены испытания", "Tests carried out"),
        ("Тұтынушылар қосылды", "Подключены потребители", "Consumers connected"),
        ("Нысан пайдалануға қабылданды", "Объект принят в эксплуатацию", "Accepted into operation"),
    ],
    "digital": [
        ("Техникалық тапсырма бекітілді", "Утверждено техническое задание", "Technical specification approved"),
        ("Мемлекеттік сатып алу өткізілді", "Проведены государственные закупки", "Procurement completed"),
        ("Жүйе әзірленді", "Система разработана", "System developed"),
        ("Пилоттық енгізу", "Пилотное внедрение", "Pilot deployment"),
        ("Толық көлемде енгізу", "Внедрение в полном объеме", "Full roll-out"),
        ("Пайдалануға қабылдау", "Приемка в эксплуатацию", "Acceptance into operation"),
    ],
    "programme": [
        ("Іс-шаралар жоспары бекітілді", "Утвержден план мероприятий", "Action plan approved"),
        ("Қатысушыларды іріктеу аяқталды", "Завершен отбор участников", "Participants selected"),
        ("Қаржыландырудың бірінші траншы", "Первый транш финансирования", "First financing tranche"),
        ("Қаржыландырудың екінші траншы", "Второй транш финансирования", "Second financing tranche"),
        ("Аралық нәтижелер бағаланды", "Проведена оценка промежуточных результатов", "Interim results assessed"),
        ("Қорытынды есеп қабылданды", "Принят итоговый отчет", "Final report accepted"),
    ],
}


@dataclass(frozen=True)
class Template:
    key: str
    kk: str
    ru: str
    en: str
    milestones: str
    budget_bn: tuple[float, float]
    months: tuple[int, int]
    outcome: str | None = None  # a regional indicator the project moves (a goal of the project)
    numbers: tuple = ()
    rural: bool = False  # needs villages: not in the three cities
    only: tuple = ()  # restricted to these regions


T = Template
HOSPITAL = T("hospital", "{c} қаласында {n} төсектік көпбейінді аурухана салу", "Строительство многопрофильной больницы на {n} коек в г. {c}",
             "Construction of a {n}-bed multi-profile hospital in {c}", "construction", (15, 60), (24, 42), numbers=(200, 300, 450, 600))
REHAB = T("rehab", "{c} қаласында балаларды оңалту орталығын салу", "Строительство детского реабилитационного центра в г. {c}",
          "Construction of a children's rehabilitation centre in {c}", "construction", (3, 9), (18, 30))
SPORTS = T("sports", "{c} қаласында дене шынықтыру-сауықтыру кешенін салу", "Строительство физкультурно-оздоровительного комплекса в г. {c}",
           "Construction of a sports and fitness centre in {c}", "construction", (1.5, 5), (12, 24), outcome="SPORT_INFRASTRUCTURE")
PHC = T("phc", "{rg} ауылдарында алғашқы медициналық-санитариялық көмек нысандарын салу ({s}-кезең)",
        "Строительство объектов ПМСП в селах {rg} ({s}-й этап)", "Primary health care facilities in villages of {rg} (stage {s})",
        "construction", (2, 8), (12, 24), rural=True)
ONCOLOGY = T("oncology", "{c} қаласындағы облыстық онкологиялық орталықты жаңғырту", "Модернизация областного онкологического центра в г. {c}",
             "Modernisation of the regional oncology centre in {c}", "construction", (4, 12), (18, 30))
SCHOOL = T("school", "{c} қаласында {n} орындық мектеп салу", "Строительство школы на {n} мест в г. {c}",
           "Construction of a {n}-place school in {c}", "construction", (3, 12), (18, 30), numbers=(300, 600, 900, 1200, 1500))
KINDERGARTEN = T("kindergarten", "{c} қаласында {n} орындық балабақша салу", "Строительство детского сада на {n} мест в г. {c}",
                 "Construction of a {n}-place kindergarten in {c}", "construction", (0.8, 3), (12, 20),
                 outcome="PRESCHOOL_COVERAGE_2_6", numbers=(160, 240, 320))
COLLEGE = T("college", "{c} қаласындағы колледж шеберханаларын жаңғырту", "Модернизация мастерских колледжа в г. {c}",
            "Modernisation of college workshops in {c}", "construction", (0.5, 2), (9, 18))
SCHOOL_REPAIR = T("school_repair", "{rg} мектептерін күрделі жөндеу ({s}-кезең)", "Капитальный ремонт школ {rg} ({s}-й этап)",
                  "Major repair of schools in {rg} (stage {s})", "construction", (1, 5), (12, 24), outcome="EMERGENCY_SCHOOLS")
MONUMENT = T("monument", "{c} қаласындағы тарихи-мәдени ескерткішті қалпына келтіру", "Реставрация историко-культурного памятника в г. {c}",
             "Restoration of a historical and cultural monument in {c}", "construction", (0.3, 2), (12, 24))
CULTURE_HOUSE = T("culture_house", "{rg} ауылдарында мәдениет үйлерін салу", "Строительство домов культуры в селах {rg}",
                  "Houses of culture in villages of {rg}", "construction", (1, 4), (12, 24), rural=True)
LIBRARY = T("library", "{c} қаласындағы облыстық кітапхананы жаңғырту", "Модернизация областной библиотеки в г. {c}",
            "Modernisation of the regional library in {c}", "construction", (0.4, 1.5), (9, 18))
IT_HUB = T("it_hub", "{c} қаласында IT-хаб құру", "Создание IT-хаба в г. {c}", "IT hub in {c}", "digital", (0.5, 3), (12, 24))
EGOV = T("egov", "{rg} әкімдігінің қызметтерін цифрландыру", "Цифровизация услуг акимата {rg}", "Digitalisation of akimat services in {rg}",
         "digital", (0.3, 1.5), (9, 18), outcome="EGOV_SHARE_ONLINE")
SCHOOL_NET = T("school_net", "{rg} мектептерін жоғары жылдамдықты интернетке қосу", "Подключение школ {rg} к высокоскоростному интернету",
               "High-speed internet for schools of {rg}", "network", (0.5, 2), (12, 24))
INDUSTRIAL_ZONE = T("industrial_zone", "{c} қаласында индустриялық аймақтың инфрақұрылымын салу",
                    "Строительство инфраструктуры индустриальной зоны в г. {c}", "Infrastructure of an industrial zone in {c}",
                    "network", (3, 15), (18, 36))
INCUBATOR = T("incubator", "{c} қаласында бизнес-инкубатор ашу", "Открытие бизнес-инкубатора в г. {c}", "Business incubator in {c}",
              "programme", (0.2, 1), (9, 18))
MICROCREDIT = T("microcredit", "{rg} ауыл кәсіпкерлеріне шағын несие беру", "Микрокредитование сельских предпринимателей {rg}",
                "Microcredit for rural entrepreneurs of {rg}", "programme", (1, 5), (12, 24), rural=True)
WATER_CITY = T("water_city", "{c} қаласының сумен жабдықтау желілерін қайта жаңарту", "Реконструкция сетей водоснабжения г. {c}",
               "Reconstruction of the water supply network of {c}", "network", (2, 10), (18, 36), outcome="DRINKING_WATER_ACCESS_URBAN")
WATER_RURAL = T("water_rural", "{rg} ауылдарын ауыз сумен қамтамасыз ету ({s}-кезең)", "Обеспечение питьевой водой сел {rg} ({s}-й этап)",
                "Drinking water for villages of {rg} (stage {s})", "network", (1, 6), (12, 30), outcome="DRINKING_WATER_ACCESS_RURAL",
                rural=True)
ROAD = T("road", "{rg} жергілікті жолдарын реконструкциялау ({n} км)", "Реконструкция автодорог местного значения {rg} ({n} км)",
         "Reconstruction of local roads in {rg} ({n} km)", "network", (2, 15), (12, 36), outcome="LOCAL_ROADS_GOOD",
         numbers=(25, 40, 60, 85, 120))
HOUSING = T("housing", "{c} қаласында кезектегілерге арналған көппәтерлі тұрғын үй салу",
            "Строительство многоквартирного жилья для очередников в г. {c}", "Apartment blocks for families on the waiting list in {c}",
            "construction", (2, 9), (12, 30))
HEATING = T("heating", "{c} қаласының жылу желілерін жаңарту", "Обновление тепловых сетей г. {c}", "Renewal of heat networks in {c}",
            "network", (2, 12), (12, 30), outcome="DISTRICT_HEATING_LOSSES")
PETROCHEM = T("petrochem", "{rl} мұнай-химия өндірісін салу", "Строительство нефтехимического производства в {rl}",
              "Petrochemical plant in {rl}", "construction", (200, 900), (36, 60), only=("ATY", "PVD", "SHY", "TRK", "MNG"))
LOGISTICS = T("logistics", "{c} қаласында көлік-логистикалық орталық салу", "Строительство транспортно-логистического центра в г. {c}",
              "Transport and logistics centre in {c}", "construction", (10, 60), (24, 42))
INDUSTRIAL_PARK = T("industrial_park", "{c} қаласында индустриялық парк құру", "Создание индустриального парка в г. {c}",
                    "Industrial park in {c}", "network", (5, 30), (24, 36))
WASTE_PLANT = T("waste_plant", "{c} қаласында қалдықтарды сұрыптау зауытын салу", "Строительство мусоросортировочного завода в г. {c}",
                "Waste sorting plant in {c}", "construction", (2, 10), (18, 30), outcome="MSW_RECYCLING_SHARE")
FOREST = T("forest", "{rl} орман екпелерін отырғызу ({n} га)", "Лесовосстановление в {rl} ({n} га)", "Reforestation in {rl} ({n} ha)",
           "programme", (0.3, 2), (12, 36), numbers=(500, 1000, 2000, 5000), rural=True)
CANAL = T("canal", "{rl} суару каналын қайта жаңарту", "Реконструкция оросительного канала в {rl}",
          "Reconstruction of an irrigation canal in {rl}", "network", (2, 12), (18, 36), rural=True,
          only=("TRK", "JMB", "KZY", "ALR", "JTS", "AKM", "WKR", "EKR", "ABY"))
RESERVOIR = T("reservoir", "{rl} су қоймасын салу", "Строительство водохранилища в {rl}", "Reservoir in {rl}", "construction", (10, 50),
              (30, 48), rural=True, only=("AKM", "WKR", "JMB", "KZY", "TRK"))
CHP2 = T("chp2", "Алматы ЖЭО-2-ні газға көшіру", "Перевод Алматинской ТЭЦ-2 на газ", "Conversion of Almaty CHP-2 to gas", "construction",
         (150, 250), (36, 48), only=("ALA",))
DAIRY = T("dairy", "{rl} сүт-тауар фермаларын салу", "Строительство молочно-товарных ферм в {rl}", "Dairy farms in {rl}",
          "construction", (1, 6), (12, 30), rural=True)
MEAT = T("meat", "{c} қаласында ет өңдеу кәсіпорнын салу", "Строительство мясоперерабатывающего предприятия в г. {c}",
         "Meat processing plant in {c}", "construction", (2, 10), (18, 30), rural=True)
GREENHOUSE = T("greenhouse", "{rl} жылыжай кешенін салу", "Строительство тепличного комплекса в {rl}", "Greenhouse complex in {rl}",
               "construction", (1, 8), (12, 24), rural=True)
CCTV = T("cctv", "{c} қаласында бейнебақылау жүйесін енгізу", "Внедрение системы видеонаблюдения в г. {c}",
         "Video surveillance system in {c}", "digital", (0.5, 3), (9, 18), outcome="CRIME_RATE_10K")
FIRE_STATION = T("fire_station", "{rl} өрт сөндіру депосын салу", "Строительство пожарного депо в {rl}", "Fire station in {rl}",
                 "construction", (0.4, 1.5), (12, 20), outcome="EMERGENCY_RESPONSE_MIN")
E112 = T("e112", "{c} қаласында 112 бірыңғай кезекші-диспетчерлік қызметін жаңғырту",
         "Модернизация единой дежурно-диспетчерской службы 112 в г. {c}", "Modernisation of the 112 emergency dispatch service in {c}",
         "digital", (0.3, 1.2), (9, 18))
KELESHEK = T("keleshek", "{c} қаласында {n} орындық «Келешек мектебі»", "«Келешек мектебі» на {n} мест в г. {c}",
             "'Keleshek' school for {n} pupils in {c}", "construction", (6, 15), (14, 24), numbers=(1200, 1500, 2000, 2500, 3000))
KELESHEK_RURAL = T("keleshek_rural", "{rg} ауылында {n} орындық «Келешек мектебі»", "«Келешек мектебі» на {n} мест в селе {rg}",
                   "'Keleshek' school for {n} pupils in a village of {rg}", "construction", (3, 8), (14, 24), numbers=(300, 600, 900),
                   rural=True)
FAP = T("fap", "{rg} ауылдарында {n} медициналық пункт салу", "Строительство {n} медицинских пунктов в селах {rg}",
        "{n} rural medical posts in {rg}", "construction", (0.8, 3), (9, 18), outcome="RURAL_HEALTH_FACILITIES",
        numbers=(8, 12, 15, 20, 25), rural=True)
CRH = T("crh", "{rl} орталық аудандық аурухананы жаңғырту", "Модернизация центральной районной больницы в {rl}",
        "Modernisation of a central district hospital in {rl}", "construction", (2, 6), (12, 24), rural=True)
FIBRE = T("fibre", "{rg} ауылдарына талшықты-оптикалық байланыс желілерін тарту", "Строительство волоконно-оптических линий связи в села {rg}",
          "Fibre-optic lines to villages of {rg}", "network", (1, 5), (12, 24), outcome="RURAL_BROADBAND", rural=True)
G5 = T("g5", "{c} қаласында 5G желісін орналастыру", "Развертывание сети 5G в г. {c}", "5G network in {c}", "digital", (2, 8), (12, 24))
HEAT_NET = T("heat_net", "{c} қаласының жылу желілерін реконструкциялау ({n} км)", "Реконструкция тепловых сетей г. {c} ({n} км)",
             "Reconstruction of heat networks in {c} ({n} km)", "network", (3, 20), (18, 36), outcome="DISTRICT_HEATING_LOSSES",
             numbers=(12, 20, 35, 50))
CHP = T("chp", "{c} қаласының жылу электр орталығын жаңғырту", "Модернизация ТЭЦ г. {c}",
        "Modernisation of the combined heat and power plant in {c}", "construction", (20, 120), (24, 48))
WATER_NET = T("water_net", "{c} қаласының сумен жабдықтау және су бұру желілерін ауыстыру", "Замена сетей водоснабжения и водоотведения г. {c}",
              "Replacement of water and wastewater networks in {c}", "network", (2, 12), (18, 30), outcome="SEWERAGE_COVERAGE")
WWTP = T("wwtp", "{c} қаласында кәріз тазарту құрылыстарын салу", "Строительство канализационных очистных сооружений в г. {c}",
         "Wastewater treatment plant in {c}", "construction", (4, 20), (24, 36))
POWER_NET = T("power_net", "{rg} электр желілерін жаңғырту", "Модернизация электрических сетей {rg}", "Modernisation of power grids in {rg}",
              "network", (3, 15), (18, 36))
COOP = T("coop", "{rl} ауыл шаруашылығы кооперативтерін қолдау", "Поддержка сельскохозяйственных кооперативов в {rl}",
         "Support for agricultural cooperatives in {rl}", "programme", (1, 6), (12, 30), outcome="AGRI_COOPERATIVES", rural=True)
MILK = T("milk", "{rl} сүт жинау пункттерінің желісін құру", "Создание сети пунктов сбора молока в {rl}", "Milk collection network in {rl}",
         "programme", (0.3, 1.5), (9, 18), rural=True)
GAS = T("gas", "{rg} елді мекендерін газдандыру ({s}-кезең)", "Газификация населенных пунктов {rg} ({s}-й этап)",
        "Gas supply for settlements of {rg} (stage {s})", "network", (1, 8), (12, 30), outcome="GAS_SUPPLY_COVERAGE")
PARK = T("park", "{c} қаласында саябақ пен қоғамдық кеңістікті абаттандыру", "Благоустройство парка и общественного пространства в г. {c}",
         "Improvement of a park and public space in {c}", "construction", (0.3, 2), (6, 15))
LIGHTING = T("lighting", "{c} қаласының көшелерін жарықтандыру", "Освещение улиц г. {c}", "Street lighting in {c}", "network", (0.2, 1.5),
             (6, 12), outcome="STREET_LIGHTING_COVERAGE")
SEWER = T("sewer", "{c} қаласында кәріз желілерін салу", "Строительство канализационных сетей в г. {c}", "Sewerage network in {c}",
          "network", (1, 8), (12, 30), outcome="SEWERAGE_COVERAGE")
BUSES = T("buses", "{c} қаласының автобус паркін жаңарту", "Обновление автобусного парка г. {c}", "Renewal of the bus fleet of {c}",
          "programme", (1, 6), (6, 18), outcome="PUBLIC_TRANSPORT_ON_TIME")

PROGRAM_TEMPLATES = {
    "NP-HEALTH": [HOSPITAL, REHAB, SPORTS, PHC, ONCOLOGY],
    "NP-EDU": [SCHOOL, KINDERGARTEN, COLLEGE, SCHOOL_REPAIR],
    "NP-SPIRIT": [MONUMENT, CULTURE_HOUSE, LIBRARY],
    "NP-TECH": [IT_HUB, EGOV, SCHOOL_NET],
    "NP-SME": [INDUSTRIAL_ZONE, INCUBATOR, MICROCREDIT],
    "NP-REGIONS": [WATER_CITY, WATER_RURAL, ROAD, HOUSING, HEATING],
    "NP-GROWTH": [PETROCHEM, LOGISTICS, INDUSTRIAL_PARK],
    "NP-GREEN": [WASTE_PLANT, FOREST, CANAL, RESERVOIR, CHP2],
    "NP-AGRO": [DAIRY, MEAT, GREENHOUSE],
    "NP-SAFE": [CCTV, FIRE_STATION, E112],
    "NP2-SCHOOL": [KELESHEK, KELESHEK, KELESHEK_RURAL],
    "NP2-RURALHEALTH": [FAP, FAP, CRH],
    "NP2-INTERNET": [FIBRE, G5],
    "NP2-UTILITIES": [HEAT_NET, CHP, WATER_NET, WWTP, POWER_NET],
    "NP2-COOP": [COOP, MILK],
    "TDP": [WATER_RURAL, ROAD, GAS, HOUSING, PARK, LIGHTING, SEWER, BUSES, SCHOOL, KINDERGARTEN],
}

NATIONAL_PROJECTS = {
    "NP-HEALTH": ("Денсаулық сақтаудың бірыңғай цифрлық платформасы", "Единая цифровая платформа здравоохранения",
                  "Unified digital healthcare platform", "digital", 8),
    "NP-EDU": ("Педагогтердің біліктілігін арттырудың ұлттық бағдарламасы", "Национальная программа повышения квалификации педагогов",
               "National teacher professional development programme", "programme", 12),
    "NP-SPIRIT": ("«Туған жер» меценаттық жобаларының ұлттық тізілімі", "Национальный реестр меценатских проектов «Туған жер»",
                  "National register of 'Tugan zher' patronage projects", "digital", 1.5),
    "NP-TECH": ("IT-мамандарды даярлаудың ұлттық бағдарламасы", "Национальная программа подготовки IT-специалистов",
                "National IT skills programme", "programme", 20),
    "NP-SME": ("Кәсіпкерлерге арналған бірыңғай цифрлық терезе", "Единое цифровое окно для предпринимателей",
               "Single digital window for entrepreneurs", "digital", 6),
    "NP-REGIONS": ("Елді мекендерді қамтудың өңірлік стандарттары жүйесі", "Система региональных стандартов обеспеченности населенных пунктов",
                   "System of regional standards for settlements", "digital", 3),
    "NP-GROWTH": ("Инвестициялық жобалардың ұлттық пулы", "Национальный пул инвестиционных проектов", "National pool of investment projects",
                  "programme", 10),
    "NP-GREEN": ("Экологиялық мониторингтің ұлттық жүйесі", "Национальная система экологического мониторинга",
                 "National environmental monitoring system", "digital", 9),
    "NP-AGRO": ("Ауыл шаруашылығы жерлерінің цифрлық картасы", "Цифровая карта сельскохозяйственных земель", "Digital map of agricultural land",
                "digital", 5),
    "NP-SAFE": ("«Қауіпсіз қала» ұлттық платформасы", "Национальная платформа «Безопасный город»", "National 'Safe City' platform",
                "digital", 25),
    "NP2-SCHOOL": ("Мектептердің құрылысын мониторингтеу жүйесі", "Система мониторинга строительства школ", "School construction monitoring system",
                   "digital", 2),
    "NP2-RURALHEALTH": ("Ауылдық медициналық нысандарды жабдықтау", "Оснащение сельских медицинских объектов",
                        "Equipment for rural health facilities", "programme", 14),
    "NP2-INTERNET": ("Шалғай ауылдарды спутниктік интернетпен қамту", "Обеспечение удаленных сел спутниковым интернетом",
                     "Satellite internet for remote villages", "network", 13),
    "NP2-UTILITIES": ("Коммуналдық ресурстарды есепке алудың автоматтандырылған жүйесі", "Автоматизированная система учета коммунальных ресурсов",
                      "Automated metering of utility resources", "digital", 60),
    "NP2-COOP": ("Кооперативтерді жеңілдетілген несиелеу бағдарламасы", "Программа льготного кредитования кооперативов",
                 "Concessional lending programme for cooperatives", "programme", 120),
}


def render(template: Template, region, *, n: int | None = None, s: int | None = None) -> dict[str, str]:
    """The template's name in kk, ru and en for ``region`` (a RegionInfo)."""
    values = {
        "kk": {"c": region.centre["kk"], "rl": region.kk_loc, "rg": region.kk_gen},
        "ru": {"c": region.centre["ru"], "rl": region.prep_ru, "rg": region.gen_ru},
        "en": {"c": region.centre["en"], "rl": region.name["en"], "rg": region.name["en"]},
    }
    out = {}
    for loc in ("kk", "ru", "en"):
        text = getattr(template, loc)
        out[loc] = text.format(n=f"{n:,}".replace(",", " ") if n else "", s=s or 1, **values[loc])
    return out
