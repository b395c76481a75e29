"""A picture of the concept network as self-contained SVG (no script, no CDN): each concept
scheme a sector of a circle, its top concepts on the inner ring, narrower concepts outside,
skos:broader as lines. Renders anywhere, offline."""

from __future__ import annotations

import math
from html import escape
from typing import Callable

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf",
           "#bcbd22", "#7f7f7f", "#393b79", "#637939"]


def concept_map_svg(concepts: list[dict], size: int = 1100, lang: str = "zh",
                    href: Callable[[str], str] | None = None) -> str:
    """`concepts`: dicts with scheme, schemeLabel, concept, label, broader (id or None); `href`,
    given a concept id, the address of its clauses: each concept is then a link to them."""
    schemes = sorted({c["scheme"] for c in concepts})
    colour = {s: PALETTE[k % len(PALETTE)] for k, s in enumerate(schemes)}
    centre = size / 2
    radius = {0: size * 0.24, 1: size * 0.36}
    pos: dict[str, tuple[float, float]] = {}
    total = max(1, len(concepts))
    angle = 0.0
    sector_labels = []
    for s in schemes:
        members = [c for c in concepts if c["scheme"] == s]
        span = 2 * math.pi * len(members) / total
        tops = [c for c in members if not c.get("broader")]
        rest = [c for c in members if c.get("broader")]
        for ring, group in ((0, tops), (1, rest)):
            for k, c in enumerate(group):
                a = angle + span * (k + 0.5) / max(1, len(group))
                pos[c["concept"]] = (centre + radius[ring] * math.cos(a), centre + radius[ring] * math.sin(a))
        mid = angle + span / 2
        label = next((c.get("schemeLabel") for c in members if c.get("schemeLabel")), s)
        sector_labels.append((s, label, centre + size * 0.12 * math.cos(mid), centre + size * 0.12 * math.sin(mid)))
        angle += span
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" '
           f'height="{size}" font-family="WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif">',
           f'<rect width="{size}" height="{size}" fill="white"/>']
    for c in concepts:
        b = c.get("broader")
        if b and b in pos and c["concept"] in pos:
            (x1, y1), (x2, y2) = pos[c["concept"]], pos[b]
            out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                       f'stroke="{colour[c["scheme"]]}" stroke-opacity="0.5"/>')
    for c in concepts:
        x, y = pos[c["concept"]]
        text = (c.get("label") or c["concept"])
        text = text[:9] + "…" if lang == "zh" and len(text) > 10 else (text[:22] + "…" if len(text) > 23 else text)
        anchor = "start" if x >= centre else "end"
        dx = 7 if x >= centre else -7
        if href:
            link = escape(href(c["concept"]))
            out.append(f'<a href="{link}" target="_blank" class="concept">')
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour[c["scheme"]]}">'
                   f'<title>{escape(c.get("label") or c["concept"])}</title></circle>')
        out.append(f'<text x="{x + dx:.1f}" y="{y + 4:.1f}" font-size="11" text-anchor="{anchor}" '
                   f'fill="#262626">{escape(text)}</text>')
        if href:
            out.append("</a>")
    for s, label, x, y in sector_labels:
        out.append(f'<text x="{x:.1f}" y="{y:.1f}" font-size="14" font-weight="bold" text-anchor="middle" '
                   f'fill="{colour[s]}">{escape(label)}</text>')
    out.append("</svg>")
    return "\n".join(out)


# Pan (drag), zoom (wheel, ＋ －) and reset for the SVG above, in plain script inside the page: the
# network is explored offline, nothing loaded from anywhere. A drag never follows the link under it.
_EXPLORE = """
<div id="net" style="position:relative;width:100%;height:760px;overflow:hidden;border:1px solid #d9d9d9;
     cursor:grab;background:white">
  <div style="position:absolute;top:8px;right:8px;z-index:2;font-family:sans-serif">
    <button id="zin" title="@ZOOM_IN@">＋</button><button id="zout" title="@ZOOM_OUT@">－</button>
    <button id="reset" title="@RESET@">⟲</button></div>
  @SVG@
</div>
<script>
(function () {
  const net = document.getElementById("net"), svg = net.querySelector("svg");
  svg.removeAttribute("width"); svg.removeAttribute("height");
  svg.style.width = "100%"; svg.style.height = "100%";
  const vb = svg.viewBox.baseVal, home = [vb.x, vb.y, vb.width, vb.height];
  function zoom(f, px, py) {
    const r = svg.getBoundingClientRect();
    const cx = vb.x + (px === undefined ? 0.5 : (px - r.left) / r.width) * vb.width;
    const cy = vb.y + (py === undefined ? 0.5 : (py - r.top) / r.height) * vb.height;
    vb.x = cx - (cx - vb.x) * f; vb.y = cy - (cy - vb.y) * f; vb.width *= f; vb.height *= f;
  }
  net.addEventListener("wheel", e => { e.preventDefault(); zoom(e.deltaY < 0 ? 0.8 : 1.25, e.clientX, e.clientY); },
                       {passive: false});
  let drag = null, moved = false;
  net.addEventListener("mousedown", e => { drag = [e.clientX, e.clientY]; moved = false; net.style.cursor = "grabbing"; });
  window.addEventListener("mousemove", e => {
    if (!drag) return;
    const r = svg.getBoundingClientRect(), dx = e.clientX - drag[0], dy = e.clientY - drag[1];
    if (Math.abs(dx) + Math.abs(dy) > 3) moved = true;
    vb.x -= dx * vb.width / r.width; vb.y -= dy * vb.height / r.height; drag = [e.clientX, e.clientY];
  });
  window.addEventListener("mouseup", () => { drag = null; net.style.cursor = "grab"; });
  net.addEventListener("click", e => { if (moved) { e.preventDefault(); e.stopPropagation(); } }, true);
  document.getElementById("zin").onclick = () => zoom(0.8);
  document.getElementById("zout").onclick = () => zoom(1.25);
  document.getElementById("reset").onclick = () => { [vb.x, vb.y, vb.width, vb.height] = home; };
})();
</script>
"""


def explorable_html(svg: str, lang: str = "zh") -> str:
    """The concept network to explore in the page: drag to pan, wheel or ＋/－ to zoom, ⟲ back;
    a concept (when the SVG was drawn with `href`) opens its clauses in a new tab."""
    zh = lang != "en"
    said = {"@ZOOM_IN@": "放大" if zh else "zoom in", "@ZOOM_OUT@": "缩小" if zh else "zoom out",
            "@RESET@": "复原" if zh else "reset"}
    page = _EXPLORE
    for mark, words in said.items():
        page = page.replace(mark, words)
    return page.replace("@SVG@", svg)  # (last: nothing in the SVG is read as a mark)
