#!/usr/bin/env python
"""Render the executed notebooks in `nbs/` to a static, offline tutorial website.

    python tools/build_site.py [--nbs nbs] [--out _site]

The notebooks are stored with their outputs, so nothing is executed: each notebook is
converted with nbconvert's `lab` HTML template (its CSS inlined, images embedded as data
URIs, ANSI colours in text outputs turned into coloured spans) wrapped in a small page
template that adds a navigation sidebar (index first, then the chapters in file-name
order, titled by each notebook's H1; the current page also lists its H2 sections) and
previous/next links. Every script and stylesheet that nbconvert would fetch from a CDN
(require.js, MathJax, mermaid, widgets) is left out, so the pages work offline.

nbdev directives are honoured the way nbdev's own docs do: `#| hide` and
`#| include: false` cells are left out, `#| echo: false` hides a cell's code,
`#| output: false` its outputs; the directive lines themselves are not shown, and a
code cell left with neither code nor outputs (e.g. `#| default_exp`) is dropped.
Notebooks whose name starts with `_` are skipped, as nbdev does.

Besides the pages, the build writes `pages.json`: for every page its file, title and
how many rich outputs (HTML, PNG, ANSI-coloured text) it should show; the browser
check (`tools/check_site.py`) compares those counts with what Chromium rendered.
"""
from __future__ import annotations

import argparse
import copy
import html
import json
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat
from jinja2 import DictLoader
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent
SITE_TITLE = "nanotok"

# Our page template: nbconvert's lab template, minus everything fetched at view time.
TEMPLATE = r"""
{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}
<link rel="icon" href="data:,">
<meta name="generator" content="nanotok tools/build_site.py (nbconvert lab template)">
<style type="text/css">{{ resources.site_css }}</style>
{%- endblock extra_css -%}
{%- block body_header -%}
<body class="jp-Notebook" data-jp-theme-light="true" data-jp-theme-name="JupyterLab Light">
<!--SITE-NAV-->
<main id="site-main" data-page="{{ resources.site_page }}">
{%- endblock body_header -%}
{%- block error -%}
<div class="site-error-output" data-output-type="error">{{ super() }}</div>
{%- endblock error -%}
{%- block body_footer -%}
<!--SITE-PAGER-->
</main>
<script>{{ resources.site_js }}</script>
</body>
{%- endblock body_footer -%}
"""

SITE_CSS = """
:root { --site-nav-width: 270px; }
body.jp-Notebook { padding: 0; margin: 0; }
.site-nav { position: fixed; top: 0; left: 0; bottom: 0; width: var(--site-nav-width);
  box-sizing: border-box; overflow-y: auto; padding: 1.2rem 1rem 2rem;
  background: #f6f7f9; border-right: 1px solid #dde1e6;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.site-nav .site-brand { display: block; font-size: 1.35rem; font-weight: 700; color: #1f2328;
  text-decoration: none; margin-bottom: .2rem; }
.site-nav .site-tagline { color: #57606a; font-size: 12px; margin-bottom: 1rem; }
.site-nav ol { list-style: none; margin: 0; padding: 0; }
.site-nav li { margin: .1rem 0; }
.site-nav a { color: #0b5cad; text-decoration: none; display: block; padding: .2rem .45rem;
  border-radius: 4px; }
.site-nav a:hover { background: #e7ebf0; }
.site-nav li.current > a { background: #dbe7f6; color: #0a3d73; font-weight: 600; }
.site-nav .site-num { color: #6e7781; font-variant-numeric: tabular-nums; margin-right: .35rem; }
.site-nav ol.site-toc { margin: .15rem 0 .4rem .9rem; border-left: 2px solid #dbe7f6; }
.site-nav ol.site-toc a { font-size: 13px; color: #444c56; padding: .1rem .5rem; }
main#site-main { margin-left: var(--site-nav-width); max-width: 1100px; box-sizing: border-box;
  padding: 1.5rem 2.5rem 3rem; }
.jp-OutputArea-output, .jp-InputArea-editor { overflow-x: auto !important; }
.site-pager { display: flex; justify-content: space-between; gap: 1rem; margin-top: 3rem;
  padding-top: 1rem; border-top: 1px solid #dde1e6;
  font: 14px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.site-pager a { color: #0b5cad; text-decoration: none; }
.site-pager .site-next { margin-left: auto; text-align: right; }
.jp-RenderedMarkdown pre { background: #f6f8fa; border: 1px solid #e1e4e8; border-radius: 4px;
  padding: .6em .8em; overflow-x: auto; }
.site-error-output { outline: 3px solid #d1242f; }
@media (max-width: 900px) {
  .site-nav { position: static; width: auto; border-right: none; border-bottom: 1px solid #dde1e6; }
  main#site-main { margin-left: 0; padding: 1rem; }
}
"""

