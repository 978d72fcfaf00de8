"""Geometry of the report's inline SVG charts.  Templates draw; this module only measures."""
from __future__ import annotations

import math

import pandas as pd

PALETTE = ("#c23531", "#2f4554", "#61a0a8", "#d48265", "#91c7ae", "#749f83",
           "#ca8622", "#bda29a", "#6e7074", "#546570", "#c4ccd3", "#8e5aa8")
TOTAL_COLOUR = "#222222"
LEGEND_ROW = 18


def colours(names) -> dict[str, str]:
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def nice_ticks(maximum: float, count: int = 5) -> list[float]:
    """Round tick values from 0 covering ``maximum`` (1-2-5 steps)."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(step, 1)
    return [i * step for i in range(int(math.ceil(maximum / step)) + 1)]


def _text_width(label: str, size: float = 12) -> float:
    """Rough rendered width: CJK characters are square, others about half as wide."""
    return sum(size if ord(ch) > 0x2e80 else size * 0.55 for ch in label)


def legend(entries: list[tuple[str, str]], x0: float, right: float, y0: float) -> tuple[list[dict], float]:
    """Legend swatches laid out left to right, wrapping into rows; returns items and its height."""
    items, x, y = [], x0, y0
    for label, colour in entries:
        w = _text_width(label) + 34
        if x > x0 and x + w > right:
            x, y = x0, y + LEGEND_ROW
        items.append({"x": round(x, 1), "y": y, "colour": colour, "label": label})
        x += w
    return items, (y - y0 + LEGEND_ROW) if items else 0


def unit_bars(table: pd.DataFrame, colour_of: dict[str, str], max_units: int,
              width: int = 760, row: int = 24) -> dict | None:
    """Horizontal stacked bars: one per unit, one segment per problem type."""
    if table.empty:
        return None
    checks = [c for c in table.columns if c != "合计"]
    shown, rest = table.head(max_units), table.iloc[max_units:]
    if len(rest) == 1:
        shown = table  # one unit more is drawn by its name: a bar "其他1个单位" would only hide it
    elif len(rest):
        shown = pd.concat([shown, rest.sum().to_frame(f"其他{len(rest)}个单位").T])
    label_w = min(200, max(_text_width(str(u)) for u in shown.index) + 12)
    plot_x, plot_w = label_w, width - label_w - 48
    top = 28
    ticks = nice_ticks(float(shown["合计"].max()))
    scale = plot_w / ticks[-1]
    bars = []
    for i, (unit, counts) in enumerate(shown.iterrows()):
        y, x = top + i * row, plot_x
        segments = []
        for check in checks:
            n = int(counts[check])
            if n:
                segments.append({"x": round(x, 1), "width": round(n * scale, 1), "colour": colour_of[check],
                                 "title": f"{unit}：{check} {n}"})
                x += n * scale
        bars.append({"label": str(unit), "y": y, "height": row - 8, "total": int(counts["合计"]),
                     "total_x": round(x + 4, 1), "segments": segments})
    bottom = top + len(bars) * row
    used = [(c, colour_of[c]) for c in checks if shown[c].sum()]
    keys, keys_height = legend(used, plot_x, width, bottom + 26)
    return {"width": width, "height": bottom + 18 + keys_height, "plot_x": plot_x, "plot_w": plot_w, "top": top,
            "bottom": bottom, "bars": bars, "legend": keys,
            "ticks": [{"x": round(plot_x + t * scale, 1), "label": f"{t:g}"} for t in ticks]}


def trend_lines(labels: list[str], series: dict[str, list[int]], colour_of: dict[str, str],
                width: int = 760, height: int = 280) -> dict | None:
    """A line per series across the scans (x) with the finding counts (y)."""
    if not labels:
        return None
    left, right, top, bottom = 70, 70, 20, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    ticks = nice_ticks(float(max((max(v) for v in series.values() if v), default=0)))
    step = plot_w / max(len(labels) - 1, 1)
    x_of = [left + (i * step if len(labels) > 1 else plot_w / 2) for i in range(len(labels))]

    def y_of(v: float) -> float:
        return round(top + plot_h - v / ticks[-1] * plot_h, 1)

    lines = []
    for name, values in series.items():
        colour = colour_of.get(name, TOTAL_COLOUR) if name != "问题总数" else TOTAL_COLOUR
        points = [(round(x, 1), y_of(v)) for x, v in zip(x_of, values)]
        lines.append({"name": name, "colour": colour, "bold": name == "问题总数",
                      "points": " ".join(f"{x},{y}" for x, y in points),
                      "markers": [{"cx": x, "cy": y, "title": f"{labels[i]} {name}：{values[i]}"}
                                  for i, (x, y) in enumerate(points)]})
    keys, keys_height = legend([(line["name"], line["colour"]) for line in lines], left, width - right,
                               top + plot_h + 44)
    return {"width": width, "height": top + plot_h + 36 + keys_height, "left": left, "right": width - right,
            "top": top, "bottom": top + plot_h, "lines": lines, "legend": keys,
            "yticks": [{"y": y_of(t), "label": f"{t:g}"} for t in ticks],
            "xlabels": [{"x": round(x, 1), "label": lab} for x, lab in zip(x_of, labels)]}
