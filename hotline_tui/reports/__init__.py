"""Reports: the monthly ranking (月通报: monthly.py over facts.py, its formulas in formulas.py, its formats in
render_*.py, its publication in published.py) and the analysis."""
