//! The progress log: every answer, one line each, appended and synced. It is
//! the single source of truth; card states are derived by replaying it.

pub mod event;
pub mod mode;
pub mod store;

pub use event::HEADER;
pub use event::{Event, EventId, EventKind};
pub use mode::Mode;
pub use store::{LoadedLog, Store, merge, read};
