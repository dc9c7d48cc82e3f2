"""Many companies at once: a pool of workers, one output folder per company, and the portfolio summary."""
