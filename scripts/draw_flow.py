"""Draw docs/flow.png, the picture of the `spacy project run all` data flow in the README.

    python scripts/draw_flow.py [--out docs/flow.png]
"""
import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyBboxPatch  # noqa: E402

# (column, row, title, detail, colour); rows: 1 = main line, 0 = below it
BOXES = [
    (0, 1, "entity seeds", "LLM-proposed lists\n(or your own)", "#dbe9f6"),
    (1, 1, "LLM backend", "OpenAI-compatible server\nor cassette replay", "#dbe9f6"),
    (2, 1, "generation tasks", "spacy-llm prompts;\n[[marked]] spans parsed", "#dbe9f6"),
    (3, 1, "filters", "alignment, dedup,\n8-gram decontamination", "#fde9d9"),
    (4, 1, "DocBin corpora", "synthetic train / dev\n(dev = held-out seeds)", "#fde9d9"),
    (5, 1, "spacy train", "transformer NER (DISEASE,\nCHEMICAL), relation_extractor", "#e2f0d9"),
    (6, 1, "evaluate", "real test sets: NCBI-disease,\nBC5CDR-chem, GAD", "#e2f0d9"),
    (7, 1, "package", "en_synthclin_ner / _rel\nwheels, spacy.load", "#e2f0d9"),
    (3, 0, "real corpora", "pinned commit + MD5,\nnever used for training", "#eeeeee"),
    (6, 0, "report", "reports/index.html,\nPNG plots", "#eeeeee"),
]
ARROWS = [((c, 1), (c + 1, 1)) for c in range(7)] + [((3, 0), (3, 1)), ((3, 0), (6, 1)), ((6, 1), (6, 0))]
W, H, DX, DY = 1.55, 0.9, 1.85, 1.4


def centre(col, row):
    return col * DX + W / 2, row * DY + H / 2


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs" / "flow.png")
    args = parser.parse_args()
    fig, ax = plt.subplots(figsize=(16, 3.6))
    for col, row, title, detail, colour in BOXES:
        x, y = col * DX, row * DY
        ax.add_patch(FancyBboxPatch((x, y), W, H, boxstyle="round,pad=0.03", fc=colour, ec="#555555"))
        ax.text(x + W / 2, y + H * 0.72, title, ha="center", va="center", fontsize=10, weight="bold")
        ax.text(x + W / 2, y + H * 0.32, detail, ha="center", va="center", fontsize=7.5)
    for (c0, r0), (c1, r1) in ARROWS:
        (x0, y0), (x1, y1) = centre(c0, r0), centre(c1, r1)
        if r0 == r1:
            x0, x1 = x0 + W / 2 + 0.03, x1 - W / 2 - 0.03
        else:
            y0, y1 = (y0 + H / 2 + 0.03, y1 - H / 2 - 0.03) if r1 > r0 else (y0 - H / 2 - 0.03, y1 + H / 2 + 0.03)
            if c0 != c1:
                x0 += W / 2 - 0.1
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0), arrowprops=dict(arrowstyle="->", color="#333333", lw=1.3))
    ax.text(0, 2.45, "spacy project run all: offline by default (recorded LLM answers); a live server and a GPU are project variables",
            fontsize=9, style="italic")
    ax.set_xlim(-0.1, 7 * DX + W + 0.1)
    ax.set_ylim(-0.1, 2.6)
    ax.axis("off")
    fig.tight_layout()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(args.out, dpi=110)
    print(args.out)


if __name__ == "__main__":
    main()
