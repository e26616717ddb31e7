"""The catalogue's pictures, drawn by the project (SVG): a face and the style's hair.

Regenerate after changing a style: `python -m solibook.styleadvisor.drawing` writes
`static/styleadvisor/styles/<id>.svg`. Our own work, under the project's licence.
"""

from pathlib import Path

OUT = Path(__file__).resolve().parent / "static" / "styleadvisor" / "styles"

SKIN = "#e8b99a"
HAIR = {
    "pixie": "#3b2a20",
    "bob": "#2b1d16",
    "long-layers": "#5a3b27",
    "curtain-bangs": "#6b4a2f",
    "curl-cut": "#2a1b12",
    "sleek-keratin": "#1f1712",
    "balayage": "url(#sun)",
    "copper": "#b4512a",
    "cool-blonde": "#e6dcc2",
    "bridal-updo": "#4a3223",
    "hollywood-waves": "#7a2e2e",
    "skin-fade": "#222",
    "beard-sculpt": "#3a2a1e",
    "extensions-volume": "#8a5a35",
    "glow-makeup": "#4b3324",
    "deep-gloss": "#2a1810",
}

FACE = '<ellipse cx="100" cy="105" rx="38" ry="48" fill="{skin}"/>'
NECK = '<rect x="86" y="140" width="28" height="30" fill="{skin}"/>'
SHOULDERS = '<path d="M40 200 Q100 150 160 200 Z" fill="#7a2e5a"/>'
EYES = (
    '<ellipse cx="86" cy="102" rx="4" ry="3" fill="#2b1d16"/>'
    '<ellipse cx="114" cy="102" rx="4" ry="3" fill="#2b1d16"/>'
)
MOUTH = '<path d="M90 130 Q100 136 110 130" stroke="#a0453e" stroke-width="3" fill="none"/>'