# Records, once the page has loaded, facts the browser check reads back from the DOM.
SITE_JS = """
window.addEventListener('load', function () {
  var imgs = Array.prototype.slice.call(document.images);
  var broken = imgs.filter(function (i) { return !(i.complete && i.naturalWidth > 0); });
  var b = document.body;
  b.setAttribute('data-site-images', imgs.length);
  b.setAttribute('data-site-broken-images', broken.length);
  b.setAttribute('data-site-height', Math.ceil(document.documentElement.scrollHeight));
  b.setAttribute('data-site-loaded', '1');
});
"""

_DIRECTIVE = re.compile(r"^\s*#\s*\|\s*(.*?)\s*$")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def directives(source: str) -> tuple[dict[str, str], str]:
    "Split a code cell into its leading nbdev/quarto `#|` directives and the remaining code."
    lines, found = source.splitlines(), {}
    i = 0
    while i < len(lines) and (_DIRECTIVE.match(lines[i]) or not lines[i].strip()):
        m = _DIRECTIVE.match(lines[i])
        if m and m.group(1):
            key, _, val = m.group(1).partition(":")
            if not val.strip():  # `#| export foo` style: first word is the key
                key, _, val = m.group(1).partition(" ")
            found[key.strip().lower()] = val.strip().lower()
        i += 1
    return found, "\n".join(lines[i:])


def title_of(nb, fallback: str) -> str:
    "The notebook's first H1 (`# Title`), else `fallback`."
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if re.match(r"^#\s+\S", line):
                return line[1:].strip()
    return fallback


def prepare(nb):
    "A copy of `nb` with nbdev directives applied (hidden cells dropped, directive lines removed)."
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            d, code = directives(cell.source)
            if "hide" in d or d.get("include") == "false":
                continue
            cell.source = "" if d.get("echo") == "false" else code
            if d.get("output") == "false":
                cell.outputs = []
            if not cell.source.strip() and not cell.get("outputs"):
                continue
            if not cell.source.strip():  # outputs only: don't show an empty input box
                cell.metadata.setdefault("transient", {})["remove_source"] = True
        cells.append(cell)
    nb.cells = cells
    return nb


def count_outputs(nb) -> dict[str, int]:
    "How many rich outputs of each kind the rendered page should show."
    n = {"html": 0, "png": 0, "ansi": 0, "error": 0, "code_cells": 0, "outputs": 0}
    for cell in nb.cells:
        n["code_cells"] += cell.cell_type == "code"
        n["outputs"] += len(cell.get("outputs", []))
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            if o.output_type == "error":
                n["error"] += 1
            if "text/html" in data:
                n["html"] += 1
            elif "image/png" in data:
                n["png"] += 1
            text = o.get("text", "") if o.output_type == "stream" else data.get("text/plain", "")
            if o.output_type == "stream" or ("text/html" not in data and "image/png" not in data
                                             and "text/markdown" not in data):
                if _ANSI.search(text if isinstance(text, str) else "".join(text)):
                    n["ansi"] += 1
    return n


def notebooks(nbs: Path) -> list[Path]:
    "index.ipynb first, then the other notebooks in file-name order (names starting `_` skipped)."
    files = sorted(p for p in nbs.glob("*.ipynb") if not p.name.startswith(("_", ".")))
    return sorted(files, key=lambda p: (p.stem != "index", p.name))


