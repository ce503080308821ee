# Sphinx configuration of the nanotok website. Build it with `python tools/build_site.py`,
# which stages the notebooks (nbdev directives applied) and runs Sphinx with this file.
# The notebooks are rendered from their stored outputs by myst-nb; nothing is executed.
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from nanotok_sphinx import linkcode_resolve  # noqa: E402  (used by sphinx.ext.linkcode)

project = "nanotok"
author = "nanotok developers"
copyright = "2026 onwards, nanotok developers"
language = "en"
root_doc = "index"

extensions = [
    "myst_nb",                 # executed notebooks (and MyST markdown) as pages
    "sphinx.ext.autodoc",      # the API reference, from the docstrings of the imported package
    "sphinx.ext.linkcode",     # [source] links, to the highlighted source pages of this site
    "sphinx_copybutton",       # a copy button on every code block
    "nanotok_sphinx",          # source pages, docments parameters, chapter links (docs/nanotok_sphinx.py)
]

# notebooks: stored outputs only
nb_execution_mode = "off"
nb_merge_streams = True
nb_output_stderr = "show"
nb_render_markdown_format = "myst"
nb_ipywidgets_js = {}            # no widget manager fetched from a CDN

# MyST: heading anchors named as Jupyter names them (`#Encoding-and-decoding`), so that links
# written between notebooks in Jupyter resolve on the website too
myst_enable_extensions = ["colon_fence", "deflist", "html_image", "attrs_inline"]
myst_heading_anchors = 4
myst_heading_slug_func = "nanotok_sphinx.jupyter_slug"
suppress_warnings = ["myst.header", "mystnb.unknown_mime_type"]

# API reference
autodoc_preserve_defaults = True   # `pattern: str = SPLIT_PATTERN`, not the regex's repr
autodoc_typehints = "signature"
autodoc_member_order = "bysource"
autodoc_class_signature = "mixed"
default_role = "py:obj"            # `name` in a docstring links to its entry when there is one
add_module_names = True
python_display_short_literal_types = True
toc_object_entries_show_parents = "hide"

# copy buttons: on code cells and fenced blocks, not on outputs; prompts left out of the copy
copybutton_selector = "div:not(.output) > div.highlight > pre"
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_exclude = ".linenos, .gp, .go"

# the page: Furo (navigation in a drawer at phone width, light/dark/auto colours, search box
# in the sidebar), every asset served by the site itself
html_theme = "furo"
html_title = "nanotok"
html_static_path = ["_static"]
html_css_files = ["site.css"]
html_copy_source = False
html_show_sourcelink = False
html_show_sphinx = False
html_last_updated_fmt = None
html_permalinks_icon = "#"
html_theme_options = {
    "top_of_page_buttons": [],   # no "view/edit this page" links (no public repository)
    "navigation_with_keys": False,
}
