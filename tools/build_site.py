#!/usr/bin/env python
"""Build the nanotok website from the stored, executed notebooks in `nbs/` (nothing is run).

    python tools/build_site.py [--nbs nbs] [--out _site]

The site is made by Sphinx (configuration: `docs/conf.py`) with myst-nb, which renders each
notebook from its stored outputs, sphinx-book-theme (navigation that folds away at phone
width, light/dark theming, client-side search) and sphinx-copybutton; the API reference is
rendered by autodoc from the imported package. Every asset is served from the site itself.

Before Sphinx sees them, the notebooks are staged in a temporary folder with nbdev's
directives applied the way nbdev's own docs apply them:

- `#| hide` (and `#| include: false`) cells are left out; `#| echo: false` hides a cell's
  code, `#| output: false` its outputs; a cell left with neither (`#| default_exp`) goes;
- a cell whose first line is `#| code-fold: true` is shown folded ("Show the solution"
  under an exercise, "Show code" elsewhere); exported cells are labelled with their module;
- no `#| ...` line is shown to the reader;
- a `show_doc(...)` output (nbdev's markdown, with Quarto attribute syntax) is replaced by
  the same entry rendered by autodoc: signature, docstring, parameters, [source] link;
- links written for Jupyter or for the README (`nbs/02_bpe.ipynb#Some-heading`) point at
  the pages.

The navigation follows the index's two routes: Learn (chapters 00-09), Use (10-19), then
the API reference, each page titled by its notebook's H1 (file-name order, so new
chapters find their place). The build replaces `--out` only when it succeeded, and
writes `pages.json` there: each page's file, title, section and the outputs it must show
(HTML, PNG, ANSI-coloured text, folded solutions; for the API reference, the entries it
must hold), which `tools/check_site.py` compares with what Chromium rendered.
"""
from __future__ import annotations

import argparse
import copy
import io
import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
sys.path.insert(0, str(DOCS))
import nanotok_sphinx as ns  # noqa: E402  (docs/nanotok_sphinx.py: locating names and chapters)

ROUTES = (("Learn", range(0, 10)), ("Use", range(10, 20)))
_DIRECTIVE = re.compile(r"^\s*#\s*\|\s*(.*?)\s*$")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_QUARTO_ATTRS = re.compile(r"(\]\([^)\s]*\))\{[^}\n]*\}")   # [text](url){target="_blank" ...}
_SHOW_DOC = re.compile(r"^\s*show_doc\(\s*([A-Za-z_][\w.]*)\s*(?:,[^)]*)?\)\s*$")
_NB_LINK = re.compile(r"\]\((?:\./)?nbs/([^)#\s]+\.ipynb)")


def directives(source: str) -> tuple[dict[str, str], str]:
    "Split a code cell into its leading nbdev/Quarto `#|` directives and the remaining code."
    lines, found, i = source.splitlines(), {}, 0
    while i < len(lines) and (_DIRECTIVE.match(lines[i]) or not lines[i].strip()):
        m = _DIRECTIVE.match(lines[i])
        if m and m.group(1):
            key, _, val = m.group(1).partition(":")
            if not val.strip():  # `#| export foo` style: the first word is the key
                key, _, val = m.group(1).partition(" ")
            found[key.strip().lower()] = val.strip()
        i += 1
    return found, "\n".join(lines[i:])


def title_of(nb, fallback: str) -> str:
    "The notebook's first H1 (`# Title`), without markdown emphasis or code marks."
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if re.match(r"^#\s+\S", line):
                    return re.sub(r"[`*_]", "", line[1:]).strip()
    return fallback


def default_exp(nb) -> str | None:
    "The module a notebook exports to (`#| default_exp bpe` -> `nanotok.bpe`)."
    for cell in nb.cells:
        if cell.cell_type == "code":
            d, _ = directives(cell.source)
            if d.get("default_exp"):
                mod = d["default_exp"].removesuffix("__init__").rstrip(".")
                return f"{ns.PACKAGE}.{mod}" if mod else ns.PACKAGE
    return None


def route_of(stem: str) -> str | None:
    m = re.match(r"^(\d+)_", stem)
    if not m:
        return None if stem == "index" else "More"
    return next((name for name, nums in ROUTES if int(m.group(1)) in nums), "More")


def notebooks(nbs: Path) -> list[Path]:
    "index.ipynb first, then the other notebooks in file-name order (names starting `_` skipped)."
    files = sorted(p for p in nbs.glob("*.ipynb") if not p.name.startswith(("_", ".")))
    return sorted(files, key=lambda p: (p.stem != "index", p.name))


_BRIGHT = re.compile(r"\x1b\[((?:\d+;)*)(9[0-7]|10[0-7])((?:;\d+)*)m")

