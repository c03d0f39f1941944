//! The `Report` every view renders, and its renderers.
