"""eventsum's evaluator: scores summaries against hand-written gold."""
