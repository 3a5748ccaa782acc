"""The desk's Textual screens, one file per screen, styles beside them.

Screens reach the store only through the `Desk` facade the app opens (``self.app.desk``); they never
import ``hotline_tui.services`` or the store, so the first frame needs neither SQLAlchemy nor SQLModel.
"""
