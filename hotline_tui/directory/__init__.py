"""The unit directory (承办单位) and its lookup index. No Textual, no SQLAlchemy here.

    from hotline_tui.directory import load_directory
    d = load_directory()                 # the shipped directory (prebuilt index, no pinyin at run time)
    d.lookup("shibei台东")[0].path       # '青岛市 › 市北区 › 台东街道'
"""

from hotline_tui.directory.directory import Directory
from hotline_tui.directory.model import DutyCard, Match, Unit
from hotline_tui.directory.storage import (
    load_directory,
    load_directory_for_store,
    shipped_dir,
    store_directory_path,
)

__all__ = ["Directory", "DutyCard", "Match", "Unit", "load_directory", "load_directory_for_store",
           "shipped_dir", "store_directory_path"]
