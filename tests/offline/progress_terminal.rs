//! `studybot migrate-store` with stderr on a terminal: a pseudo-terminal
//! opened with the C library's own calls (libc is a dependency already; no
//! tool and no crate more). The bar is drawn with escape sequences instead
//! of the plain per-table lines, and the summary line still ends the output.

use std::ffi::CStr;
use std::fs::{File, OpenOptions};
use std::io::Read;
use std::os::fd::FromRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::process::Stdio;

use crate::support::{sqlite_url, studybot, temp_db};
use studybot::domain::{ChatId, ChatKind};
use studybot::store::Store;

/// A pseudo-terminal 100 columns wide: (its controlling side, the terminal).
fn pseudo_terminal() -> (File, File) {
    // SAFETY: each call gets a descriptor or a buffer it owns; results are checked.
    unsafe {
        let control = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY);
        assert!(
            control >= 0,
            "posix_openpt: {}",
            std::io::Error::last_os_error()
        );
        let control_file = File::from_raw_fd(control);
        assert_eq!(libc::grantpt(control), 0);
        assert_eq!(libc::unlockpt(control), 0);
        let mut name = [0 as libc::c_char; 128];
        assert_eq!(libc::ptsname_r(control, name.as_mut_ptr(), name.len()), 0);
        let size = libc::winsize {
            ws_row: 24,
            ws_col: 100,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        assert_eq!(libc::ioctl(control, libc::TIOCSWINSZ, &size), 0);
        let path = CStr::from_ptr(name.as_ptr()).to_str().unwrap().to_owned();
        let terminal = OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(libc::O_NOCTTY)
            .open(path)
            .expect("opens the terminal side");
        (control_file, terminal)
    }
}

/// Everything written to the terminal until its last writer closes it
/// (Linux then answers a read with EIO).
fn read_all(mut control: File) -> String {
    let mut seen = Vec::new();
    let mut chunk = [0u8; 4096];
    while let Ok(n) = control.read(&mut chunk) {
        if n == 0 {
            break;
        }
        seen.extend_from_slice(&chunk[..n]);
    }
    String::from_utf8_lossy(&seen).into_owned()
}

#[tokio::test]
async fn at_a_terminal_a_bar_is_drawn_and_the_summary_stays() {
    let (dir, database) = temp_db();
    let store = Store::open(&database).await.unwrap();
    for id in 1..=50 {
        let chat = ChatId::telegram(id);
        store
            .upsert_chat(chat, ChatKind::Group, None, id)
            .await
            .unwrap();
    }
    store.close().await;
    let target = sqlite_url(&dir.path().join("moved.db"));
    let (control, terminal) = pseudo_terminal();
    let child = studybot(
        ["migrate-store", "--from", &database, "--to", &target],
        dir.path(),
    )
    .env("TERM", "xterm")
    .stdout(Stdio::null())
    .stderr(Stdio::from(terminal))
    .spawn()
    .expect("studybot runs");
    let seen = tokio::task::spawn_blocking(move || read_all(control))
        .await
        .unwrap();
    let status = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap()
        .status;
    assert!(status.success(), "{seen:?}");
    assert!(
        seen.contains("migrate-store [") && seen.contains("50/50 rows (") && seen.contains("\x1b["),
        "the bar is drawn, counted and cleared: {seen:?}"
    );
    assert!(
        !seen.contains("migrate-store: 1/"),
        "no plain per-table lines at a terminal: {seen:?}"
    );
    // The bar's last drawing is erased (`ESC [2K`), then the summary is written.
    let last = seen.trim_end().rsplit('\r').next().unwrap_or_default();
    assert!(
        last.starts_with("\x1b[2Kmigrate-store: ") && last.contains(" tables, 50 rows in "),
        "{seen:?}"
    );
}
