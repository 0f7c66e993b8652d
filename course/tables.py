"""Small HTML tables for the demos (truth tables with values and right/wrong marks)."""

import html

RIGHT = '<span style="color:#2e7d32">✔</span>'
WRONG = '<span style="color:#c62828">✘</span>'


def html_table(headers, rows):
    """An HTML table; cells are shown as given (numbers formatted with up to 3 decimals)."""
    head = "".join(f"<th style='padding:2px 10px'>{html.escape(str(h))}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td style='padding:2px 10px;text-align:center'>{_cell(v)}</td>" for v in row) + "</tr>"
        for row in rows
    )
    return f"<table style='border-collapse:collapse'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(value):
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) >= 1e-3 or value == 0 else f"{value:.1e}"
    return str(value)
