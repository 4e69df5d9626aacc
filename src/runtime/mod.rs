//! What keeps the bot going in time: the one daily `driver` for every
//! adapter, the `clock` adapters read, `wake` (look again, something
//! changed), `shutdown` on a signal, and the exact sliding `window` the send
//! paths pace themselves with.

pub mod clock;
pub mod daily_cap;
mod delivery;
pub mod driver;
pub mod recorder;
pub mod shutdown;
pub mod wake;
pub mod window;
