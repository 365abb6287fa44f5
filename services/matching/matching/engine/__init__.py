"""The matching engine: pure Python and NumPy, no Flask, SQLAlchemy or Kafka. It scores every
mentee-mentor pair of a cohort, explains a pair factor by factor, and solves the whole cohort
optimally (min-cost flow over pruned candidates, with a dual-price proof that pruning lost nothing)."""
