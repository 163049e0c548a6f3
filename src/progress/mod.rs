//! The progress log: every answer, one line each, appended and synced. It is
//! the single source of truth; card states are derived by replaying it.

pub(crate) mod event;
pub(crate) mod mode;
pub(crate) mod store;

pub(crate) use event::HEADER;
pub(crate) use event::{Event, EventId, EventKind};
pub(crate) use mode::Mode;
pub(crate) use store::{LoadedLog, Store, merge, read};
