from ustaz.core.collation import kazakh_sort_key


def test_kazakh_names_are_in_the_alphabets_order():
    names = ["Ыбырайұлы", "Әуезов", "Қасымов", "Абенов", "Ұлықбек", "Құнанбаев", "Smith", "Яхин", "Кенжеев"]
    assert sorted(names, key=kazakh_sort_key) == [
        "Абенов",
        "Әуезов",
        "Кенжеев",
        "Қасымов",
        "Құнанбаев",
        "Ұлықбек",
        "Ыбырайұлы",
        "Яхин",
        "Smith",
    ]
