"""The numbers a text states, however each language writes them, and what a translation may not
do with them: lose one or change one (it may add one)."""

from __future__ import annotations

import pytest

from amparo.i18n.numbers import WORDS, lost_numbers, numbers_in

SAME_NUMBERS = [
    # (Spanish, language, translation that keeps every number)
    ("Dura al menos 90 días.", "fr", "Il dure au moins quatre-vingt-dix jours."),
    ("Dura al menos noventa días.", "en", "It lasts at least 90 days."),
    ("en el plazo máximo de cuarenta y ocho horas", "en", "within forty-eight hours at most"),
    ("en el plazo máximo de cuarenta y ocho horas", "pt", "no prazo máximo de quarenta e oito horas"),
    ("en el plazo máximo de cuarenta y ocho horas", "ro", "în termen de cel mult patruzeci și opt de ore"),
    ("en el plazo máximo de cuarenta y ocho horas", "ar", "خلال ثماني وأربعين ساعة على الأكثر"),
    ("en el plazo máximo de cuarenta y ocho horas", "zh", "最多四十八小时内"),
    ("hay diez días hábiles para pagar", "ht", "gen dis jou ouvrab pou peye"),
    ("hay diez días hábiles para pagar", "ar", "هناك ١٠ أيام عمل للدفع"),   # Arabic-Indic digits
    ("la guía ocupa unos 14 MB", "fr", "le guide occupe environ 14 Mo"),
    ("pesa 4,8 MB", "en", "it weighs 4.8 MB"),
    ("1.000 personas", "fr", "1 000 personnes"),
    ("1.000 personas", "en", "1,000 people"),
    ("art. 128.2 RD 1155/2024", "zh", "第 128.2 条 RD 1155/2024"),
    ("las dos autorizaciones", "en", "both permits"),
    ("las dos autorizaciones", "ar", "كلا الترخيصين"),
    ("pulsa tres veces la tecla", "zh", "按三次键"),
    ("Pulsa dos veces más.", "ar", "اضغط مرتين أخريين."),   # the dual «twice» says «two times»
    ("de los dos últimos años", "ar", "من السنتين الأخيرتين"),   # «the two years», a dual of a length
    ("hace más de dos años", "ht", "ki gen plis pase dezan"),   # «dezan»: «de ane», two years
    ("vale cinco años", "ro", "este valabil cinci ani"),
    # A translation may add a number; «un mes» is an article as much as a number.
    ("El plazo es de un mes.", "en", "The time limit is one month (1 month)."),
    ("diez días hábiles", "fr", "dix jours ouvrables (10 jours du lundi au vendredi)"),
]


@pytest.mark.parametrize("spanish, language, translated", SAME_NUMBERS)
def test_a_translation_that_keeps_the_numbers_passes(spanish, language, translated):
    assert lost_numbers(spanish, translated, language) == []


CHANGED_NUMBERS = [
    # (Spanish, language, translation, the Spanish number it loses)
    ("Dura al menos 90 días.", "fr", "Il dure au moins 60 jours.", "90"),
    ("Dura al menos 90 días.", "fr", "Il dure au moins soixante jours.", "90"),
    ("la guía ocupa unos 14 MB", "pt", "o guia ocupa cerca de 12 MB", "14"),
    ("pesa 4,8 MB", "en", "it weighs 48 MB", "4.8"),
    ("hay diez días hábiles", "ht", "gen sèt jou ouvrab", "10"),
    ("hay diez días hábiles", "ar", "هناك ٧ أيام عمل", "10"),
    ("en cuarenta y ocho horas", "zh", "在二十四小时内", "48"),
    ("las dos autorizaciones", "ar", "الترخيصين", "2"),   # a dual alone does not say «two»
    ("hojas 37 y 38", "ro", "fișele 37", "38"),
    ("artículo 59", "en", "article", "59"),
]


@pytest.mark.parametrize("spanish, language, translated, lost", CHANGED_NUMBERS)
def test_a_translation_that_loses_or_changes_a_number_fails(spanish, language, translated, lost):
    assert [value for value, _ in lost_numbers(spanish, translated, language)] == [lost]


def test_a_number_the_spanish_says_twice_is_needed_twice():
    assert lost_numbers("hojas 38 y 38 bis", "fiches 38 et bis", "fr") == [("38", "38")]


def test_the_loss_names_the_number_as_the_spanish_writes_it():
    assert lost_numbers("hay diez días hábiles", "il y a sept jours", "fr") == [("10", "diez")]


@pytest.mark.parametrize("text, language, expected", [
    ("dos, tres y cuatro", "es", {"2": 1, "3": 1, "4": 1}),        # a list, not 9
    ("dos mil quinientos", "es", {"2500": 1}),
    ("quatre-vingt-dix-neuf", "fr", {"99": 1}),
    ("soixante et onze", "fr", {"71": 1}),
    ("two hundred and five", "en", {"205": 1}),
    ("cento e vinte", "pt", {"120": 1}),
    ("două sute", "ro", {"200": 1}),
    ("katrevendis", "ht", {"90": 1}),
    ("九十", "zh", {"90": 1}),
    ("一百二十", "zh", {"120": 1}),
    ("{amount} días, https://example.org/42", "es", {}),          # placeholders and addresses are not numbers
])
def test_numbers_are_read_as_values(text, language, expected):
    assert dict(numbers_in(text, language)) == expected


def test_every_number_word_table_reads_its_own_words():
    for language, table in WORDS.items():
        for word, value in table.items():
            if value != 1:
                assert numbers_in(word, language)[str(value)] >= 1, (language, word)
