"""REST twins of the annotation ops: one-op batches in the board's log, read back through the selectors."""
