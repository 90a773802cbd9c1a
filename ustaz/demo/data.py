"""What the demo university is made of: a realistic arts university, kept small enough to load in seconds."""

FACULTIES = [
    ("MUS", "Музыка өнері факультеті", "Факультет музыкального искусства", "Faculty of Musical Art"),
    (
        "THE",
        "Театр және кино өнері факультеті",
        "Факультет театрального и киноискусства",
        "Faculty of Theatre and Film",
    ),
    (
        "FIN",
        "Бейнелеу өнері және хореография факультеті",
        "Факультет изобразительного искусства и хореографии",
        "Faculty of Fine Arts and Choreography",
    ),
]

# (faculty, department code, department names, programme code, programme names)
PROGRAMMES = [
    (
        "MUS",
        "INS",
        (
            "Аспаптық орындаушылық кафедрасы",
            "Кафедра инструментального исполнительства",
            "Department of Instrumental Performance",
        ),
        "6B02101",
        ("Аспаптық орындаушылық", "Инструментальное исполнительство", "Instrumental performance"),
    ),
    (
        "MUS",
        "VOC",
        ("Вокал өнері кафедрасы", "Кафедра вокального искусства", "Department of Vocal Art"),
        "6B02102",
        ("Вокал өнері", "Вокальное искусство", "Vocal art"),
    ),
    (
        "THE",
        "ACT",
        ("Актерлік шеберлік кафедрасы", "Кафедра актёрского мастерства", "Department of Acting"),
        "6B02103",
        ("Актерлік өнер", "Актёрское искусство", "Acting"),
    ),
    (
        "THE",
        "DIR",
        ("Режиссура кафедрасы", "Кафедра режиссуры", "Department of Directing"),
        "6B02104",
        ("Режиссура", "Режиссура", "Directing"),
    ),
    (
        "FIN",
        "PNT",
        ("Кескіндеме кафедрасы", "Кафедра живописи", "Department of Painting"),
        "6B02105",
        ("Кескіндеме", "Живопись", "Painting"),
    ),
    (
        "FIN",
        "CHO",
        ("Хореография кафедрасы", "Кафедра хореографии", "Department of Choreography"),
        "6B02106",
        ("Хореография", "Хореография", "Choreography"),
    ),
]

# Disciplines per department: (kk, ru, en, credits). The first ones are taught in the first years.
DISCIPLINES = {
    "INS": [
        ("Мамандық (аспап)", "Специальность (инструмент)", "Principal instrument", 6),
        ("Камералық ансамбль", "Камерный ансамбль", "Chamber ensemble", 5),
        ("Гармония", "Гармония", "Harmony", 5),
        ("Полифония", "Полифония", "Polyphony", 4),
        ("Музыка тарихы", "История музыки", "History of music", 5),
        ("Оркестр", "Оркестр", "Orchestra", 4),
        ("Сольфеджио", "Сольфеджио", "Solfège", 4),
    ],
    "VOC": [
        ("Жеке ән салу", "Сольное пение", "Solo singing", 6),
        ("Опера сыныбы", "Оперный класс", "Opera class", 5),
        ("Вокалдық ансамбль", "Вокальный ансамбль", "Vocal ensemble", 4),
        ("Сахна тілі (итальян)", "Сценическая речь (итальянский)", "Diction (Italian)", 4),
        ("Қазақ музыкасының тарихы", "История казахской музыки", "History of Kazakh music", 5),
        ("Концертмейстерлік", "Концертмейстерство", "Accompaniment", 4),
        ("Дауыс физиологиясы", "Физиология голоса", "Voice physiology", 3),
    ],
    "ACT": [
        ("Актер шеберлігі", "Мастерство актёра", "Acting technique", 6),
        ("Сахна тілі", "Сценическая речь", "Stage speech", 5),
        ("Сахналық қозғалыс", "Сценическое движение", "Stage movement", 4),
        ("Театр тарихы", "История театра", "History of theatre", 5),
        ("Грим өнері", "Искусство грима", "Stage make-up", 3),
        ("Кино актерінің шеберлігі", "Мастерство киноактёра", "Screen acting", 4),
    ],
    "DIR": [
        ("Режиссура және актер шеберлігі", "Режиссура и мастерство актёра", "Directing and acting", 6),
        ("Драматургия негіздері", "Основы драматургии", "Foundations of dramaturgy", 5),
        ("Монтаж", "Монтаж", "Editing", 4),
        ("Операторлық шеберлік", "Операторское мастерство", "Cinematography", 4),
        ("Кино тарихы", "История кино", "History of cinema", 5),
        ("Продюсерлік", "Продюсирование", "Producing", 3),
        ("Сахна безендіру", "Сценография", "Scenography", 4),
    ],
    "PNT": [
        ("Кескіндеме", "Живопись", "Painting", 6),
        ("Сурет", "Рисунок", "Drawing", 6),
        ("Композиция", "Композиция", "Composition", 5),
        ("Пластикалық анатомия", "Пластическая анатомия", "Artistic anatomy", 4),
        ("Өнер тарихы", "История искусств", "History of art", 5),
        ("Түстану", "Цветоведение", "Colour theory", 3),
    ],
    "CHO": [
        ("Классикалық би", "Классический танец", "Classical dance", 6),
        ("Қазақ биі", "Казахский танец", "Kazakh dance", 5),
        ("Заманауи би", "Современный танец", "Contemporary dance", 5),
        ("Халықтық-сахналық би", "Народно-сценический танец", "Character dance", 4),
        ("Балет тарихы", "История балета", "History of ballet", 4),
        ("Хореографиялық композиция", "Хореографическая композиция", "Choreographic composition", 5),
        ("Дуэттік би", "Дуэтный танец", "Partnering", 4),
    ],
}