def nav_html(pages, current: str, toc) -> str:
    items = []
    for p in pages:
        num = re.match(r"^(\d+)_", p["stem"])
        label = (f'<span class="site-num">{num.group(1)}</span>' if num else "") + html.escape(p["title"])
        cur = p["stem"] == current
        aria = ' aria-current="page"' if cur else ""
        sub = ""
        if cur and toc:
            sub = '<ol class="site-toc">' + "".join(
                f'<li><a href="#{html.escape(a, quote=True)}">{t}</a></li>' for a, t in toc) + "</ol>"
        items.append(f'<li class="{"current" if cur else ""}"><a href="{p["file"]}"'
                     f'{aria}>{label}</a>{sub}</li>')
    return (f'<nav class="site-nav" aria-label="Contents"><a class="site-brand" href="index.html">'
            f'{SITE_TITLE}</a><div class="site-tagline">the tutorial, as executed notebooks</div>'
            f'<ol class="site-pages">{"".join(items)}</ol></nav>')


def pager_html(pages, i: int) -> str:
    prev = (f'<a class="site-prev" href="{pages[i-1]["file"]}">&larr; {html.escape(pages[i-1]["title"])}</a>'
            if i > 0 else "")
    nxt = (f'<a class="site-next" href="{pages[i+1]["file"]}">{html.escape(pages[i+1]["title"])} &rarr;</a>'
           if i + 1 < len(pages) else "")
    return f'<nav class="site-pager" aria-label="Previous and next">{prev}{nxt}</nav>'


def h2s(body: str) -> list[tuple[str, str]]:
    "(anchor, inner HTML) of each H2 nbconvert rendered (it gives headings ids and a ¶ link)."
    out = []
    for m in re.finditer(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', body, re.S):
        inner = re.sub(r'<a class="anchor-link".*?</a>', "", m.group(2), flags=re.S).strip()
        out.append((html.unescape(m.group(1)), inner))
    return out


def build(nbs: Path, out: Path) -> list[dict]:
    files = notebooks(nbs)
    if not files:
        raise SystemExit(f"no notebooks in {nbs}")
    exporter = HTMLExporter(template_name="lab", theme="light", embed_images=True,
                            exclude_input_prompt=True, exclude_output_prompt=True,
                            extra_loaders=[DictLoader({"nanotok_site.html.j2": TEMPLATE})],
                            template_file="nanotok_site.html.j2")
    loaded = []
    for f in files:
        nb = nbformat.read(f, as_version=4)
        title = title_of(nb, f.stem)
        nb = prepare(nb)
        nb.metadata["title"] = title
        loaded.append((f, nb))
    pages = [{"file": f"{f.stem}.html", "stem": f.stem, "title": nb.metadata["title"],
              "source": str(f.relative_to(nbs.parent) if f.is_relative_to(nbs.parent) else f),
              "expect": count_outputs(nb)} for f, nb in loaded]
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for i, (f, nb) in enumerate(loaded):
        t0 = time.perf_counter()
        body, _ = exporter.from_notebook_node(nb, resources={
            "metadata": {"name": pages[i]["title"], "path": str(f.parent)},
            "site_page": f.stem, "site_css": SITE_CSS, "site_js": SITE_JS})
        # links between notebooks (`[x](02_bpe.ipynb#sec)`, or `nbs/02_bpe.ipynb` as the README
        # writes them from the repo root) point at the pages instead
        body = re.sub(r'href="(?![a-z][a-z0-9+.-]*:|/|#)(?:nbs/)?([^"#?]+)\.ipynb([#?][^"]*)?"',
                      lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', body)
        body = body.replace("<!--SITE-NAV-->", nav_html(pages, f.stem, h2s(body)), 1)
        body = body.replace("<!--SITE-PAGER-->", pager_html(pages, i), 1)
        (out / pages[i]["file"]).write_text(body, encoding="utf-8")
        print(f"  {pages[i]['source']:<26} -> {out.name}/{pages[i]['file']:<20} "
              f"{len(body) // 1024:>5} KiB  {time.perf_counter() - t0:.1f} s  {pages[i]['title']}")
    (out / "pages.json").write_text(json.dumps(pages, indent=1), encoding="utf-8")
    (out / ".nojekyll").write_text("")
    return pages


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nbs", type=Path, default=ROOT / "nbs", help="notebook folder (default: nbs)")
    ap.add_argument("--out", type=Path, default=ROOT / "_site", help="output folder, replaced (default: _site)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    print(f"building the site from {args.nbs} into {args.out}")
    pages = build(args.nbs.resolve(), args.out.resolve())
    print(f"site: {len(pages)} pages in {args.out} ({time.perf_counter() - t0:.1f} s); "
          f"open {args.out / 'index.html'}")


if __name__ == "__main__":
    sys.exit(main())
