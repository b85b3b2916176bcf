"""The assessment phase: how far each town departs from the common model (fit & gap)."""
