"""Readability checks through matplotlib's renderer, and generated pathways of any size, for the figure tests.

The checks look at a figure as it is drawn (``FigureCanvasAgg.draw``):
the window extents of its texts, boxes and arrows, in pixels, and the size
of the file ``save_figure`` writes (cropped to what is drawn, padded 0.1
inch, matplotlib's ``bbox_inches="tight"``).
"""

from __future__ import annotations

import itertools
import math
import random
import weakref
from types import SimpleNamespace

import numpy as np
import pytest
from matplotlib.backend_bases import RendererBase
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from caregraph import CareGraph, plot_pathway

A4 = (297 / 25.4, 210 / 25.4)
SAVE_PAD = 0.1  # inches, matplotlib's pad_inches for bbox_inches="tight"


_DRAWN: weakref.WeakKeyDictionary[Figure, RendererBase] = weakref.WeakKeyDictionary()


def renderer(fig: Figure) -> RendererBase:
    """The renderer the figure was drawn with: drawn once, as the checks never change a figure."""
    if fig not in _DRAWN:
        fig.canvas.draw()
        _DRAWN[fig] = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    return _DRAWN[fig]


def texts(fig: Figure) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def text_box(text: Text, r: RendererBase) -> Bbox:
    """What a text covers: its letters and its background box."""
    boxes = [text.get_window_extent(r)]
    patch = text.get_bbox_patch()
    if patch is not None:
        boxes.append(patch.get_window_extent(r))
    return Bbox.union(boxes)


