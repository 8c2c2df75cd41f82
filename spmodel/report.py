"""Plain fixed-width text tables and number formatting for the scripts' reports, and PNG figures."""

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_EVEN, Context, Decimal
from fractions import Fraction
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # matplotlib is imported on first use: only plots need it
    from matplotlib.figure import Figure

Cell = str | int | float | Fraction | None


def units(amount: int, decimals: int) -> str:
    """An integer amount of the smallest unit as a decimal with every place: 1500000 (6) -> 1.500000."""
    sign = "-" if amount < 0 else ""
    whole, frac = divmod(abs(amount), 10**decimals)
    return f"{sign}{whole}.{frac:0{decimals}d}" if decimals else f"{sign}{whole}"


def significant(value: Fraction, digits: int = 20) -> str:
    """A Fraction as a plain decimal string with `digits` significant digits (half-even)."""
    if value == 0:
        return "0"
    ctx = Context(prec=digits, rounding=ROUND_HALF_EVEN)
    d = ctx.divide(Decimal(value.numerator), Decimal(value.denominator))
    return format(d.quantize(Decimal(1).scaleb(d.adjusted() - digits + 1), context=ctx), "f")


def short(value: int | float | Fraction, places: int = 3) -> str:
    """A wei difference: integers as they are, small fractions with a few places, large ones rounded
    to whole wei with thousands separators."""
    if isinstance(value, Fraction) and value.denominator == 1:
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10**6 else str(value)
    if abs(float(value)) >= 1000:  # a display threshold: float is exact enough
        return f"{round(value):,}"
    return f"{float(value):.{places}f}"


def table(
    headers: Sequence[str], rows: Iterable[Sequence[Cell]], align: Sequence[str] | None = None, title: str | None = None
) -> str:
    """A plain fixed-width text table. `align`: one of '<' or '>' per column (default: text left,
    numbers right)."""
    cells = [["" if c is None else str(c) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    if align is None:
        align = [">" if cells and all(_numeric(r[i]) for r in cells if r[i]) else "<" for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        return " | ".join(f"{c:{a}{w}}" for c, a, w in zip(row, align, widths, strict=True)).rstrip()

    out = []
    if title:
        out.append(title)
    out.append(line(headers))
    out.append("-+-".join("-" * w for w in widths))
    out.extend(line(row) for row in cells)
    return "\n".join(out)


def print_table(
    headers: Sequence[str], rows: Iterable[Sequence[Cell]], align: Sequence[str] | None = None, title: str | None = None
) -> None:
    print(table(headers, rows, align, title))
    print()


def _numeric(text: str) -> bool:
    try:
        float(text.replace(",", "").replace("x", "").replace("%", ""))
        return True
    except ValueError:
        return False


def pyplot() -> ModuleType:
    """matplotlib.pyplot on the file-only Agg backend (imported on first use: only plots need it)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig: "Figure", path: str) -> None:
    """Writes `fig` to the PNG `path` and frees it."""
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    pyplot().close(fig)


def gas_stats(values: Iterable[int]) -> tuple[int, int, int]:
    """(min, median, max) of gas values (median: lower middle, an integer)."""
    ordered = sorted(values)
    return ordered[0], ordered[(len(ordered) - 1) // 2], ordered[-1]
