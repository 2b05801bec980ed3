"""Money: integer fen inside, yuan with two decimals at the edges. Never float."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

# No single claim item in a labor dispute comes near this; a larger figure is a typing error.
MAX_ITEM_FEN = 10_000_000_00


class InvalidAmount(ValueError):
    pass


def parse_yuan(raw: str | Decimal | int | None, *, allow_zero: bool = True) -> int:
    """'12,000.50' -> 1200050 fen; refuses negatives, more than two decimals, absurd sums."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise InvalidAmount(_l("An amount is required."))
    if isinstance(raw, float):
        raise InvalidAmount(_l("Amounts must be given as text or decimals, not floating point."))
    text = str(raw).strip().replace(",", "").replace("，", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise InvalidAmount(_l("Enter an amount in yuan, such as 12000.00.")) from None
    if not value.is_finite():
        raise InvalidAmount(_l("Enter an amount in yuan, such as 12000.00."))
    if value < 0:
        raise InvalidAmount(_l("An amount cannot be negative."))
    # Before any arithmetic: "1e5000000" would overflow the decimal context (a 500, not a message).
    if value > Decimal(MAX_ITEM_FEN).scaleb(-2):
        raise InvalidAmount(_l("The amount is too large to be a real claim (at most 10,000,000.00 yuan)."))
    if value.as_tuple().exponent < -2 and value != value.quantize(Decimal("0.01")):
        raise InvalidAmount(_l("An amount has at most two decimals (fen)."))
    fen = int(value * 100)
    if fen == 0 and not allow_zero:
        raise InvalidAmount(_l("The amount must be greater than zero."))
    return fen


def format_yuan(fen: int | None, *, grouping: bool = True) -> str:
    """1200050 -> '12,000.50'."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    whole = f"{yuan:,}" if grouping else str(yuan)
    return f"{sign}{whole}.{cents:02d}"
