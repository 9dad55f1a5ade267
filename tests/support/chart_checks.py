"""Layout checks of a drawn matplotlib figure, from the renderer's bounding boxes.

:func:`layout_problems` draws a figure and lists what a reader would object to:

- a piece of text (title, axis label, drawn tick label, annotation, legend entry,
  note) that leaves the figure or overlaps another piece of text;
- a bar (a rectangle of ``ax.patches``) or a marker that reaches outside its axes,
  or a value label (an annotation of a data point) that does.

Each problem is a sentence naming the texts or the artist, so a failing test says
what collided.
"""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Annotation, Text

#: Pixels of overlap forgiven (anti-aliasing, rounding of glyph boxes).
TOLERANCE = 1.0


def _drawn_tick_labels(axis) -> tuple[list[Text], set[int]]:
    """Tick labels the axis draws (ticks inside the view), and the ids of all its tick labels."""
    low, high = sorted(axis.get_view_interval())
    span = (high - low) or 1.0
    drawn, every = [], set()
    for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
        labels = (tick.label1, tick.label2)
        every.update(id(t) for t in labels)
        inside = low - 1e-9 * span <= tick.get_loc() <= high + 1e-9 * span
        if inside and tick.get_visible():
            drawn += [t for t in labels if t.get_visible() and t.get_text().strip()]
    return drawn, every


def _axes(fig):
    """Every axes of the figure, with secondary and other child axes."""
    out = []
    for ax in fig.axes:
        out.append(ax)
        out += list(getattr(ax, "child_axes", []))
    return out


def texts(fig) -> list[Text]:
    """Every piece of text the figure draws (tick labels only for ticks in view)."""
    _agg(fig).draw()
    drawn, ticks = [], set()
    for ax in _axes(fig):
        for axis in (ax.xaxis, ax.yaxis):
            labels, every = _drawn_tick_labels(axis)
            drawn += labels
            ticks |= every
    for t in fig.findobj(match=Text):
        if id(t) in ticks or not t.get_visible() or not t.get_text().strip():
            continue
        if t.axes is not None and not t.axes.get_visible():
            continue
        drawn.append(t)
    unique = {id(t): t for t in drawn}
    return list(unique.values())


def _agg(fig):
    """The figure's canvas, an Agg one when it has none that can render (a bare ``Figure``)."""
    if not hasattr(fig.canvas, "get_renderer"):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig)
    return fig.canvas


def _overlap(a, b) -> bool:
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > TOLERANCE) and (min(a.y1, b.y1) - max(a.y0, b.y0) > TOLERANCE)


def _name(t: Text) -> str:
    return repr(" ".join(t.get_text().split()))


def layout_problems(fig) -> list[str]:
    """What is wrong with the figure's layout (an empty list when nothing is)."""
    found = texts(fig)
    renderer = fig.canvas.get_renderer()
    boxes = [(t, t.get_window_extent(renderer)) for t in found]
    figure = fig.bbox
    problems = []
    for t, box in boxes:
        if (box.x0 < figure.x0 - TOLERANCE or box.y0 < figure.y0 - TOLERANCE
                or box.x1 > figure.x1 + TOLERANCE or box.y1 > figure.y1 + TOLERANCE):
            problems.append(f"text {_name(t)} leaves the figure")
    for i, (a, abox) in enumerate(boxes):
        for b, bbox in boxes[i + 1:]:
            if _overlap(abox, bbox):
                problems.append(f"text {_name(a)} overlaps text {_name(b)}")
    for ax in fig.axes:
        problems += _outside_axes(ax, renderer)
    return problems


def _outside_axes(ax, renderer) -> list[str]:
    box = ax.get_window_extent(renderer)
    problems = []
    for p in ax.patches:
        if not isinstance(p, Rectangle) or not p.get_visible() or p.get_width() == 0 or p.get_height() == 0:
            continue
        ext = p.get_window_extent(renderer)
        if (ext.x0 < box.x0 - TOLERANCE or ext.x1 > box.x1 + TOLERANCE
                or ext.y0 < box.y0 - TOLERANCE or ext.y1 > box.y1 + TOLERANCE):
            problems.append(f"a bar of {p.get_label() or 'a series'!r} reaches outside the axes "
                            f"({ext.x0:.0f}..{ext.x1:.0f} x {ext.y0:.0f}..{ext.y1:.0f} in "
                            f"{box.x0:.0f}..{box.x1:.0f} x {box.y0:.0f}..{box.y1:.0f})")
    for t in ax.texts:
        if isinstance(t, Annotation) and t.xycoords == "data" and t.get_visible() and t.get_text().strip():
            ext = t.get_window_extent(renderer)
            if (ext.x0 < box.x0 - TOLERANCE or ext.x1 > box.x1 + TOLERANCE
                    or ext.y0 < box.y0 - TOLERANCE or ext.y1 > box.y1 + TOLERANCE):
                problems.append(f"the value label {_name(t)} reaches outside the axes")
    for line in ax.get_lines():
        if not isinstance(line, Line2D) or line.get_marker() in (None, "None", "none", "", " "):
            continue
        if not line.get_visible():
            continue
        xy = line.get_transform().transform(np.column_stack([line.get_xdata(), line.get_ydata()]).astype(float))
        half = line.get_markersize() / 2 * ax.figure.dpi / 72
        for x, y in xy:
            if (x - half < box.x0 - TOLERANCE or x + half > box.x1 + TOLERANCE
                    or y - half < box.y0 - TOLERANCE or y + half > box.y1 + TOLERANCE):
                problems.append(f"a marker of {line.get_label()!r} reaches outside the axes")
                break
    return problems