# Hair drawn behind the face, then in front of it (fringe, top).
BEHIND = {
    "long-layers": '<path d="M55 80 Q50 160 62 190 L138 190 Q150 160 145 80 Z" fill="{c}"/>',
    "sleek-keratin": '<path d="M58 80 L56 195 L144 195 L142 80 Z" fill="{c}"/>',
    "balayage": '<path d="M55 80 Q48 160 60 192 L140 192 Q152 160 145 80 Z" fill="{c}"/>',
    "copper": '<path d="M56 80 Q50 150 64 175 L136 175 Q150 150 144 80 Z" fill="{c}"/>',
    "cool-blonde": '<path d="M58 80 Q56 130 66 150 L134 150 Q144 130 142 80 Z" fill="{c}"/>',
    "curtain-bangs": '<path d="M57 80 Q52 140 62 170 L138 170 Q148 140 143 80 Z" fill="{c}"/>',
    "curl-cut": "".join(
        f'<circle cx="{x}" cy="{y}" r="14" fill="{{c}}"/>'
        for x, y in [
            (58, 80),
            (52, 105),
            (55, 130),
            (64, 150),
            (142, 80),
            (148, 105),
            (145, 130),
            (136, 150),
        ]
    ),
    "hollywood-waves": '<path d="M56 80 Q40 110 60 130 Q45 150 62 172 L140 172 Q156 150 142 130 Q160 110 144 80 Z" fill="{c}"/>',
    "extensions-volume": '<path d="M50 80 Q40 160 55 198 L145 198 Q160 160 150 80 Z" fill="{c}"/>',
    "glow-makeup": '<path d="M58 80 Q54 130 64 150 L136 150 Q146 130 142 80 Z" fill="{c}"/>',
    "deep-gloss": '<path d="M56 80 Q50 150 62 176 L138 176 Q150 150 144 80 Z" fill="{c}"/>',
    "bob": '<path d="M56 78 L54 140 L146 140 L144 78 Z" fill="{c}"/>',
}
FRONT = {
    "pixie": '<path d="M60 95 Q62 50 100 48 Q140 48 142 92 Q120 70 84 76 Q70 80 60 95 Z" fill="{c}"/>',
    "bob": '<path d="M60 100 Q60 52 100 52 Q140 52 140 100 L132 84 Q100 64 68 84 Z" fill="{c}"/>',
    "long-layers": '<path d="M62 100 Q62 50 100 50 Q138 50 138 100 Q120 66 100 64 Q80 66 62 100 Z" fill="{c}"/>',
    "curtain-bangs": '<path d="M62 104 Q60 50 100 50 Q140 50 138 104 Q126 78 100 70 Q74 78 62 104 Z" fill="{c}"/>',
    "curl-cut": "".join(
        f'<circle cx="{x}" cy="{y}" r="13" fill="{{c}}"/>'
        for x, y in [(70, 62), (88, 52), (106, 50), (124, 56), (138, 70), (62, 78)]
    ),
    "sleek-keratin": '<path d="M62 100 Q62 54 100 54 Q138 54 138 100 Q110 62 62 100 Z" fill="{c}"/>',
    "balayage": '<path d="M62 100 Q62 50 100 50 Q138 50 138 100 Q120 66 100 64 Q80 66 62 100 Z" fill="{c}"/>',
    "copper": '<path d="M62 100 Q62 52 100 52 Q138 52 138 100 Q100 60 62 100 Z" fill="{c}"/>',
    "cool-blonde": '<path d="M62 98 Q62 52 100 52 Q138 52 138 98 Q92 66 62 98 Z" fill="{c}"/>',
    "bridal-updo": '<path d="M62 96 Q62 54 100 54 Q138 54 138 96 Q100 66 62 96 Z" fill="{c}"/>'
    '<circle cx="100" cy="42" r="18" fill="{c}"/><circle cx="84" cy="40" r="5" fill="#fff"/>'
    '<circle cx="116" cy="40" r="5" fill="#fff"/>',
    "hollywood-waves": '<path d="M62 104 Q60 50 104 50 Q140 52 138 96 Q110 60 84 80 Q70 90 62 104 Z" fill="{c}"/>',
    "skin-fade": '<path d="M66 84 Q66 52 100 50 Q134 52 134 84 Q100 70 66 84 Z" fill="{c}"/>'
    '<path d="M62 86 L66 110 M138 86 L134 110" stroke="{c}" stroke-opacity=".35" stroke-width="6"/>',
    "beard-sculpt": '<path d="M66 82 Q66 54 100 52 Q134 54 134 82 Q100 72 66 82 Z" fill="{c}"/>'
    '<path d="M64 110 Q66 160 100 160 Q134 160 136 110 Q124 128 100 126 Q76 128 64 110 Z" fill="{c}"/>',
    "extensions-volume": '<path d="M60 100 Q60 48 100 48 Q140 48 140 100 Q120 64 100 62 Q80 64 60 100 Z" fill="{c}"/>',
    "glow-makeup": '<path d="M62 98 Q62 52 100 52 Q138 52 138 98 Q100 64 62 98 Z" fill="{c}"/>',
    "deep-gloss": '<path d="M62 100 Q62 52 100 52 Q138 52 138 100 Q100 60 62 100 Z" fill="{c}"/>'
    '<path d="M78 62 Q96 56 112 60" stroke="#fff" stroke-opacity=".45" stroke-width="4" fill="none"/>',
}
EXTRA = {
    "glow-makeup": '<circle cx="80" cy="118" r="7" fill="#f08a8a" fill-opacity=".5"/>'
    '<circle cx="120" cy="118" r="7" fill="#f08a8a" fill-opacity=".5"/>',
}
GRADIENT = (
    '<defs><linearGradient id="sun" x1="0" y1="0" x2="0" y2="1">'
    '<stop offset="0" stop-color="#4a3020"/><stop offset=".55" stop-color="#b98a52"/>'
    '<stop offset="1" stop-color="#ecd29a"/></linearGradient></defs>'
)


def svg(style_id: str) -> str:
    colour = HAIR.get(style_id, "#3b2a20")
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" role="img">',
        GRADIENT,
        '<rect width="200" height="200" fill="#f6eef2"/>',
        BEHIND.get(style_id, "").replace("{c}", colour),
        SHOULDERS,
        NECK.format(skin=SKIN),
        FACE.format(skin=SKIN),
        EYES,
        MOUTH,
        EXTRA.get(style_id, ""),
        FRONT.get(style_id, "").replace("{c}", colour),
        "</svg>",
    ]
    return "".join(parts) + "\n"


def write_all() -> list[Path]:
    from solibook.styleadvisor.catalogue import styles

    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    for style in styles():
        path = OUT / f"{style.id}.svg"
        path.write_text(svg(style.id), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for written in write_all():
        print(written)
