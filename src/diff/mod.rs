//! The pure three-way comparison: models in, findings out. No I/O here.
