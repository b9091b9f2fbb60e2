"""The numbers a text states, in digits or in words, so that a translation can be held to its Spanish.

A translation may add a number («diez días» → «10 jours (dix)»), never lose or change one: every
number of the Spanish must be in the translation at least as often. Numbers are compared by
value, whatever way each language writes them:

- digits of any script (Arabic-Indic «٩٠» is 90), with the language's decimal and thousands
  separators: «4,8» and «4.8» are the same number, and so are «1.000», «1,000», «1 000» and «1000»;
  a reference such as «128.2» or «2.3.2» keeps its parts;
- number words (`WORDS`): «noventa», «quatre-vingt-dix», «nouăzeci», «تسعين», «九十» are 90,
  «cuarenta y ocho» and «forty-eight» 48. A language without a table here is compared by its
  digits only: it must write the Spanish's numbers as digits.

One is left out when it is a word: «un mes», «a month», «un mois» are articles as much as numbers.

We do not use translate-toolkit's `numbers` check (pofilter) here: it compares digit strings and
requires the same count in both texts, so it refuses a correct translation that writes «4.8» for
«4,8», «dix» for «diez» or adds a number, and it reads no number words at all.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter

from ..content.forbidden_characters import fold

# Languages written without spaces between words: a number word may touch the next word.
UNSPACED = frozenset({"zh", "ja", "th", "lo", "km", "my"})


def _words(table: str) -> dict[str, int]:
    """'dos=2 tres=3 …' → {'dos': 2, 'tres': 3, …}; a word may list its other forms: 'dos/dues=2'."""
    found = {}
    for item in table.split():
        forms, _, value = item.partition("=")
        for form in forms.split("/"):
            found[form.replace("_", " ")] = int(value)
    return found


# Number words per language, as a reader would write them (genders, plurals and the usual spellings).
# 100 and 1000 multiply what comes before them («dos mil», «trois cents»); «both» words are 2.
WORDS: dict[str, dict[str, int]] = {
    "es": _words("""un/uno/una=1 dos=2 ambos/ambas=2 tres=3 cuatro=4 cinco=5 seis=6 siete=7 ocho=8 nueve=9 diez=10
        once=11 doce=12 trece=13 catorce=14 quince=15 dieciséis=16 diecisiete=17 dieciocho=18 diecinueve=19 veinte=20
        veintiuno/veintiún/veintiuna=21 veintidós=22 veintitrés=23 veinticuatro=24 veinticinco=25 veintiséis=26
        veintisiete=27 veintiocho=28 veintinueve=29 treinta=30 cuarenta=40 cincuenta=50 sesenta=60 setenta=70
        ochenta=80 noventa=90 cien/ciento=100 doscientos/doscientas=200 trescientos/trescientas=300
        cuatrocientos/cuatrocientas=400 quinientos/quinientas=500 seiscientos/seiscientas=600
        setecientos/setecientas=700 ochocientos/ochocientas=800 novecientos/novecientas=900 mil=1000"""),
    "en": _words("""one=1 two=2 both=2 three=3 four=4 five=5 six=6 seven=7 eight=8 nine=9 ten=10 eleven=11 twelve=12
        thirteen=13 fourteen=14 fifteen=15 sixteen=16 seventeen=17 eighteen=18 nineteen=19 twenty=20 thirty=30
        forty=40 fifty=50 sixty=60 seventy=70 eighty=80 ninety=90 hundred=100 thousand=1000"""),
    "fr": _words("""un/une=1 deux=2 trois=3 quatre=4 cinq=5 six=6 sept=7 huit=8 neuf=9 dix=10 onze=11 douze=12
        treize=13 quatorze=14 quinze=15 seize=16 vingt/vingts=20 trente=30 quarante=40 cinquante=50 soixante=60
        cent/cents=100 mille=1000"""),
    "pt": _words("""um/uma=1 dois/duas=2 ambos/ambas=2 três=3 quatro=4 cinco=5 seis=6 sete=7 oito=8 nove=9 dez=10
        onze=11 doze=12 treze=13 catorze/quatorze=14 quinze=15 dezesseis/dezasseis=16 dezessete/dezassete=17
        dezoito=18 dezenove/dezanove=19 vinte=20 trinta=30 quarenta=40 cinquenta=50 sessenta=60 setenta=70
        oitenta=80 noventa=90 cem/cento=100 duzentos/duzentas=200 trezentos/trezentas=300
        quatrocentos/quatrocentas=400 quinhentos/quinhentas=500 seiscentos/seiscentas=600 setecentos/setecentas=700
        oitocentos/oitocentas=800 novecentos/novecentas=900 mil=1000"""),
    "ro": _words("""unu/una=1 doi/două=2 ambii/ambele/amândoi/amândouă=2 trei=3 patru=4 cinci=5 șase=6 șapte=7 opt=8
        nouă=9 zece=10 unsprezece=11 doisprezece/douăsprezece=12 treisprezece=13 paisprezece=14 cincisprezece=15
        șaisprezece=16 șaptesprezece=17 optsprezece=18 nouăsprezece=19 douăzeci=20 treizeci=30 patruzeci=40
        cincizeci=50 șaizeci=60 șaptezeci=70 optzeci=80 nouăzeci=90 sută/sute=100 mie/mii=1000"""),
    # «san» (100) is left out: it is also «without» («san papye»).
    "ht": _words("""en=1 de=2 dezan=2 twa=3 kat=4 senk=5 sis=6 sèt=7 uit=8 nèf=9 dis=10 onz=11 douz=12 trèz=13 katòz=14
        kenz=15 sèz=16 disèt=17 dizuit=18 diznèf=19 ven=20 trant=30 karant=40 senkant=50 swasant=60 swasanndis=70
        katreven=80 katrevendis=90 mil=1000"""),
    # Unvocalised, each with its masculine and feminine forms; «كلا/كلتا/كليهما» are «both»;
    # the duals of times and lengths say «two» by themselves, and Arabic says «dos veces», «dos años»
    # so: «مرتين» (twice), «سنتين/عامين» (two years), «شهرين», «يومين», «ساعتين».
    "ar": _words("""واحد/واحدة=1 اثنان/اثنين/اثنتان/اثنتين/كلا/كلتا/كلاهما/كلتاهما/كليهما/كلتيهما/مرتين/مرتان/سنتين/سنتان/عامين/عامان/شهرين/شهران/يومين/يومان/ساعتين/ساعتان=2 ثلاث/ثلاثة=3 أربع/أربعة=4 خمس/خمسة=5 ست/ستة=6
        سبع/سبعة=7 ثمان/ثماني/ثمانية=8 تسع/تسعة=9 عشر/عشرة=10 عشرون/عشرين=20 ثلاثون/ثلاثين=30 أربعون/أربعين=40
        خمسون/خمسين=50 ستون/ستين=60 سبعون/سبعين=70 ثمانون/ثمانين=80 تسعون/تسعين=90 مئة/مائة=100 ألف=1000"""),
}
_FOLDED = {language: {fold(word, language): value for word, value in table.items()} for language, table in WORDS.items()}
# Any number word of a language, as a word or at the end of one (Arabic joins «و», «ب»… to it).
# One alone is never compared: a text whose only number words say one has none to compare.
_ANY_WORD = {language: re.compile("(?:" + "|".join(sorted((re.escape(word) for word, value in table.items() if value != 1),
                                                          key=len, reverse=True)) + r")(?!\w)")
             for language, table in _FOLDED.items()}
# Words that join a number's parts: «cuarenta y ocho», «vingt et un», «patruzeci și opt».
CONNECTORS: dict[str, frozenset[str]] = {
    "es": frozenset({"y"}), "en": frozenset({"and"}), "fr": frozenset({"et"}), "pt": frozenset({"e"}),
    "ro": frozenset({"și"}), "ht": frozenset({"ak"}), "ar": frozenset({"و"}),
}
# Arabic writes «and», «with», «for» and «the» joined to the next word: «وأربعين», «بخمسة», «الخمس».
_ARABIC_PREFIXES = ("وال", "بال", "لل", "ال", "و", "ب", "ل", "ف")
_CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                   "八": 8, "九": 9}
_CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
_CHINESE = re.compile(f"[{''.join(_CHINESE_DIGITS)}{''.join(_CHINESE_UNITS)}万萬]+")

# Separators inside a written number: «1.000», «4,8», «1 000» (with a space or a no-break
# space), Arabic «٤٫٨» and «١٬٠٠٠».
_GROUP = "[.,\u066b\u066c\u00a0\u202f\u2009 ]"
_NUMBER = re.compile(rf"\d+(?:{_GROUP}\d+)*")
_PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
_URL = re.compile(r"https?://\S+")
_TOKEN = re.compile(r"\w+(?:[-‐]\w+)*")


_OTHER_DIGIT = re.compile(r"(?![0-9])\d")   # \d: any decimal digit (Unicode's Nd), of whatever script


def _digits(text: str) -> str:
    """Every decimal digit, of whatever script, as 0-9."""
    return _OTHER_DIGIT.sub(lambda digit: str(unicodedata.decimal(digit.group())), text)


def _written_number(match: str) -> list[str]:
    """One number as written → its value as compared («1.000» → '1000', «4,8» → '4.8').

    A space separates thousands only before exactly three digits («1 000»); otherwise it
    separates two numbers («hojas 37 38»), so the match is split there."""
    parts = re.split(rf"({_GROUP})", match)
    numbers, groups = [], [parts[0]]
    for separator, group in zip(parts[1::2], parts[2::2]):
        if separator in " \u00a0\u202f\u2009" and not (len(group) == 3 and len(groups[-1]) <= 3):
            numbers.append(groups)
            groups = [group]
        else:
            groups.append(group)
    numbers.append(groups)
    values = []
    for groups in numbers:
        grouping = len(groups) > 1 and len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
        values.append("".join(groups) if grouping else ".".join(groups))
    return values


def _word_value(word: str, language: str) -> int | None:
    table = _FOLDED.get(language, {})
    if word in table:
        return table[word]
    if language == "ar":
        for prefix in _ARABIC_PREFIXES:
            if word.startswith(prefix) and word[len(prefix):] in table:
                return table[word[len(prefix):]]
    return None


def _combine(values: list[int], language: str) -> list[int]:
    """Number words in a row → the numbers they say: [40, 8] → [48]; [4, 20, 10] (fr) → [90];
    [2, 1000] → [2000]; [2, 3] («dos, tres») → [2, 3]."""
    numbers: list[int] = []
    total = current = 0
    previous: int | None = None
    for value in values:
        if previous is None:
            current = value
        elif value >= 1000:
            total += max(current, 1) * value
            current = 0
        elif value == 100 and 0 < current < 100:
            current *= 100
        elif language == "fr" and value == 20 and current % 100 == 4:
            current += 76   # «quatre-vingt(s)»: four twenties
        elif _joins(previous, value, language):
            current += value
        else:
            numbers.append(total + current)
            total, current = 0, value
        previous = value
    if previous is not None:
        numbers.append(total + current)
    return numbers


def _joins(previous: int, value: int, language: str) -> bool:
    """Whether «previous value» is one number («cuarenta y ocho», «cent vingt») rather than two («dos, tres»)."""
    if language == "ar":   # «ثمانٍ وأربعون»: the units come first
        return previous < 10 and value % 10 == 0 and 20 <= value <= 90
    return previous % 10 == 0 and previous > value


def _chinese_value(run: str) -> int:
    total = section = digit = 0
    for ch in run:
        if ch in _CHINESE_DIGITS:
            digit = _CHINESE_DIGITS[ch]
        elif ch in _CHINESE_UNITS:
            section += (digit or 1) * _CHINESE_UNITS[ch]
            digit = 0
        else:   # 万
            total += (section + digit or 1) * 10000
            section = digit = 0
    return total + section + digit


def _spelled(text: str, language: str) -> list[tuple[int, str]]:
    """The numbers written in words, each with its words as written."""
    if language == "zh":
        return [(_chinese_value(run), run) for run in _CHINESE.findall(text)]
    if language not in WORDS:
        return []
    folded = fold(text, language)
    if not _ANY_WORD[language].search(folded):
        return []     # most texts write no number in words
    connectors = CONNECTORS.get(language, frozenset())
    found: list[tuple[int, str]] = []
    run: list[int] = []
    words: list[str] = []
    pending_connector = False

    def close() -> None:
        nonlocal run, words, pending_connector
        if run:
            written = " ".join(words)
            found.extend((value, written) for value in _combine(run, language))
        run, words, pending_connector = [], [], False

    end = 0
    for match in _TOKEN.finditer(folded):
        token = match.group()
        if folded[end:match.start()].strip():   # punctuation between two words ends a number
            close()
        end = match.end()
        parts = [part for part in re.split(r"[-‐]", token) if part not in connectors] or [token]
        values = [_word_value(part, language) for part in parts]
        if all(value is not None for value in values):
            if run and pending_connector and not _joins(run[-1], values[0], language):
                close()   # «dos y tres»: two numbers
            run += values
            words.append(token)
            pending_connector = False
        elif run and token in connectors and not pending_connector:
            pending_connector = True
            words.append(token)
        else:
            close()
    close()
    return found


# Large enough for every text of a check (the Spanish and seven translations of each, and the
# pages' paragraphs): a rebuild or a second check in one process finds them again.
@functools.lru_cache(maxsize=65536)
def written_numbers(text: str, language: str) -> tuple[tuple[str, str], ...]:
    """Each number written in `text`, in order of kind (digits, then words): (its value as compared,
    how it is written). Placeholders and web addresses are left out: they are checked on their own.
    One, as a word, is left out (an article as much as a number)."""
    text = _URL.sub(" ", _PLACEHOLDER.sub(" ", unicodedata.normalize("NFC", str(text))))
    found = []
    digits_text = _digits(text)
    for match in _NUMBER.finditer(digits_text):
        found += [(value, match.group()) for value in _written_number(match.group())]
    words_text = _NUMBER.sub(" ", digits_text) if language not in UNSPACED else digits_text
    found += [(str(value), written) for value, written in _spelled(words_text, language) if value != 1]
    return tuple(found)


def numbers_in(text: str, language: str) -> Counter[str]:
    """How many times each number is written in `text`, by value."""
    return Counter(value for value, _ in written_numbers(str(text), language))


def lost_numbers(spanish: str, translated: str, language: str, source_language: str = "es") -> list[tuple[str, str]]:
    """The numbers of the Spanish (value, as the Spanish writes it) that the translation does not
    have as often: empty when it keeps them all."""
    return list(_lost_numbers(str(spanish), str(translated), language, source_language))


@functools.lru_cache(maxsize=65536)
def _lost_numbers(spanish: str, translated: str, language: str, source_language: str) -> tuple[tuple[str, str], ...]:
    written = written_numbers(spanish, source_language)
    missing = Counter(value for value, _ in written) - numbers_in(translated, language)
    if not missing:
        return ()
    lost = []
    for value, written in written:
        if missing[value] > 0:
            missing[value] -= 1
            lost.append((value, written))
    return tuple(lost)


def sort_key(value: str) -> tuple:
    return tuple(int(part) for part in value.split("."))