MALE_NAMES = [
    "Ерлан",
    "Асқар",
    "Нұрлан",
    "Дәурен",
    "Бауыржан",
    "Ержан",
    "Мұрат",
    "Азамат",
    "Жандос",
    "Алмас",
    "Санжар",
    "Айбек",
    "Темірлан",
    "Ілияс",
    "Арман",
    "Данияр",
    "Нұрсұлтан",
    "Әлихан",
    "Олжас",
    "Ринат",
]
FEMALE_NAMES = [
    "Айгерім",
    "Дана",
    "Әсел",
    "Гүлнар",
    "Жанар",
    "Мадина",
    "Аружан",
    "Сәуле",
    "Ақмарал",
    "Динара",
    "Назерке",
    "Томирис",
    "Жұлдыз",
    "Айша",
    "Гүлім",
    "Камила",
    "Әйгерім",
    "Меруерт",
    "Инкар",
    "Ләззат",
]
SURNAMES = [
    "Абенов",
    "Сейітов",
    "Жұмабаев",
    "Қасымов",
    "Нұрланов",
    "Төлеуов",
    "Омаров",
    "Бекмұхамедов",
    "Сәтбаев",
    "Әуезов",
    "Құнанбаев",
    "Шәкәрімов",
    "Есенов",
    "Қожахметов",
    "Мұқанов",
    "Тұрсынов",
    "Байжанов",
    "Серікбаев",
    "Ахметов",
    "Ыбырайұлы",
    "Жақсыбеков",
    "Рысқұлов",
    "Исаев",
    "Оразбаев",
    "Тоқтаров",
]
FATHER_NAMES = ["Серік", "Марат", "Болат", "Қайрат", "Ерік", "Нұрлан", "Бақыт", "Ғани", "Талғат", "Жомарт"]

# Students living abroad (§1.5: exchange, mobility, business trips, foreign citizens).
ABROAD = [
    ("TR", "Europe/Istanbul"),
    ("KR", "Asia/Seoul"),
    ("DE", "Europe/Berlin"),
    ("US", "America/New_York"),
    ("RU", "Europe/Moscow"),
    ("CN", "Asia/Shanghai"),
    ("GB", "Europe/London"),
    ("AE", "Asia/Dubai"),
]

