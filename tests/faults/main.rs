//! The daily fan-out under faults and at scale, in one process: 500s,
//! dropped connections and 429 floods, the binary killed mid-fan-out or
//! refusing to start, 10,000 malformed updates, and 2,000 chats due at once.
//! Figures are printed (`cargo test --test faults -- --nocapture`).

#[path = "../support/mod.rs"]
mod support;

mod crash;
mod fan_out;
mod fuzz;
mod scale;
mod startup;
