"""Every word the questionnaire says: the catalogues' ``quest.*`` messages (ja and en .po files)."""

from __future__ import annotations

from ..i18n import catalog

_ = catalog("quest")
