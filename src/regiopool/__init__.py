"""regiopool: the shared regional data pool around Leipzig."""
