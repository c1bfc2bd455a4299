//! Tests of the exporters (filled below).
