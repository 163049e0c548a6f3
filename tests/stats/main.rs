//! Statistics: every figure checked on generated logs with known answers, and
//! the rendered charts checked as exact text. One test binary, linked once.

mod compute;
mod render;
mod support;