def overlapping_texts(fig: Figure) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes overlap by more than half a pixel."""
    r = renderer(fig)
    shown = [(t.get_text(), text_box(t, r).expanded(1.0, 1.0)) for t in texts(fig)]
    shrink = [(s, Bbox.from_extents(b.x0 + 0.5, b.y0 + 0.5, b.x1 - 0.5, b.y1 - 0.5)) for s, b in shown]
    return [(a, b) for (a, x), (b, y) in itertools.combinations(shrink, 2) if x.overlaps(y)]


def step_boxes(fig: Figure) -> dict[str, Bbox]:
    r = renderer(fig)
    return {p.get_gid().removeprefix("step:"): p.get_window_extent(r) for p in fig.findobj(FancyBboxPatch)
            if (p.get_gid() or "").startswith("step:")}


def arrows(fig: Figure, kind: str = "arrow") -> dict[tuple[str, str], FancyArrowPatch]:
    """The arrows named ``<kind>:<from>-><to>`` (pathway transitions, or a map's co-dependencies), by their ends."""
    found = {}
    for patch in fig.findobj(FancyArrowPatch):
        gid = patch.get_gid() or ""
        if gid.startswith(f"{kind}:"):
            source, target = gid.removeprefix(f"{kind}:").split("->")
            found[(source, target)] = patch
    return found


def arrow_points(fig: Figure, arrow: FancyArrowPatch, step: float = 2.0) -> np.ndarray:
    """Points every ``step`` pixels along an arrow's line and head, in display coordinates."""
    path = arrow.get_path()
    ax = fig.axes[0]
    points = []
    for polygon in path.to_polygons(closed_only=False):
        shown = ax.transData.transform(polygon)
        for a, b in itertools.pairwise(shown):
            n = max(2, math.ceil(np.hypot(*(b - a)) / step))
            points.append(np.linspace(a, b, n))
    return np.vstack(points)


def pass_throughs(fig: Figure) -> list[tuple[tuple[str, str], str]]:
    """(arrow, box) pairs where an arrow runs through a step box that is neither of its ends."""
    boxes = step_boxes(fig)
    found = []
    for (source, target), arrow in arrows(fig).items():
        points = arrow_points(fig, arrow)
        for step, box in boxes.items():
            if step in (source, target):
                continue
            inside = ((points[:, 0] > box.x0 + 1) & (points[:, 0] < box.x1 - 1)
                      & (points[:, 1] > box.y0 + 1) & (points[:, 1] < box.y1 - 1))
            if inside.any():
                found.append(((source, target), step))
    return found


def saved_inches(fig: Figure) -> tuple[float, float]:
    """The size of the file ``save_figure`` writes: what is drawn, padded 0.1 inch all round."""
    box = fig.get_tightbbox(renderer(fig))
    return box.width + 2 * SAVE_PAD, box.height + 2 * SAVE_PAD


def smallest_printed_font(fig: Figure) -> float:
    """The smallest text, in points, when the saved figure is printed to fit an A4 landscape page."""
    width, height = saved_inches(fig)
    scale = min(A4[0] / width, A4[1] / height)
    return min(t.get_fontsize() for t in texts(fig)) * scale


def largest_empty_band(fig: Figure) -> tuple[float, float]:
    """The widest strip across (share of the height) and down (share of the width) with nothing drawn in it.

    Backgrounds (lanes, pool frames, the fold line) do not count as drawn.
    """
    r = renderer(fig)
    drawn = [text_box(t, r) for t in texts(fig)]
    drawn += [p.get_window_extent(r) for p in fig.findobj(FancyBboxPatch) if (p.get_gid() or "").startswith("step:")]
    drawn += [p.get_window_extent(r) for p in fig.findobj(FancyArrowPatch) if (p.get_gid() or "").startswith("arrow:")]
    whole = fig.get_tightbbox(r).transformed(fig.dpi_scale_trans)

    def gap(spans: list[tuple[float, float]], low: float, high: float) -> float:
        biggest, reach = 0.0, low
        for a, b in sorted(spans):
            biggest = max(biggest, a - reach)
            reach = max(reach, b)
        return max(biggest, high - reach) / (high - low)

    return (gap([(b.y0, b.y1) for b in drawn], whole.y0, whole.y1),
            gap([(b.x0, b.x1) for b in drawn], whole.x0, whole.x1))


def highlighted(fig: Figure, colour: str) -> tuple[set[tuple[str, str]], set[tuple[str, str]], set[tuple[str, str]]]:
    """The arrows drawn in ``colour`` (hand-offs), with a crossing badge, and dashed (loops)."""
    drawn = arrows(fig)
    red = {key for key, arrow in drawn.items() if arrow.get_edgecolor() == to_rgba(colour)}
    dashed = {key for key, arrow in drawn.items() if arrow.get_linestyle() not in ("-", "solid")}
    badges = set()
    for text in texts(fig):
        gid = text.get_gid() or ""
        if gid.startswith("crossing:"):
            source, target = gid.removeprefix("crossing:").split("->")
            badges.add((source, target))
    return red, badges, dashed


@pytest.fixture(scope="session")
def checks() -> SimpleNamespace:
    return SimpleNamespace(overlapping_texts=overlapping_texts, pass_throughs=pass_throughs,
                           smallest_printed_font=smallest_printed_font, saved_inches=saved_inches,
                           largest_empty_band=largest_empty_band, highlighted=highlighted, arrows=arrows,
                           texts=texts, step_boxes=step_boxes, renderer=renderer)


STEP_NAMES = [
    "Emergency department assessment", "Hip fracture surgery and acute stay", "GP review", "Community nursing",
    "Rapid access clinic", "Specialist outpatient clinic", "Inpatient rehabilitation on a community ward",
    "Reablement at home", "Care home placement (first 12 weeks)", "Falls prevention programme",
    "CT coronary angiography at a community diagnostic centre", "Invasive coronary angiography",
    "Cardiac rehabilitation programme", "Stop smoking service", "Memory assessment service",
    "Crisis resolution and home treatment team", "Adult weight management programme", "Structured education",
    "Renal dialysis (first year)", "Home care package", "Palliative care at home", "Social worker assessment",
    "Physiotherapy", "Occupational therapy home visit", "Pharmacy medicines review", "Discharge to assess bed",
    "Acute medical unit", "Intensive care", "Virtual ward", "Early supported discharge team",
]
PROVIDERS = [
    "Royal Example Hospitals NHS Foundation Trust", "Example Community Health NHS Trust", "Example City Council",
    "Riverside Medical Practice", "Example Partnership NHS Foundation Trust", "Northern Ambulance Service",
    "Example Hospice", "Coastal and Rural Primary Care Network", "Example County Council",
    "University Hospitals of Example NHS Trust", "Example Mental Health NHS Foundation Trust",
    "Example Care Homes Ltd",
]
SETTINGS = ["primary", "community", "acute", "specialised", "mental_health", "social_care", "public_health"]


def generated_pathway(steps: int, lanes: int, seed: int) -> CareGraph:
    """A random but plausible pathway (seeded): ``steps`` steps delivered by ``lanes`` providers.

    As in real pathways, providers take over from one another along the
    way (an acute trust, then community services, then the council): the
    steps sit in about ``1.5 * sqrt(steps)`` stages, each provider works
    within a window of stages around its own place in the pathway, and a
    step mostly stays with the provider of the step before it. Each step is
    reached from one in the stage before, a third also from an earlier one;
    about one step in eight loops back (a readmission). Probabilities leave
    some patients at every step; 1,000 patients a year enter; budgets and
    settings are drawn at random.
    """
    rng = random.Random(seed)
    g = CareGraph(f"generated-{steps}-{lanes}-{seed}")
    g.add_node("ICB1", "ICB", name="Example Integrated Care Board")
    g.add_node("LA1", "LocalAuthority", name="Example City Council")
    g.add_node("X24", "NHSEngland", name="NHS England")
    budgets = {"icb": ("ICB1", "icb_core"), "spec": ("X24", "nhse_specialised"), "asc": ("LA1", "la_social_care")}
    for budget, (holder, stream) in budgets.items():
        g.add_node(budget, "Budget", stream=stream, name=f"Example {stream.replace('_', ' ')} budget")
        g.add_edge(budget, holder, "HELD_BY")
    for n in range(lanes):
        g.add_node(f"P{n}", "NHSTrust", name=PROVIDERS[n % len(PROVIDERS)])
    g.add_node("p", "Pathway", name=f"Generated pathway: {steps} steps, {lanes} providers (seed {seed})",
               patients_per_year=1000)
    stages = max(2, min(steps, round(1.5 * math.sqrt(steps))))
    stage = sorted(min(i, stages - 1) if i < stages else rng.randrange(1, stages) for i in range(steps))
    home = [round(n * (stages - 1) / max(1, lanes - 1)) for n in range(lanes)]
    reach = max(1, math.ceil(stages / lanes))
    lane = [-1] * steps
    for n in range(lanes):  # every provider has a step near its place
        free = [i for i in range(steps) if lane[i] < 0]
        lane[min(free, key=lambda i: (abs(stage[i] - home[n]), rng.random()))] = n
    edges: dict[tuple[int, int], None] = {}
    for i in range(1, steps):
        before = [j for j in range(steps) if stage[j] == stage[i] - 1] or [0]
        source = rng.choice(before)
        edges[(source, i)] = None
        if lane[i] < 0:
            near = [n for n in range(lanes) if abs(home[n] - stage[i]) <= reach]
            lane[i] = lane[source] if lane[source] in near and rng.random() < 0.6 else rng.choice(near)
        if rng.random() < 0.3:
            earlier = [j for j in range(steps) if stage[j] < stage[i] and j != source]
            if earlier:
                edges[(rng.choice(earlier), i)] = None
    for _ in range(steps // 8 + (steps >= 5)):
        late, early = rng.randrange(steps // 2, steps), rng.randrange(0, steps // 2)
        if stage[early] < stage[late]:
            edges[(late, early)] = None
    ids = [f"p/s{i}" for i in range(steps)]
    for i, step in enumerate(ids):
        g.add_node(step, "Step", pathway="p", name=rng.choice(STEP_NAMES), setting=rng.choice(SETTINGS),
                   unit_cost=float(rng.choice([40, 250, 900, 4800])))
        g.add_edge("p", step, "HAS_STEP")
        g.add_edge(step, f"P{lane[i]}", "DELIVERED_BY")
        g.add_edge(step, rng.choice(list(budgets)), "PAID_FROM")
    g.add_edge("p", ids[0], "STARTS_AT", probability=1.0)
    out: dict[int, list[int]] = {}
    for a, b in edges:
        out.setdefault(a, []).append(b)
    for a, targets in out.items():
        weights = [rng.random() + 0.2 for _ in targets]
        going = rng.uniform(0.55, 0.9)
        for b, w in zip(targets, weights, strict=True):
            g.add_edge(ids[a], ids[b], "NEXT", probability=going * w / sum(weights))
    return g


@pytest.fixture(scope="session")
def generated() -> object:
    return generated_pathway


@pytest.fixture(scope="session")
def generated_figure() -> object:
    """``plot_pathway`` of ``generated_pathway(steps, lanes, seed)``, drawn once a session for each size."""
    figures: dict[tuple[int, int, int], tuple[CareGraph, Figure]] = {}

    def draw(steps: int, lanes: int, seed: int) -> tuple[CareGraph, Figure]:
        if (steps, lanes, seed) not in figures:
            graph = generated_pathway(steps, lanes, seed)
            figures[(steps, lanes, seed)] = graph, plot_pathway(graph, "p", as_at="all")
        return figures[(steps, lanes, seed)]

    return draw
