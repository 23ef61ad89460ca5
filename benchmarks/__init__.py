"""Performance benchmarks of the atlas against the usual Dash + Plotly approach."""