def _basic(m) -> str:
    "One SGR code with bright colours (90-97, 100-107) as myst-nb's lexer knows them: 90 gray as faint, others basic."
    code = int(m.group(2))
    new = "2" if code == 90 else str(code - 60)
    return f"\x1b[{m.group(1)}{new}{m.group(3)}m"

def bright_to_basic(o) -> None:
    "Rewrite bright ANSI colours in a text output (nanochat's view uses 91/92/90), which myst-nb would drop."
    if o.get("output_type") == "stream":
        t = o.get("text", "")
        o["text"] = _BRIGHT.sub(_basic, t if isinstance(t, str) else "".join(t))
    elif "text/plain" in o.get("data", {}):
        t = o["data"]["text/plain"]
        o["data"]["text/plain"] = _BRIGHT.sub(_basic, t if isinstance(t, str) else "".join(t))


def text_of(o) -> str:
    t = o.get("text", "") if o.get("output_type") == "stream" else o.get("data", {}).get("text/plain", "")
    return t if isinstance(t, str) else "".join(t)


# --- show_doc: nbdev's markdown replaced by the generator's own rendering ---

def rst(directive: str, target: str, *options: str) -> str:
    "An autodoc directive inside MyST (`eval-rst`: autodoc writes reStructuredText)."
    opts = "".join(f"\n   :{o}" if ": " in o else f"\n   :{o}:" for o in options)  # `name` or `name: value`
    return f"```{{eval-rst}}\n.. {directive}:: {target}{opts}\n```"


def autodoc_for(expr: str, markdown: str) -> str | None:
    """An autodoc directive (MyST) for the object `show_doc(expr)` documented, or None.

    The module comes from the output's [source] link (`.../nanotok/bpe.py#L97`), or else from
    the first module of the package that has the name."""
    import inspect
    m = re.search(r"\b(nanotok(?:/\w+)*)\.py", markdown)
    mods = ([m.group(1).replace("/", ".")] if m else []) + list(ns.module_files())
    for mod in dict.fromkeys(mods):
        try:
            owner = ns.resolve(mod)
            head, *rest = expr.split(".")
            obj = getattr(owner, head)
        except Exception:
            continue
        parent = None
        for attr in rest:
            parent, obj = obj, inspect.getattr_static(obj, attr)
        if parent is None:
            if inspect.isclass(obj):
                return rst("autoclass", f"{obj.__module__}.{obj.__qualname__}", "no-index")
            if inspect.isfunction(obj):
                return rst("autofunction", f"{obj.__module__}.{obj.__qualname__}", "no-index")
            return rst("autodata", f"{mod}.{expr}", "no-index", "no-value")
        if not inspect.isclass(parent):
            return None
        target = f"{parent.__module__}.{parent.__qualname__}.{rest[-1]}"
        kind = "autoproperty" if isinstance(obj, property) else (
            "automethod" if callable(getattr(parent, rest[-1], None)) else "autoattribute")
        return rst(kind, target, "no-index")
    return None


def clean_markdown(md: str) -> str:
    "Quarto attributes after links dropped (the text that would otherwise show)."
    return _QUARTO_ATTRS.sub(r"\1", md)


def show_doc_cell(code: str, outputs) -> nbformat.NotebookNode | None:
    "The markdown cell that replaces a `show_doc(x)` cell, or None when it is not one."
    m = _SHOW_DOC.match(code)
    mds = ["".join(o["data"]["text/markdown"]) if isinstance(o["data"]["text/markdown"], list)
           else o["data"]["text/markdown"] for o in outputs if "text/markdown" in o.get("data", {})]
    if not m or not mds:
        return None
    md = mds[0]
    heading = re.search(r"^(#{1,6}) (.+)$", md, re.M)
    directive = autodoc_for(m.group(1), md)
    if directive is None:  # not importable here: nbdev's markdown, without raw attributes
        body = re.sub(r"\[source\]\([^)]*\)\{[^}\n]*\}\s*", "", md)
        return nbformat.v4.new_markdown_cell(clean_markdown(body))
    head = f"{heading.group(1)} {heading.group(2)}\n\n" if heading else ""
    return nbformat.v4.new_markdown_cell(head + directive)


# --- staging ---

