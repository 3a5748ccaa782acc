"""Parts of the ``services.Desk`` facade, one file per area of work, mixed into ``Desk``.

Each part uses only what ``Desk`` provides (``settings``, ``store``, ``directory``, ``policy``, ``_now``)
and returns plain values; nothing here imports Textual.
"""
