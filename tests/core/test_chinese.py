from youke.core.chinese import fold, to_simplified


def test_traditional_becomes_simplified():
    assert to_simplified("圓周率與數學課") == "圆周率与数学课"


def test_fold_maps_full_width_and_case():
    assert fold("ＡＢＣ１２３，圓") == "abc123,圆"


def test_empty_text_stays_empty():
    assert fold("") == ""