def stage_notebook(nb, module: str | None) -> tuple[nbformat.NotebookNode, dict]:
    "A copy of `nb` ready for myst-nb, and the outputs the page must show."
    nb = copy.deepcopy(nb)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    cells, heading = [], ""
    expect = {"html": 0, "png": 0, "ansi": 0, "error": 0, "code_cells": 0, "outputs": 0, "folded": 0}
    for cell in nb.cells:
        cell.metadata.pop("tags", None)
        if cell.cell_type == "markdown":
            cell.source = _NB_LINK.sub(r"](\1", cell.source)
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    heading = line
            cells.append(cell)
            continue
        if cell.cell_type != "code":
            cells.append(cell)
            continue
        d, code = directives(cell.source)
        if "hide" in d or d.get("include", "").lower() == "false":
            continue
        if (sd := show_doc_cell(code, cell.get("outputs", []))) is not None:
            cells.append(sd)
            continue
        tags = []
        cell.source = code
        if d.get("echo", "").lower() == "false":
            tags.append("remove-input")
        if d.get("output", "").lower() == "false":
            cell.outputs = []
        if not code.strip() and not cell.get("outputs"):
            continue  # e.g. `#| default_exp bpe`
        if not code.strip():
            tags.append("remove-input")
        if d.get("code-fold", "").lower() in ("true", "show"):
            tags.append("hide-input")
            solution = "exercise" in heading.lower() or "solution" in heading.lower()
            what = "the solution" if solution else "code"
            cell.metadata["mystnb"] = {"code_prompt_show": f"Show {what}", "code_prompt_hide": f"Hide {what}"}
            expect["folded"] += 1
        if {"export", "exports", "exporti"} & set(d):
            tags.append("nanotok-export")
        if tags:
            cell.metadata["tags"] = tags
        for o in cell.get("outputs", []):
            bright_to_basic(o)
            if "text/markdown" in o.get("data", {}):
                md = o["data"]["text/markdown"]
                o["data"]["text/markdown"] = clean_markdown(md if isinstance(md, str) else "".join(md))
        expect["code_cells"] += 1
        expect["outputs"] += len(cell.get("outputs", []))
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            expect["error"] += o.get("output_type") == "error"
            if "text/html" in data:
                expect["html"] += 1
            elif "image/png" in data:
                expect["png"] += 1
            elif o.get("output_type") == "stream" or "text/markdown" not in data:
                expect["ansi"] += bool(_ANSI.search(text_of(o)))
        cells.append(cell)
    if module:  # the label on exported cells names the module (docs/_static/site.css)
        cells.append(nbformat.v4.new_markdown_cell(
            f'<style>.tag_nanotok-export {{ --nanotok-module: "{module}"; }}</style>'))
    nb.cells = cells
    return nb, expect


def merge_streams(expect: dict, nb) -> None:
    "myst-nb merges consecutive stream outputs of a cell: count ANSI outputs the same way."
    n = 0
    for cell in nb.cells:
        prev = None
        for o in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if o.get("output_type") == "stream":
                key = o.get("name")
                if key == prev:
                    continue
                prev = key
                n += bool(any(_ANSI.search(text_of(x)) for x in cell.outputs
                              if x.get("output_type") == "stream" and x.get("name") == key))
            else:
                prev = None
                data = o.get("data", {})
                n += bool("text/html" not in data and "image/png" not in data
                          and "text/markdown" not in data and _ANSI.search(text_of(o)))
    expect["ansi"] = n


def api_page(titles: dict[str, str]) -> tuple[str, list[str]]:
    "The API reference (MyST): every name of `nanotok.__all__`, grouped by module; its entry ids."
    import importlib
    import inspect
    nanotok = importlib.import_module("nanotok")
    groups: dict[str, list[str]] = {}
    for name in nanotok.__all__:
        where = ns.locate(getattr(nanotok, name), name)
        groups.setdefault(where[0] if where else "nanotok", []).append(name)
    lines = ["# API reference", "",
             "> Every public name of `nanotok`, with its signature, docstring, parameters and a link "
             "to its source.", "",
             "Each name is importable from the package (`from nanotok import RustBPETokenizer`). "
             "The entries are grouped by the module that defines them; each links to the chapter "
             "that explains it, and `[source]` opens the module's code at that line.", ""]
    ids = []
    for mod, names in groups.items():
        chapter = ns.chapter_of(mod)
        title = titles.get(chapter) if chapter else None
        lines += [f"## {title} (`{mod}`)" if title else f"## `{mod}`", ""]
        if chapter and chapter in titles:
            lines += [f"Explained in [{title}]({chapter}.ipynb).", ""]
        for name in names:
            obj = getattr(nanotok, name)
            ids.append(f"nanotok.{name}")
            if inspect.isclass(obj):
                members = [m for m, v in vars(obj).items()
                           if (not m.startswith("_") or m == "__call__")
                           and (callable(getattr(obj, m, None)) or isinstance(v, property))]
                ids += [f"nanotok.{name}.{m}" for m in members]
                lines += [rst("autoclass", f"nanotok.{name}", "members", "undoc-members",
                              "special-members: __call__"), ""]
            elif inspect.isfunction(obj):
                lines += [rst("autofunction", f"nanotok.{name}"), ""]
            else:
                lines += [rst("autodata", f"nanotok.{name}", "no-value"), ""]
    return "\n".join(lines), ids


