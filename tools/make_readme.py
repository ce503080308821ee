"""Write README.md from nbs/index.ipynb (nbdev's `nbdev_readme` needs quarto, which we do not use).

Markdown cells are copied as they are; code cells without nbdev directives are shown as python
blocks followed by their text output. Cells carrying `#| hide`, `#| export` or `#| default_exp`
are left out. `--check` exits 1 if README.md is not what this script would write.
"""
import json, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
HIDDEN = ("hide", "export", "exporti", "default_exp")

def _directives(src):
    return [l[2:].strip().split()[0] for l in src.splitlines() if l.startswith("#|") and l[2:].strip()]

def _text_output(outputs):
    parts = []
    for o in outputs:
        if o.get("output_type") == "stream": parts.append("".join(o["text"]))
        elif "data" in o and "text/plain" in o["data"]: parts.append("".join(o["data"]["text/plain"]))
    return "".join(parts).rstrip("\n")

def render(nb_path=root / "nbs" / "index.ipynb"):
    nb = json.loads(Path(nb_path).read_text(encoding="utf-8"))
    out = ["<!-- Generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file. -->"]
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        if cell["cell_type"] == "markdown": out.append(src)
        elif cell["cell_type"] == "code" and not set(_directives(src)) & set(HIDDEN):
            out.append(f"```python\n{src}\n```")
            text = _text_output(cell.get("outputs", []))
            if text: out.append(f"```\n{text}\n```")
    return "\n\n".join(out) + "\n"

if __name__ == "__main__":
    readme, text = root / "README.md", render()
    if "--check" in sys.argv:
        if not readme.exists() or readme.read_text(encoding="utf-8") != text:
            sys.exit("README.md is out of date with nbs/index.ipynb: run `python tools/make_readme.py`")
    else:
        readme.write_text(text, encoding="utf-8")