SECTION_TITLES = [
    ("1-апта. Кіріспе", "Неделя 1. Введение", "Week 1. Introduction"),
    ("2-апта. Негізгі ұғымдар", "Неделя 2. Основные понятия", "Week 2. Key ideas"),
    ("3-апта. Тәжірибе", "Неделя 3. Практика", "Week 3. Practice"),
]

PAGE_TEXT = """## {title}

Бұл бөлімде біз курстың негізгі тақырыптарын қарастырамыз.

1. Тыңдау және талдау: берілген үлгіні **үш рет** тыңдаңыз.
2. Жаттығу: күн сайын кемінде *30 минут*.
3. Жазба: орындауыңызды телефонмен жазып, келесі сабаққа дайындаңыз.

> Қашықтан оқыту технологиялары туралы ереже, 2.4-тармақ: материалдар электрондық немесе баспа түрінде беріледі.

Қосымша: [Ұлттық кітапхана](https://www.nlrk.kz/)
"""

VIDEO_URLS = [
    "https://www.youtube.com/watch?v=4Tr0otuiQuU",
    "https://youtu.be/GRxofEmo3HA",
    "https://www.youtube.com/watch?v=rOjHhS5MtvA",
]


# A question bank in Moodle GIFT (imported by the demo like a teacher's file).
QUIZ_GIFT = """// Аспаптану: демо тест
::Адай::Құрманғазының «Адай» күйі қай аспапқа арналған? {=Домбыра ~Қобыз ~Сыбызғы ~Жетіген}

::Ішектер::Домбыраның ішегі нешеу? {#2}

::Шертпе::Домбыра — шертпелі аспап. {T}

::Ля::Бірінші октаваның ля нотасының жиілігі, Гц? {#440:1}

::Күйші::«Сарыарқа» күйінің авторы кім? {=Құрманғазы =Құрманғазы Сағырбайұлы}

::Ішекті::Ішекті аспаптарды таңдаңыз. {~%50%Домбыра ~%50%Қобыз ~%-100%Сыбызғы}

::Тәттімбет::«Сарыжайлау» күйінің авторы? {=Тәттімбет ~Дина ~Қазанғап}
"""


# --- Curricula: a bachelor's plan of the arts (rules.md: 240 credits, 30 a term; general education 56,
# basic 112, profiling 60, final attestation 12) ------------------------------------------------------------
# Disciplines every programme shares: (code, kk, ru, en, credits).
GENERAL_DISCIPLINES = [
    (
        "GEN01",
        "Қазақстанның қазіргі заманғы тарихы",
        "Современная история Казахстана",
        "Modern history of Kazakhstan",
        5,
    ),
    ("GEN02", "Философия", "Философия", "Philosophy", 5),
    ("GEN03", "Шетел тілі", "Иностранный язык", "Foreign language", 5),
    ("GEN04", "Қазақ (орыс) тілі", "Казахский (русский) язык", "Kazakh (Russian) language", 5),
    (
        "GEN05",
        "Ақпараттық-коммуникациялық технологиялар",
        "Информационно-коммуникационные технологии",
        "Information and communication technologies",
        5,
    ),
    ("GEN06", "Дене шынықтыру", "Физическая культура", "Physical education", 2),
    ("GEN07", "Әлеуметтік-саяси білім модулі", "Модуль социально-политических знаний", "Socio-political knowledge", 4),
    (
        "GEN11",
        "Экология және тіршілік қауіпсіздігі",
        "Экология и безопасность жизнедеятельности",
        "Ecology and life safety",
        5,
    ),
    (
        "GEN12",
        "Экономика және кәсіпкерлік негіздері",
        "Основы экономики и предпринимательства",
        "Foundations of economics and entrepreneurship",
        5,
    ),
    ("GEN13", "Көшбасшылық", "Лидерство", "Leadership", 5),
    ("ART21", "Өнер менеджменті", "Арт-менеджмент", "Arts management", 4),
    ("ART22", "Шығармашылық психологиясы", "Психология творчества", "Psychology of creativity", 4),
    ("ART23", "Өнер педагогикасы", "Педагогика искусства", "Pedagogy of art", 4),
    ("ART24", "Мәдениеттану", "Культурология", "Cultural studies", 4),
    ("ART25", "Орталық Азия халықтарының өнері", "Искусство народов Центральной Азии", "Arts of Central Asia", 4),
    ("ART26", "Өнертану", "Искусствоведение", "Art criticism", 4),
]

