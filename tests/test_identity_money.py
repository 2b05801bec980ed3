"""Identity numbers, phones and money at the edges: what is accepted, normalised and refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from stdnum.cn import ric

from mediation.common.identity import (
    InvalidIdentifier,
    check_mobile,
    check_resident_id,
    check_uscc,
    mask_id_number,
    mask_phone,
)
from mediation.common.money import MAX_ITEM_FEN, InvalidAmount, format_yuan, parse_yuan
from tests.factories import credit_code, resident_id

TODAY = dt.date(2024, 2, 29)
GOOD_ID = resident_id(7)
GOOD_USCC = credit_code(4242)
BAD_CHECKSUM_USCC = GOOD_USCC[:-1] + ("1" if GOOD_USCC[-1] != "1" else "2")


def with_check_digit(body: str) -> str:
    return body + ric.calc_check_digit(body + "0")


ID_ENDING_IN_X = next(n for n in (resident_id(s) for s in range(1000)) if n.endswith("X"))


@pytest.mark.parametrize("raw, expected", [
    (GOOD_ID, GOOD_ID),
    (f" {GOOD_ID} ", GOOD_ID),
    (GOOD_ID.translate(str.maketrans("0123456789", "０１２３４５６７８９")), GOOD_ID),  # typed with a CJK IME
    (ID_ENDING_IN_X.lower(), ID_ENDING_IN_X),
    (resident_id(born=TODAY), None),  # born today: possible
])
def test_a_good_resident_id_is_accepted_and_compacted(raw, expected):
    checked = check_resident_id(raw, today=TODAY)
    assert checked.value == (expected or raw) and checked.warnings == [] and not checked.checksum_failed


@pytest.mark.parametrize("raw", [
    "", None, "   ", GOOD_ID[:17], GOOD_ID + "1", GOOD_ID[:15],
    "22010219850615ABCX", GOOD_ID[:17] + ("0" if GOOD_ID[-1] != "0" else "1"),
    with_check_digit("22010219850230123"),  # 30 February
    with_check_digit("22010220230229123"),  # 29 February of a common year
    resident_id(born=TODAY + dt.timedelta(days=1)),
    resident_id(born=dt.date(1899, 12, 31)),
    GOOD_ID[:5] + "²" + GOOD_ID[6:],
    f"{GOOD_ID[:6]} {GOOD_ID[6:14]} {GOOD_ID[14:]}",
    int(next(n for n in (resident_id(s) for s in range(20)) if n[-1] != "X")),
])
def test_a_bad_resident_id_is_a_hard_error(raw):
    with pytest.raises(InvalidIdentifier):
        check_resident_id(raw, today=TODAY)


@pytest.mark.parametrize("area, unknown", [("110199", True), ("229999", True), ("000000", True),
                                           ("220102", False), ("222401", False)])
def test_an_unknown_birth_place_is_only_a_warning(area, unknown):
    number = resident_id(area=area)
    checked = check_resident_id(number, today=TODAY)
    assert checked.value == number
    assert len(checked.warnings) == int(unknown)
    assert all(area in str(warning) for warning in checked.warnings)


@pytest.mark.parametrize("raw", [GOOD_USCC, GOOD_USCC.lower(), f"{GOOD_USCC[:8]} {GOOD_USCC[8:]}"])
def test_a_good_uscc_is_accepted(raw):
    checked = check_uscc(raw)
    assert (checked.value, checked.warnings, checked.checksum_failed) == (GOOD_USCC, [], False)


def test_a_uscc_with_a_bad_checksum_is_flagged_not_refused():
    checked = check_uscc(BAD_CHECKSUM_USCC)
    assert checked.value == BAD_CHECKSUM_USCC and checked.checksum_failed and len(checked.warnings) == 1


@pytest.mark.parametrize("raw", ["", None, GOOD_USCC[:17], GOOD_USCC + "1", "91220101ABCDEFGHIO",
                                 "9122010100000000I1", "ZZ" + GOOD_USCC[2:], 912201010000000051])
def test_a_uscc_with_a_format_error_is_a_hard_error(raw):
    with pytest.raises(InvalidIdentifier):
        check_uscc(raw)


@pytest.mark.parametrize("raw", ["13812345678", " 138 1234 5678 ", "138-1234-5678", "+86 138 1234 5678",
                                 "+8613812345678"])
def test_a_mainland_mobile_number_is_normalised(raw):
    assert check_mobile(raw) == "13812345678"


@pytest.mark.parametrize("raw", ["", None, "abc", "12345", "1381234567", "138123456789", "043188888888",
                                 "+1 650 253 0000", 13812345678])
def test_anything_else_is_not_a_mobile_number(raw):
    with pytest.raises(InvalidIdentifier):
        check_mobile(raw)


@pytest.mark.parametrize("mask, raw, shown", [
    (mask_id_number, GOOD_ID, GOOD_ID[:6] + "*" * 8 + GOOD_ID[-4:]), (mask_id_number, "12345", "*****"),
    (mask_id_number, None, ""), (mask_phone, "13812345678", "138****5678"), (mask_phone, "12345", "*****"),
    (mask_phone, "", ""),
])
def test_masks_hide_the_middle(mask, raw, shown):
    assert mask(raw) == shown


@pytest.mark.parametrize("raw, fen", [
    ("12,000.50", 1200050), ("12，000.50", 1200050), (" 7 ", 700), ("0.01", 1), ("12000.500", 1200050),
    (Decimal("3.5"), 350), (12, 1200), ("1E+3", 100000), ("0", 0), ("10,000,000.00", MAX_ITEM_FEN),
])
def test_parse_yuan_gives_exact_fen(raw, fen):
    assert parse_yuan(raw) == fen


@pytest.mark.parametrize("raw", [
    None, "", "   ", 1.5, True, "abc", "一万", "NaN", "Infinity", "-Infinity", "-1", "-0.01", "0.001", "1.001",
    "1e-5", "10000000.01", "1000000000000000", 10**15, "1e5000000", "1e999999", "1234567890123456789012345678.001",
])
def test_parse_yuan_refuses_what_is_not_a_sensible_amount(raw):
    with pytest.raises(InvalidAmount):
        parse_yuan(raw)


@pytest.mark.parametrize("raw", ["0", "0.00", "-0"])
def test_a_zero_amount_can_be_refused(raw):
    with pytest.raises(InvalidAmount):
        parse_yuan(raw, allow_zero=False)
    assert parse_yuan("0.01", allow_zero=False) == 1


@pytest.mark.parametrize("fen, text", [(0, "0.00"), (1, "0.01"), (99, "0.99"), (1200050, "12,000.50"),
                                       (-150, "-1.50"), (None, "")])
def test_format_yuan(fen, text):
    assert format_yuan(fen) == text


@pytest.mark.parametrize("fen", [0, 1, 99, 100, 123456789, MAX_ITEM_FEN])
def test_formatted_amounts_parse_back_to_the_same_fen(fen):
    assert parse_yuan(format_yuan(fen)) == fen
    assert parse_yuan(format_yuan(fen, grouping=False)) == fen
    assert "," not in format_yuan(fen, grouping=False)
