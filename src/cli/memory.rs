//! How much memory `studybot run` keeps while it waits: settings of the C
//! allocator made once, before the runtime starts its threads.
//!
//! glibc gives each thread that allocates an arena of its own (up to eight
//! a core), and an arena keeps the pages it once used. The bot's threads
//! are the runtime's one thread, its blocking threads, SQLite's connection
//! workers and the file watcher; most of them allocate little, yet each
//! arena kept its few hundred KiB resident (BENCHMARKS.md, issue 19). Two
//! arenas serve them all: allocation is a small part of the bot's work, and
//! two cores can contend for at most two.

/// Caps the C allocator's arenas at two, unless the operator chose a
/// number (`MALLOC_ARENA_MAX`). Call before any thread is started; nothing
/// to do where the allocator is not glibc's.
pub fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only changes glibc's allocator settings; it is
        // called at the start of `run`, before any other thread exists.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}