# Elective groups: (code, term, cycle, credits to choose, names, the codes offered).
CURRICULUM_GROUPS = [
    (
        "KV-G4",
        4,
        "general",
        5,
        ("Жалпы білім беру элективтері", "Элективы общеобразовательного цикла", "General education electives"),
        ["GEN11", "GEN12", "GEN13"],
    ),
    (
        "KV-P5",
        5,
        "profiling",
        4,
        ("Кәсіптік элективтер I", "Профессиональные элективы I", "Professional electives I"),
        ["ART21", "ART22", "ART23"],
    ),
    (
        "KV-P7",
        7,
        "profiling",
        4,
        ("Кәсіптік элективтер II", "Профессиональные элективы II", "Professional electives II"),
        ["ART24", "ART25", "ART26"],
    ),
]

# Lines: (term, what, credits, cycle, control). What: a shared discipline's code, "D<n>" the programme's n-th
# discipline, "practice:<kind>:<weeks>", "attestation:<form>". Each term makes 30 with its elective group.
CURRICULUM_LINES = [
    (1, "GEN01", 5, "general", "exam"),
    (1, "GEN03", 5, "general", "exam"),
    (1, "GEN04", 5, "general", "exam"),
    (1, "GEN06", 2, "general", "differentiated_credit"),
    (1, "D0", 5, "basic", "exam"),
    (1, "D1", 4, "basic", "exam"),
    (1, "D5", 4, "basic", "exam"),
    (2, "GEN03", 5, "general", "exam"),
    (2, "GEN04", 5, "general", "exam"),
    (2, "GEN05", 5, "general", "exam"),
    (2, "GEN06", 2, "general", "differentiated_credit"),
    (2, "D0", 5, "basic", "exam"),
    (2, "D1", 4, "basic", "exam"),
    (2, "D2", 4, "basic", "exam"),
    (3, "GEN02", 5, "general", "exam"),
    (3, "GEN07", 4, "general", "exam"),
    (3, "GEN06", 2, "general", "differentiated_credit"),
    (3, "D0", 5, "basic", "exam"),
    (3, "D2", 5, "basic", "exam"),
    (3, "D3", 5, "basic", "exam"),
    (3, "D4", 4, "basic", "exam"),
    (4, "GEN07", 4, "general", "exam"),
    (4, "GEN06", 2, "general", "differentiated_credit"),
    (4, "D0", 5, "basic", "exam"),
    (4, "D3", 5, "basic", "course_work"),
    (4, "D4", 5, "basic", "exam"),
    (4, "practice:educational:2", 4, "basic", "differentiated_credit"),
    (5, "D0", 6, "basic", "exam"),
    (5, "D1", 5, "basic", "exam"),
    (5, "D2", 5, "basic", "exam"),
    (5, "D5", 5, "basic", "exam"),
    (5, "D4", 5, "profiling", "exam"),
    (6, "D0", 6, "basic", "exam"),
    (6, "D3", 5, "basic", "exam"),
    (6, "D5", 5, "basic", "course_work"),
    (6, "D1", 5, "profiling", "exam"),
    (6, "D2", 5, "profiling", "exam"),
    (6, "practice:production:3", 4, "profiling", "differentiated_credit"),
    (7, "D0", 6, "profiling", "exam"),
    (7, "D3", 5, "basic", "exam"),
    (7, "D4", 6, "basic", "exam"),
    (7, "D5", 5, "profiling", "exam"),
    (7, "practice:production:3", 4, "profiling", "differentiated_credit"),
    (8, "D0", 6, "profiling", "exam"),
    (8, "D2", 6, "profiling", "course_work"),
    (8, "practice:pre_diploma:4", 6, "profiling", "differentiated_credit"),
    (8, "attestation:creative_exam", 6, "final_attestation", ""),
    (8, "attestation:thesis", 6, "final_attestation", ""),
]
