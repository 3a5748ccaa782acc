"""Users, sign-in and the audit: core and headless, reached through the services facade (facade/users.py).

- ``names``: what a user name and a password may be.
- ``passwords``: Argon2id hashing (the parameters and why).
- ``roles``: the role a person works in at a desk (a desk's pinned role can lower it, never raise it).
- ``users``: the ``~user/<name>`` streams and their ``user`` table.
- ``throttle``: the wait after repeated failed sign-ins.
- ``audit``: the ``~audit/YYYY-MM`` streams (sign-ins, failures, sign-outs, reveals) and the audit listing.
"""