def toctree(caption: str, docs: list[str]) -> str:
    return "\n".join([f"```{{toctree}}", f":caption: {caption}", ":hidden:", "", *docs, "```"])


class Tee(io.StringIO):
    "Sphinx's warnings: printed as they come (naming the notebooks, not their staged copies), and kept."

    def __init__(self, staged: Path, nbs: Path):
        super().__init__()
        self.staged, self.nbs = f"{staged}/", f"{nbs.name}/"

    def write(self, s):
        s = s.replace(self.staged, self.nbs)
        sys.stderr.write(s)
        return super().write(s)


def build(nbs: Path, out: Path) -> list[dict]:
    from sphinx.application import Sphinx

    files = notebooks(nbs)
    if not files or files[0].stem != "index":
        raise SystemExit(f"no index.ipynb in {nbs}")
    pages, staged, titles = [], {}, {}
    for f in files:
        nb = nbformat.read(f, as_version=4)
        titles[f.stem] = title_of(nb, f.stem)
        snb, expect = stage_notebook(nb, default_exp(nb))
        merge_streams(expect, snb)
        staged[f.stem] = snb
        pages.append({"file": f"{f.stem}.html", "stem": f.stem, "title": titles[f.stem],
                      "section": route_of(f.stem), "source": f"{nbs.name}/{f.name}", "expect": expect})
    api_md, api_ids = api_page(titles)
    pages.append({"file": "api.html", "stem": "api", "title": "API reference", "section": "Reference",
                  "source": "nanotok.__all__", "expect": {"ids": api_ids}})
    sections = [(name, [p["stem"] for p in pages if p["section"] == name]) for name, _ in ROUTES]
    sections += [("More", [p["stem"] for p in pages if p["section"] == "More"]), ("Reference", ["api"])]
    staged["index"].cells.append(nbformat.v4.new_markdown_cell(
        "\n\n".join(toctree(name, docs) for name, docs in sections if docs)))

    with tempfile.TemporaryDirectory(prefix="nanotok-site-") as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        for stem, nb in staged.items():
            nbformat.write(nb, src / f"{stem}.ipynb")
        (src / "api.md").write_text(api_md, encoding="utf-8")
        html = Path(tmp) / "html"  # (myst-nb writes next to Sphinx's output folder: keep it in tmp)
        warnings = Tee(src, nbs)
        app = Sphinx(str(src), str(DOCS), str(html), str(Path(tmp) / "doctrees"), "html",
                     status=None, warning=warnings, freshenv=True, keep_going=True)
        app.build()
        if app.statuscode:
            raise SystemExit(f"sphinx failed (status {app.statuscode}); {out} left as it was")
        for p in pages:  # the title Sphinx gives each page (the H1 as rendered)
            if p["stem"] in app.env.titles:
                p["title"] = app.env.titles[p["stem"]].astext()
        (html / "pages.json").write_text(json.dumps(pages, indent=1, ensure_ascii=False), encoding="utf-8")
        (html / ".nojekyll").write_text("")
        new = out.with_name(out.name + ".new")  # the old site is replaced only by a complete new one
        if new.exists():
            shutil.rmtree(new)
        shutil.copytree(html, new)
    if out.exists():
        shutil.rmtree(out)
    new.rename(out)
    n_warn = warnings.getvalue().count("WARNING")
    missing = re.findall(r"(\S+\.ipynb):\d+: WARNING: (local id not found[^\n]*|[^\n]*target not found[^\n]*)",
                         warnings.getvalue())
    for p in pages:
        print(f"  {p['source']:<26} -> {out.name}/{p['file']:<22} {p['section'] or '':<9} {p['title']}")
    print(f"  {n_warn} Sphinx warning(s)" + (f", {len(missing)} of them links whose target is missing "
                                            "(the link leads nowhere; fix it in the notebook)" if missing else ""))
    return pages


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nbs", type=Path, default=ROOT / "nbs", help="notebook folder (default: nbs)")
    ap.add_argument("--out", type=Path, default=ROOT / "_site", help="output folder, replaced (default: _site)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    print(f"building the site from {args.nbs} into {args.out} (Sphinx + myst-nb, stored outputs)")
    pages = build(args.nbs.resolve(), args.out.resolve())
    print(f"site: {len(pages)} pages in {args.out} ({time.perf_counter() - t0:.1f} s); "
          f"open {args.out / 'index.html'}")


if __name__ == "__main__":
    sys.exit(main())
