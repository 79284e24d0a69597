//! Training-data exporters, one module per format, and splits.
