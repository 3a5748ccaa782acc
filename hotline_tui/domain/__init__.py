"""Pure rules of the hotline: ticket states and transitions, events, deadlines. No I/O, no UI."""
