"""Routing suggestions: which units should take a new request, with the reason for each."""
