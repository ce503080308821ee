#!/usr/bin/env python
"""Open every page of the built site in headless Chromium, as a reader would, and check it.

    python tools/check_site.py [--site _site] [--shots SITE/screenshots] [--timeout 60]

Run `python tools/build_site.py` first. The site is served from a loopback http.server
(127.0.0.1, a free port) and driven with Playwright (the `playwright` package from PyPI)
in the system's Chromium (Debian: `apt-get install chromium`); no browser is downloaded.
Every request to another host is refused and recorded, so a page that needed the network
fails instead of silently degrading.

Every HTML page (those in `pages.json` first, then every other page the build wrote) is
opened at 1280 px and at 400 px (a phone), and a full-page screenshot of each is saved as
`SHOTS/<page>-1280.png` and `SHOTS/<page>-400.png` (pages in subfolders: `/` becomes `__`),
plus `SHOTS/index-400-nav.png` with the phone navigation opened and
`SHOTS/search-render_conversation-1280.png` with the search's results. A page fails when:

- it does not load (HTTP error, no H1), or its H1 is not the notebook's title (`pages.json`);
- its outputs show a Python traceback (an error output, or "Traceback (most recent call
  last)" in an output);
- a rich output went missing: fewer HTML outputs, PNG images or ANSI-coloured text outputs
  than the notebook holds (counts in `pages.json`), or an image does not decode;
- raw attribute text shows in the prose, such as `{target="_blank" ...}` (Quarto/Pandoc
  attribute syntax passed through as text), or a signature shows doubled backslashes;
- at 1280 px an element reaches past the viewport's edge without a scrolling container
  around it, the page itself scrolls sideways, or a code block clips its lines (wider than
  its box, not scrollable); at 400 px the same for the page and its article;
- a boxed element of an HTML output (a token of the token view) breaks across two lines, at
  either width; a plot is shown narrower than it is stored (or than 880 px) at 1280 px;
- a code block (code cell or fenced block, not an output) has no copy button, shows an nbdev
  `#|` directive line, or fewer cells are folded than the notebook marks `#| code-fold: true`;
- (API reference) an entry listed in `pages.json` is missing, or has no [source] link;
- it requests anything from another host, or links to a page or anchor of the site that
  does not exist, or to a placeholder address (`example.com`, the unpublished repository);
- at 400 px the navigation is not collapsed: the title is pushed below the first screen
  (index page: a toggle must open the navigation, showing links to the chapters).

The site as a whole fails when its search (`search.html?q=...`) finds nothing for
"render_conversation". Exits 1 naming each failure, 0 when all pass.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = (1280, 400)
HEIGHT = 900
MAX_SHOT_HEIGHT = 20000  # px; longer pages are cut there in the screenshot (checks see it all)
SEARCH_QUERY = "render_conversation"
PLOT_MIN = 880   # px: a plot at figsize 8 and dpi 110 is shown at least this wide at 1280 px
PLACEHOLDER = re.compile(r"//(?:[^/]*\.)?example\.(?:com|org)\b|//github\.com/nanotok/|//nanotok\.github\.io")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-extensions", "--disable-dev-shm-usage", "--mute-audio", "--hide-scrollbars",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]

# Runs in the page; returns what the checks need. `narrow` limits the overflow check to the
# article (at phone width the navigation drawer lives off-canvas on purpose).
PROBE = r"""
([narrow, PLOT_MIN]) => {
  const OUT = '.cell_output, .jp-OutputArea, .output_area';
  const inOut = el => !!el.closest(OUT);
  const visible = el => {
    if (!el.getClientRects().length) return false;
    for (let a = el; a && a !== document.documentElement; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.visibility === 'hidden' || s.display === 'none' || s.opacity === '0') return false;
      if (s.clipPath && s.clipPath.startsWith('inset(50%')) return false;
      if (s.clip && s.clip.startsWith('rect(0') ) return false;
    }
    return true;
  };
  const desc = el => {
    let d = el.tagName.toLowerCase();
    if (el.id) d += '#' + el.id;
    if (typeof el.className === 'string' && el.className.trim())
      d += '.' + el.className.trim().split(/\s+/).slice(0, 3).join('.');
    const t = (el.innerText || el.textContent || '').trim().replace(/\s+/g, ' ');
    return d + (t ? ` "${t.slice(0, 60)}"` : '');
  };
  const r = {};
  // title: the first H1 outside the outputs, without its permalink
  const h1 = [...document.querySelectorAll('h1')].find(h => !inOut(h) && visible(h));
  if (h1) {
    const c = h1.cloneNode(true);
    c.querySelectorAll('a.headerlink, a.anchor-link').forEach(a => a.remove());
    r.h1 = c.textContent.replace(/[\u00b6#]/g, '').replace(/\s+/g, ' ').trim();
    r.h1_top = h1.getBoundingClientRect().top + window.scrollY;
  }
  // rich outputs
  const outs = [...document.querySelectorAll(OUT)];
  r.html = document.querySelectorAll(
    '.cell_output .output.text_html, .jp-OutputArea-output[data-mime-type="text/html"]').length;
  r.png = outs.reduce((n, o) => n + [...o.querySelectorAll('img')].filter(
    i => /^data:image\/png|\.png($|\?)/.test(i.getAttribute('src') || '')).length, 0);
  let ansi = 0;
  outs.forEach(o => o.querySelectorAll('pre').forEach(p => {
    if (p.querySelector('span[class*="-Color"], span[class*="ansi-"], span[style*="color"]')) ansi++;
  }));
  r.ansi = ansi;
  // plots scaled below their stored size (or below 880 px, figsize 8 at dpi 110, when larger)
  r.shrunk = outs.flatMap(o => [...o.querySelectorAll('img')]).filter(i => i.naturalWidth > 0
      && i.getBoundingClientRect().width + 1 < Math.min(i.naturalWidth, PLOT_MIN))
      .map(i => `${i.naturalWidth} px image shown at ${Math.round(i.getBoundingClientRect().width)} px`);
  r.errors = document.querySelectorAll(
    '.cell_output .output.traceback, .cell_output .output.error, [data-output-type="error"]').length;
  const outText = outs.map(o => o.innerText).join('\n');
  const tb = outText.indexOf('Traceback (most recent call last)');
  r.traceback = tb < 0 ? null : outText.slice(Math.max(0, tb - 80), tb + 300).replace(/\s+/g, ' ');
  const imgs = [...document.images];
  r.broken_images = imgs.filter(i => i.getAttribute('loading') !== 'lazy' && !(i.complete && i.naturalWidth > 0))
                        .map(i => (i.getAttribute('src') || '').slice(0, 80));
  // boxes in HTML outputs (e.g. the token view's tokens) broken across two lines
  r.split_boxes = outs.flatMap(o => [...o.querySelectorAll('.output.text_html *, [data-mime-type="text/html"] *')])
    .filter(e => {
      const s = getComputedStyle(e);
      return s.display === 'inline' && parseFloat(s.borderTopWidth) > 0 && s.borderTopStyle !== 'none'
             && e.getClientRects().length > 1;
    }).map(e => JSON.stringify(e.textContent.slice(0, 30)));
  // raw attribute text in the prose (not in code)
  const raw = [];
  const RAW = /\{\s*(?:target|style|width|height|fig-[a-z-]+)\s*=|\{\s*\.[A-Za-z][\w-]*\s*[\s}]/;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const p = n.parentElement;
    if (!p || p.closest('pre, code, script, style, textarea, kbd, samp')) continue;
    if (RAW.test(n.nodeValue) && visible(p)) raw.push(n.nodeValue.trim().slice(0, 90));
  }
  r.raw_attrs = raw;
  // signatures with doubled backslashes (autodoc's dt.sig, or a show_doc `def ...` block)
  const sigs = [...document.querySelectorAll('dt.sig, .sig')].map(e => e.innerText);
  outs.forEach(o => o.querySelectorAll('pre').forEach(p => {
    if (/^\s*(async\s+)?(def|class)\s/.test(p.innerText)) sigs.push(p.innerText);
  }));
  r.doubled_backslashes = sigs.filter(s => s.includes('\\\\')).map(s => s.replace(/\s+/g, ' ').slice(0, 100));
  // overflow: anything past the viewport's edges that no scrolling container holds
  const vw = document.documentElement.clientWidth;
  r.viewport = vw;
  r.page_scroll_width = document.documentElement.scrollWidth;
  const scrollsX = el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const root = narrow ? (document.querySelector('main article, article, main, #site-main') || document.body)
                      : document.body;
  const offenders = [];
  const seen = new Set();
  for (const el of root.querySelectorAll('*')) {
    const b = el.getBoundingClientRect();
    if (b.width < 1 || b.height < 1 || (b.right <= vw + 1 && b.left >= -1)) continue;
    if (getComputedStyle(el).position === 'fixed' && (b.right <= 0 || b.left >= vw)) continue; // off-canvas drawer
    let a = el.parentElement, held = false;
    for (; a && a !== document.body && a !== document.documentElement; a = a.parentElement) {
      if (seen.has(a)) { held = true; break; }        // report the outermost offender only
      if (scrollsX(a)) { held = true; break; }
      const s = getComputedStyle(a);
      if (s.position === 'fixed' || s.position === 'sticky') {
        const ab = a.getBoundingClientRect();
        if (ab.right <= 0 || ab.left >= vw) { held = true; break; }
      }
    }
    if (held || !visible(el)) continue;
    seen.add(el);
    offenders.push(`${desc(el)} spans ${Math.round(b.left)}..${Math.round(b.right)} px`);
  }
  r.overflow = offenders.slice(0, 8);
  r.overflow_count = offenders.length;
  // code blocks: clipped lines, copy buttons
  const codes = [...document.querySelectorAll('pre')].filter(p => !inOut(p) && visible(p)
      && !p.closest('.sig, dt, .linenodiv, table.highlighttable td.linenos, .source-page'));
  r.code_blocks = codes.length;
  r.clipped = codes.filter(p => p.scrollWidth > p.clientWidth + 1 && !scrollsX(p)
                                && !(p.parentElement && scrollsX(p.parentElement)))
                   .map(p => desc(p)).slice(0, 5);
  const hasCopy = p => {
    const box = p.closest('.highlight, .jp-InputArea, .cell_input, div') || p.parentElement;
    return !!(box && box.querySelector('button.copybtn, button[class*="copy" i], button[aria-label*="copy" i], button[title*="copy" i]'));
  };
  r.no_copy = codes.filter(p => !hasCopy(p)).map(p => desc(p)).slice(0, 5);
  r.no_copy_count = codes.filter(p => !hasCopy(p)).length;
  // links and anchors, for the site-wide link check
  r.links = [...document.querySelectorAll('a[href]')].map(a => a.href);
  r.ids = [...document.querySelectorAll('[id]')].map(e => e.id)
          .concat([...document.querySelectorAll('a[name]')].map(a => a.getAttribute('name')));
  // folded solutions (closed <details> holding code), nbdev directive lines shown as code
  r.folded = [...document.querySelectorAll('details')].filter(d => !d.open && d.querySelector('pre')).length;
  r.directive_lines = [...document.querySelectorAll('pre')].filter(p => !inOut(p)).map(p => p.textContent).filter(t => /^\s*#\s*\|/m.test(t))
                           .map(t => t.trim().split('\n')[0].slice(0, 60));
  r.no_source_link = [...document.querySelectorAll('dl.py > dt.sig[id]')]
      .filter(dt => !dt.querySelector('.viewcode-link, a[href*="source/"]')).map(dt => dt.id);
  r.search_entry = !!document.querySelector(
    'input[type="search"], form[role="search"], [role="search"], button[aria-label*="search" i], .search-button');
  return r;
}
"""

# At phone width: links to the site's pages that a reader can see in the first screen.
NAV_LINKS_VISIBLE = r"""
() => [...document.querySelectorAll('a[href]')].filter(a => {
  const b = a.getBoundingClientRect();
  if (b.width < 1 || b.height < 1 || b.bottom < 0 || b.top > innerHeight || b.right < 0 || b.left > innerWidth) return false;
  const s = getComputedStyle(a);
  if (s.visibility === 'hidden') return false;
  const e = document.elementFromPoint(Math.min(innerWidth - 1, Math.max(0, b.left + b.width / 2)),
                                      Math.min(innerHeight - 1, Math.max(0, b.top + b.height / 2)));
  return !!e && (e === a || a.contains(e));
}).map(a => a.getAttribute('href'))
"""


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k == "id" or (tag == "a" and k == "name"):
                self.ids.add(v or "")


@functools.lru_cache(maxsize=None)
def static_ids(path: Path) -> frozenset:
    "Element ids in a page's HTML as written (for anchors into pages the browser did not open)."
    p = _Ids()
    p.feed(path.read_text(encoding="utf-8", errors="replace"))
    return frozenset(p.ids)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(site: Path):
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def find_chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if path := shutil.which(name):
            return path
    raise SystemExit("check_site: no Chromium found; install it with "
                     "`apt-get update && apt-get install -y chromium`")


def font_warnings() -> list[str]:
    "Fonts the screenshots need to show what readers see (CJK text, emoji), when fontconfig can tell."
    if not shutil.which("fc-list"):
        return []
    out = []
    for what, char, pkg in (("CJK", "4f60", "fonts-wqy-microhei"), ("emoji", "1f917", "fonts-noto-color-emoji")):
        r = subprocess.run(["fc-list", f":charset={char}", "family"], capture_output=True, text=True)
        if r.returncode == 0 and not r.stdout.strip():
            out.append(f"warn: no {what} font: screenshots show empty boxes for it "
                       f"(Debian: apt-get install {pkg})")
    return out


def site_pages(site: Path) -> list[dict]:
    "The pages of pages.json, then every other HTML page the build wrote (without expectations)."
    manifest = site / "pages.json"
    if not manifest.is_file():
        raise SystemExit(f"check_site: {manifest} missing; run `python tools/build_site.py` first")
    pages = json.loads(manifest.read_text(encoding="utf-8"))
    known = {p["file"] for p in pages}
    for f in sorted(site.rglob("*.html")):
        rel = f.relative_to(site).as_posix()
        if rel in known or rel.split("/")[0] in ("_static", "_sources", "screenshots", "_images"):
            continue
        pages.append({"file": rel, "stem": rel[:-5], "title": None, "expect": {}})
    return pages


def shot_name(page: dict, width: int, extra: str = "") -> str:
    return f"{page['stem'].replace('/', '__')}-{width}{extra}.png"


def check_view(page: dict, width: int, r: dict) -> list[str]:
    "Problems one page shows at one width, from the probe's result `r`."
    exp, problems = page.get("expect", {}), []
    if not r.get("h1") and page.get("expect"):  # (pages outside pages.json: search, index)
        problems.append("no H1: the page did not render its title")
    elif page.get("title") and r["h1"] != page["title"]:
        problems.append(f"H1 is {r['h1']!r}, expected the notebook's title {page['title']!r}")
    if width == WIDTHS[0]:  # content checks once, at the desktop width; layout at every width
        if r["errors"]:
            problems.append(f"{r['errors']} error output(s) (a cell raised when the notebook was run)")
        if r["traceback"]:
            problems.append(f"a Python traceback in the outputs: ...{r['traceback']}...")
        for kind in ("html", "png", "ansi"):
            if r[kind] < exp.get(kind, 0):
                problems.append(f"{exp[kind]} {kind} output(s) in the notebook, {r[kind]} rendered")
        if r["broken_images"]:
            problems.append(f"{len(r['broken_images'])} image(s) did not decode: {r['broken_images'][:3]}")
        if r["shrunk"]:
            problems.append(f"{len(r['shrunk'])} plot(s) scaled down: {r['shrunk'][:3]}")
        if r["raw_attrs"]:
            problems.append(f"raw attribute text in {len(r['raw_attrs'])} place(s): {r['raw_attrs'][:3]}")
        if r["doubled_backslashes"]:
            problems.append(f"doubled backslashes in {len(r['doubled_backslashes'])} signature(s): "
                            f"{r['doubled_backslashes'][:2]}")
        if r["no_copy_count"]:
            problems.append(f"{r['no_copy_count']} of {r['code_blocks']} code block(s) without a copy "
                            f"button, e.g. {r['no_copy'][:2]}")
        if r["folded"] < exp.get("folded", 0):
            problems.append(f"{exp['folded']} folded cell(s) (`#| code-fold: true`) in the notebook, "
                            f"{r['folded']} shown folded")
        if r["directive_lines"]:
            problems.append(f"nbdev directive lines shown as code: {r['directive_lines'][:3]}")
        if missing := sorted(set(exp.get("ids", [])) - set(r["ids"])):
            problems.append(f"{len(missing)} entr(y/ies) missing: {missing[:6]}")
        if exp.get("ids") and r["no_source_link"]:
            problems.append(f"{len(r['no_source_link'])} API entr(y/ies) without a [source] link: "
                            f"{r['no_source_link'][:4]}")
        if not r["search_entry"]:
            problems.append("no search box or button")
    if r["split_boxes"]:
        problems.append(f"at {width} px {len(r['split_boxes'])} boxed output element(s) broken across "
                        f"lines (a token box must stay whole): {r['split_boxes'][:4]}")
    where = "the article" if width < WIDTHS[0] else "the viewport"
    if r["page_scroll_width"] > r["viewport"] + 1:
        problems.append(f"at {width} px the page scrolls sideways ({r['page_scroll_width']} px wide, "
                        f"viewport {r['viewport']} px)")
    if r["overflow_count"]:
        problems.append(f"at {width} px {r['overflow_count']} element(s) of {where} reach past the "
                        f"viewport with no scrolling container: " + "; ".join(r["overflow"][:4]))
    if r["clipped"]:
        problems.append(f"at {width} px code clipped instead of scrolling: {r['clipped'][:3]}")
    if width < WIDTHS[0] and r.get("h1_top") is not None and r["h1_top"] > HEIGHT / 2:
        problems.append(f"at {width} px the title starts {r['h1_top']:.0f} px down the page "
                        "(navigation not collapsed)")
    return problems


def check_links(page: dict, links: list[str], base: str, site: Path, ids_of: dict) -> list[str]:
    "Links to missing pages or anchors of the site, and links to placeholder addresses."
    problems, missing, anchors = [], set(), set()
    page_url = f"{base}/{page['file']}"
    for href in links:
        if PLACEHOLDER.search(href):
            problems.append(f"link to a placeholder address: {href}")
            continue
        u = urlparse(href)
        if u.scheme not in ("http", "https") or u.netloc != urlparse(base).netloc:
            continue
        path = unquote(u.path)[1:] or "index.html"
        if path.endswith("/"):
            path += "index.html"
        target = site / path
        if not target.is_file():
            missing.add(path)
            continue
        if u.fragment and target.suffix == ".html":
            ids = ids_of.get(path) or static_ids(target)
            if unquote(u.fragment) not in ids:
                anchors.add(f"{path}#{unquote(u.fragment)}" if urljoin(page_url, "#") != f"{base}/{path}#"
                            else f"#{unquote(u.fragment)}")
    if missing:
        problems.append(f"links to {len(missing)} missing page(s) of the site: {sorted(missing)[:4]}")
    if anchors:
        problems.append(f"links to {len(anchors)} missing anchor(s): {sorted(anchors)[:4]}")
    return sorted(set(problems))


def check_search(browser, base: str, site: Path, shots: Path, timeout: float) -> list[str]:
    "The site's search must find SEARCH_QUERY."
    if not (site / "search.html").is_file():
        return ["no search page (search.html): the site has no search"]
    ctx = browser.new_context(viewport={"width": WIDTHS[0], "height": HEIGHT})
    try:
        pg = ctx.new_page()
        pg.goto(f"{base}/search.html?q={SEARCH_QUERY}", timeout=timeout * 1000)
        try:
            pg.wait_for_function("() => /finished|found|did not match|no (matching|results)/i.test("
                                 "(document.querySelector('.search-summary') || {}).innerText || '')",
                                 timeout=timeout * 1000)
        except Exception:
            pass
        hits = pg.evaluate("() => [...document.querySelectorAll('#search-results li a, .search li a')]"
                           ".map(a => a.getAttribute('href'))")
        pg.screenshot(path=str(shots / f"search-{SEARCH_QUERY}-{WIDTHS[0]}.png"))
    finally:
        ctx.close()
    if not hits:
        return [f"the search finds nothing for {SEARCH_QUERY!r}"]
    print(f"  search {SEARCH_QUERY!r}: {len(hits)} result(s), first {hits[:3]}")
    return []


def check_phone_nav(browser, base: str, page: dict, shots: Path, timeout: float, external: list,
                    n_chapters: int) -> list[str]:
    "At phone width the navigation is collapsed and a toggle opens it, showing the chapters."
    ctx = browser.new_context(viewport={"width": WIDTHS[-1], "height": HEIGHT})
    ctx.route("**/*", lambda route: _route(route, base, external))
    try:
        pg = ctx.new_page()
        pg.goto(f"{base}/{page['file']}", timeout=timeout * 1000, wait_until="load")
        pg.wait_for_timeout(300)
        pages_seen = lambda hrefs: {h.split("#")[0] for h in hrefs if h and re.match(r"^(\./)?\d\d_[^/]*\.html", h)}
        before = pages_seen(pg.evaluate(NAV_LINKS_VISIBLE))
        toggles = pg.locator("button[aria-label*='navigation' i], button[aria-label*='menu' i], "
                             "button[aria-label*='sidebar' i], label.sidebar-toggle, .primary-toggle, label[for*='navigation' i], "
                             "button[title*='navigation' i]")
        toggle = next((toggles.nth(i) for i in range(toggles.count()) if toggles.nth(i).is_visible()), None)
        if toggle is None:
            return ["at 400 px there is no visible button that opens the navigation"]
        toggle.click()
        pg.wait_for_timeout(600)
        after = pages_seen(pg.evaluate(NAV_LINKS_VISIBLE))
        pg.screenshot(path=str(shots / shot_name(page, WIDTHS[-1], "-nav")))
    finally:
        ctx.close()
    print(f"  screenshot {shots / shot_name(page, WIDTHS[-1], '-nav')} (navigation opened: "
          f"{len(after)} chapter links in view, {len(before)} before)")
    if len(before) > 3:
        return [f"at 400 px {len(before)} chapter links fill the first screen before the navigation is opened"]
    want = min(n_chapters, 5)
    if len(after) < want:
        return [f"at 400 px the opened navigation shows {len(after)} chapter link(s), fewer than {want}"]
    return []


def _route(route, base: str, external: list):
    url = route.request.url
    u = urlparse(url)
    if u.scheme in ("data", "blob", "about") or (u.scheme in ("http", "https") and u.netloc == urlparse(base).netloc):
        return route.continue_()
    external.append(url)
    return route.abort()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--site", type=Path, default=ROOT / "_site", help="built site (default: _site)")
    ap.add_argument("--shots", type=Path, default=None, help="where screenshots go (default: SITE/screenshots)")
    ap.add_argument("--timeout", type=float, default=60, help="seconds per page load (default 60)")
    args = ap.parse_args(argv)
    site = args.site.resolve()
    shots = (args.shots or site / "screenshots").resolve()
    pages = site_pages(site)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise SystemExit("check_site: needs the `playwright` package (pip install playwright; "
                         "its browser download is not needed: the system's Chromium is used)")
    executable = find_chromium()
    for w in font_warnings():
        print(w)
    if shots.exists():
        shutil.rmtree(shots)
    shots.mkdir(parents=True)
    httpd, base = serve(site)
    failed: dict[str, list[str]] = {}
    t_all = time.perf_counter()
    links_of, ids_of = {}, {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            print(f"checking {len(pages)} pages in {site} with Chromium {browser.version} "
                  f"at {' and '.join(map(str, WIDTHS))} px")
            for page in pages:
                t0, problems, external = time.perf_counter(), [], []
                for width in WIDTHS:
                    ctx = browser.new_context(viewport={"width": width, "height": HEIGHT})
                    ctx.route("**/*", lambda route: _route(route, base, external))
                    try:
                        pg = ctx.new_page()
                        resp = pg.goto(f"{base}/{page['file']}", timeout=args.timeout * 1000, wait_until="load")
                        if resp is None or resp.status != 200:
                            problems.append(f"did not load: HTTP {resp.status if resp else 'no response'}")
                            break
                        pg.evaluate("() => document.fonts.ready")
                        pg.wait_for_timeout(250)  # let the theme's and copy buttons' scripts run
                        r = pg.evaluate(PROBE, [width < WIDTHS[0], PLOT_MIN])
                        if page.get("title") is None:
                            page["title"] = r.get("h1") or ""
                        problems += [p_ for p_ in check_view(page, width, r) if p_ not in problems]
                        if width == WIDTHS[0]:
                            links_of[page["file"]], ids_of[page["file"]] = r["links"], set(r["ids"])
                        png = shots / shot_name(page, width)
                        full = pg.evaluate("() => document.documentElement.scrollHeight")
                        pg.screenshot(path=str(png), full_page=True,
                                      clip=None if full <= MAX_SHOT_HEIGHT else
                                      {"x": 0, "y": 0, "width": width, "height": MAX_SHOT_HEIGHT})
                    except Exception as e:  # a page that hangs or crashes the renderer
                        problems.append(f"at {width} px: {type(e).__name__}: {str(e).splitlines()[0][:300]}")
                    finally:
                        ctx.close()
                if page["stem"] == "index":
                    n_chapters = sum(bool(re.match(r"\d\d_", p_["stem"])) for p_ in pages)
                    problems += check_phone_nav(browser, base, page, shots, args.timeout, external, n_chapters)
                if external:
                    problems.append(f"{len(set(external))} request(s) to another host: {sorted(set(external))[:4]}")
                exp = page.get("expect", {})
                if exp.get("code_cells", 0) >= 3 and not exp.get("outputs"):
                    print(f"  warn {page['file']}: {exp['code_cells']} code cells and no outputs "
                          "(was the notebook saved without running it?)")
                page["_problems"] = problems
                page["_took"] = time.perf_counter() - t0
            search_problems = check_search(browser, base, site, shots, args.timeout)
            browser.close()
    finally:
        httpd.shutdown()
    for page in pages:
        problems = page.pop("_problems") + check_links(page, links_of.get(page["file"], []), base, site, ids_of)
        status = "ok" if not problems else "FAIL"
        print(f"  {status:<4} {page['file']:<30} {page.pop('_took'):5.1f} s  {page['title']}")
        for p_ in problems:
            print(f"       {page['file']}: {p_}")
        if problems:
            failed[page["file"]] = problems
    for p_ in search_problems:
        print(f"  FAIL search: {p_}")
        failed["search"] = search_problems
    took = time.perf_counter() - t_all
    n_shots = len(list(shots.glob("*.png")))
    print(f"screenshots: {n_shots} files in {shots} (<page>-1280.png, <page>-400.png, index-400-nav.png, "
          f"search-{SEARCH_QUERY}-{WIDTHS[0]}.png)")
    if failed:
        print(f"site check: {len(failed)} of {len(pages) + 1} checks FAILED ({took:.1f} s): " + ", ".join(failed))
        return 1
    print(f"site check: {len(pages)} pages and the search passed ({took:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
