"""l10n_tool: offline translation and localisation workflow for news articles.

Data flows through the sub-packages in the order their names suggest:
``formats`` (source page → Document of Units) → ``catalog`` (templates and
per-locale PO files) → ``mt`` (machine-translated drafts) → ``checks``
(QA findings) → ``publish`` (localised pages and the site around them).
"""

__version__ = "0.1.0"
