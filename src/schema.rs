//! The label set: names, keys, colours, guidelines, exclusive or multi-label.
