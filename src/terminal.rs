//! Terminal set-up and restore, and the event loop: the one impure place.
